import { ApplicationCommandOptionType, InteractionResponseType, InteractionType, MessageFlags } from 'discord.js';

import { discordErrors, type FormProblem, type ReportProblem } from './discordApiError.js';
import type { InteractionRecord } from './interactionLog.js';
import { isJsonObject } from './isJsonObject.js';
import type { MessageInteraction, RecordedMessage } from './messageStore.js';
import type { RestContext, RestRoute } from './restRouter.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';
import { checkChoice } from './validateApplicationCommands.js';

// Which callbacks Discord accepts for which interactions; only those Lookout sends (no modals, no message updates).
const ALLOWED_CALLBACKS: Record<number, readonly InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
};
const MAX_AUTOCOMPLETE_CHOICES = 25;

/** The interaction callback, and the webhook that edits the response and sends follow-ups. */
export function interactionRoutes(discord: SimulatedDiscord): RestRoute[] {
  const { interactions, messages } = discord;

  const messageInteraction = (record: InteractionRecord): MessageInteraction => {
    const meta: MessageInteraction = {
      id: record.id,
      token: record.token,
      type: record.type,
      user: record.payload.member.user,
      guildId: record.payload.guild_id,
    };
    if (record.payload.message !== undefined) meta.interactedMessageId = record.payload.message.id;
    return meta;
  };
  // Interaction webhooks work from the callback on, for the token's own application only.
  const webhookOf = ({ params }: RestContext): InteractionRecord => {
    const record = interactions.byToken(params['token'] ?? '');
    if (params['app'] !== discord.application.id || record === undefined || !interactions.acknowledged(record)) {
      throw discordErrors.unknownWebhook();
    }
    return record;
  };
  const webhookMessageOf = (record: InteractionRecord, id: string): RecordedMessage => {
    const ours = [record.original, ...record.followUps];
    const message = id === '@original' ? record.original : ours.find((candidate) => candidate?.id === id);
    if (message === null || message === undefined || message.deleted) throw discordErrors.unknownMessage();
    return message;
  };
  // A new message in the interaction's channel, from its webhook.
  const createReply = (record: InteractionRecord, body: Record<string, unknown>, context: RestContext): RecordedMessage =>
    messages.create({
      channelId: record.payload.channel_id,
      body,
      files: context.body.files,
      interaction: messageInteraction(record),
    });
  const jsonBody = ({ body }: RestContext): Record<string, unknown> => (isJsonObject(body.json) ? body.json : {});

  const callback = (context: RestContext) => {
    const record = interactions.byToken(context.params['token'] ?? '');
    if (record === undefined || record.id !== context.params['interaction']) throw discordErrors.unknownInteraction();
    if (interactions.acknowledged(record)) throw discordErrors.alreadyAcknowledged();
    const body = jsonBody(context);
    const type = body['type'] as InteractionResponseType;
    if (!(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
      const message = `Callback type ${String(type)} is not valid for an interaction of type ${record.type}.`;
      throw discordErrors.invalidFormBody([{ path: 'type', code: 'INTERACTION_RESPONSE_TYPE_INVALID', message }]);
    }
    const data = isJsonObject(body['data']) ? body['data'] : null;
    const flags = typeof data?.['flags'] === 'number' ? data['flags'] : 0;
    const { files } = context.body;
    let message: RecordedMessage | null = null;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        message = createReply(record, data ?? {}, context);
        record.original = message;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = messages.create({
          channelId: record.payload.channel_id,
          body: { flags: flags & MessageFlags.Ephemeral },
          files: [],
          interaction: messageInteraction(record),
          placeholder: true,
        });
        record.original = message;
        break;
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        refuse(checkAutocompleteResult(data, record.focusedType));
        break;
    }
    interactions.addReply(record, {
      kind: 'callback',
      type,
      data,
      files,
      at: Date.now(),
      ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
      messageId: message?.id ?? null,
    });
    return { status: 204 };
  };

  return [
    { method: 'POST', pattern: '/interactions/:interaction/:token/callback', auth: false, handle: callback },
    {
      method: 'POST',
      pattern: '/webhooks/:app/:token',
      auth: false,
      handle(context) {
        const record = webhookOf(context);
        const body = jsonBody(context);
        const message = createReply(record, body, context);
        record.followUps.push(message);
        interactions.addReply(record, {
          kind: 'followUp',
          messageId: message.id,
          ephemeral: (message.flags & MessageFlags.Ephemeral) !== 0,
          data: body,
          files: context.body.files,
          at: Date.now(),
        });
        // Without ?wait=true a webhook answers before the message exists; discord.js always waits.
        return context.query.get('wait') === 'true' ? { status: 200, json: messages.toApi(message) } : { status: 204 };
      },
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:app/:token/messages/:message',
      auth: false,
      handle(context) {
        const record = webhookOf(context);
        const target = context.params['message'] ?? '';
        const body = jsonBody(context);
        const message = messages.edit(webhookMessageOf(record, target), body, context.body.files);
        const original = target === '@original' || message === record.original;
        const { files } = context.body;
        interactions.addReply(record, { kind: 'edit', messageId: message.id, original, data: body, files, at: Date.now() });
        return { status: 200, json: messages.toApi(message) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:app/:token/messages/:message',
      auth: false,
      handle(context) {
        const record = webhookOf(context);
        const target = context.params['message'] ?? '';
        const message = webhookMessageOf(record, target);
        messages.remove(message);
        const original = target === '@original' || message === record.original;
        interactions.addReply(record, { kind: 'delete', messageId: message.id, original, data: null, files: [], at: Date.now() });
        return { status: 204 };
      },
    },
  ];
}

function refuse(problems: FormProblem[]): void {
  if (problems.length > 0) throw discordErrors.invalidFormBody(problems);
}

function checkAutocompleteResult(data: Record<string, unknown> | null, focusedType: number | null): FormProblem[] {
  const problems: FormProblem[] = [];
  const report: ReportProblem = (path, code, message) => void problems.push({ path, code, message });
  const choices = data?.['choices'];
  if (!Array.isArray(choices)) {
    report('data.choices', 'BASE_TYPE_REQUIRED', 'This field is required');
    return problems;
  }
  if (choices.length > MAX_AUTOCOMPLETE_CHOICES) {
    report('data.choices', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_AUTOCOMPLETE_CHOICES} or fewer in length.`);
  }
  const type = focusedType ?? ApplicationCommandOptionType.String;
  choices.forEach((choice, index) => checkChoice(choice, type, `data.choices.${index}`, report));
  return problems;
}
