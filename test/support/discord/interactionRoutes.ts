import { ApplicationCommandOptionType, InteractionResponseType, InteractionType, MessageFlags } from 'discord.js';

import { discordErrors, type FormProblem, type ReportProblem } from './discordApiError.js';
import type { InteractionRecord } from './interactionLog.js';
import { isJsonObject } from './isJsonObject.js';
import type { MessageInteraction, RecordedMessage } from './messageStore.js';
import type { RestContext, RestRoute } from './restRouter.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';
import { checkChoice } from './validateApplicationCommands.js';

// Which callbacks Discord accepts for which interactions.
const ALLOWED_CALLBACKS: Record<number, readonly InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
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
  const interactedMessage = (record: InteractionRecord): RecordedMessage | null =>
    record.payload.message === undefined ? null : (messages.get(record.payload.message.id) ?? null);
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
      case InteractionResponseType.DeferredMessageUpdate:
        message = interactedMessage(record);
        record.original = message;
        break;
      case InteractionResponseType.UpdateMessage: {
        const target = interactedMessage(record);
        message = target === null ? null : messages.edit(target, data ?? {}, files);
        record.original = message;
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        refuse(checkAutocompleteResult(data, record.focusedType));
        break;
      case InteractionResponseType.Modal:
        refuse(checkModal(data));
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
    if (context.query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      json: {
        interaction: {
          id: record.id,
          type: record.type,
          response_message_id: message?.id,
          response_message_loading: message === null ? undefined : (message.flags & MessageFlags.Loading) !== 0,
          response_message_ephemeral: message === null ? undefined : (message.flags & MessageFlags.Ephemeral) !== 0,
        },
        resource: { type, ...(message === null ? {} : { message: messages.toApi(message) }) },
      },
    };
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
      method: 'GET',
      pattern: '/webhooks/:app/:token/messages/:message',
      auth: false,
      handle(context) {
        const message = webhookMessageOf(webhookOf(context), context.params['message'] ?? '');
        return { status: 200, json: messages.toApi(message) };
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

function checkModal(data: Record<string, unknown> | null): FormProblem[] {
  const problems: FormProblem[] = [];
  const report: ReportProblem = (path, code, message) => void problems.push({ path, code, message });
  for (const [key, max] of [['custom_id', 100], ['title', 45]] as const) {
    const value = data?.[key];
    if (typeof value !== 'string' || value.length === 0 || [...value].length > max) {
      report(`data.${key}`, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${max} in length.`);
    }
  }
  const components = data?.['components'];
  if (!Array.isArray(components) || components.length === 0 || components.length > 5) {
    report('data.components', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  return problems;
}
