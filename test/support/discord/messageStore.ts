import {
  InteractionType,
  MessageFlags,
  MessageType,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APIUser,
} from 'discord.js';

import { discordErrors } from './discordApiError.js';
import { isJsonObject } from './isJsonObject.js';
import type { UploadedFile } from './readRequestBody.js';
import { validateMessagePayload } from './validateMessagePayload.js';

/** A file the bot attached, with the bytes exactly as uploaded. */
export type RecordedAttachment = {
  id: string;
  filename: string;
  contentType: string;
  description: string | null;
  bytes: Buffer;
  url: string;
};

/** The interaction a reply belongs to. */
export type MessageInteraction = {
  id: string;
  token: string;
  type: InteractionType;
  user: APIUser;
  guildId: string;
  /** For a button press, the message whose button it was. */
  interactedMessageId?: string;
};

/** A message the bot sent, as its latest edit left it. */
export type RecordedMessage = {
  id: string;
  channelId: string;
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  attachments: RecordedAttachment[];
  flags: number;
  /** When it was created and last edited (ms since the epoch). */
  at: number;
  editedAt: number | null;
  deleted: boolean;
  /** Set on interaction replies (the original response and follow-ups). */
  interaction: MessageInteraction | null;
  /** The nonce the bot sent with it, if any. */
  nonce: string | null;
};

/** Every message the bot sent, through channels or interaction webhooks. */
export type MessageStore = {
  create(input: {
    channelId: string;
    body: Record<string, unknown>;
    files: readonly UploadedFile[];
    interaction?: MessageInteraction;
    /** A deferred reply's placeholder ("Lookout is thinking..."), which needs no content. */
    placeholder?: boolean;
  }): RecordedMessage;
  edit(message: RecordedMessage, body: Record<string, unknown>, files: readonly UploadedFile[]): RecordedMessage;
  remove(message: RecordedMessage): void;
  /** A message that was not deleted. */
  get(id: string): RecordedMessage | undefined;
  /**
   * The message the bot created with this nonce within the last `withinMs`: what Discord answers, instead of a
   * new message, to a create with the same nonce and `enforce_nonce`.
   */
  byNonce(nonce: string, withinMs: number): RecordedMessage | undefined;
  /** Messages sent to the channel with the channel messages endpoint, oldest first. */
  inChannel(channelId: string): RecordedMessage[];
  attachment(id: string): RecordedAttachment | undefined;
  toApi(message: RecordedMessage): APIMessage;
};

// Discord's default upload limit for a bot in a guild without boosts.
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Creates an empty store; `baseUrl` serves attachment bytes back under /attachments. */
export function createMessageStore(bot: APIUser, applicationId: string, baseUrl: string, nextId: () => string): MessageStore {
  const messages = new Map<string, RecordedMessage>();
  const attachments = new Map<string, RecordedAttachment>();

  const check = (body: Record<string, unknown>, files: readonly UploadedFile[], isEdit: boolean): void => {
    const size = files.reduce((sum, file) => sum + file.bytes.length, 0);
    if (size > MAX_UPLOAD_BYTES) throw discordErrors.entityTooLarge();
    const problems = validateMessagePayload(body, { fileCount: files.length, isEdit });
    if (problems.some((problem) => problem.code === 'EMPTY_MESSAGE')) throw discordErrors.emptyMessage();
    if (problems.length > 0) throw discordErrors.invalidFormBody(problems);
  };

  // Note: discord.js lists new files in `attachments` as {id: '<n>'} for the form field
  // `files[<n>]`; any other id must be an attachment the message already has (kept on edit).
  const resolveAttachments = (
    channelId: string,
    body: Record<string, unknown>,
    files: readonly UploadedFile[],
    existing: readonly RecordedAttachment[],
  ): RecordedAttachment[] => {
    const upload = (file: UploadedFile, description: string | null): RecordedAttachment => {
      const id = nextId();
      const attachment = {
        id,
        filename: file.filename,
        contentType: file.contentType,
        description,
        bytes: file.bytes,
        url: `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`,
      };
      attachments.set(id, attachment);
      return attachment;
    };
    const listed = body['attachments'];
    if (!Array.isArray(listed)) return [...existing, ...files.map((file) => upload(file, null))];
    const used = new Set<UploadedFile>();
    const result: RecordedAttachment[] = [];
    for (const [index, entry] of listed.entries()) {
      if (!isJsonObject(entry) || entry['id'] === undefined) {
        const path = `attachments.${index}.id`;
        throw discordErrors.invalidFormBody([{ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
      }
      const id = String(entry['id']);
      const kept = existing.find((attachment) => attachment.id === id);
      if (kept !== undefined) {
        result.push(kept);
        continue;
      }
      const file = files.find((candidate) => candidate.field === `files[${id}]`);
      if (file === undefined) {
        throw discordErrors.invalidFormBody([
          { path: `attachments.${index}.id`, code: 'ATTACHMENT_NOT_FOUND', message: `Unknown attachment or upload files[${id}]` },
        ]);
      }
      used.add(file);
      result.push(upload(file, typeof entry['description'] === 'string' ? entry['description'] : null));
    }
    // Files not listed in `attachments` are still attached, as Discord does.
    for (const file of files) if (!used.has(file)) result.push(upload(file, null));
    return result;
  };

  const apply = (message: RecordedMessage, body: Record<string, unknown>, files: readonly UploadedFile[]): void => {
    if (typeof body['content'] === 'string') message.content = body['content'];
    if (Array.isArray(body['embeds'])) message.embeds = body['embeds'] as APIEmbed[];
    if (Array.isArray(body['components'])) message.components = body['components'] as APIMessageTopLevelComponent[];
    if (Array.isArray(body['attachments']) || files.length > 0) {
      message.attachments = resolveAttachments(message.channelId, body, files, message.attachments);
    }
  };

  return {
    create({ channelId, body, files, interaction, placeholder = false }) {
      if (!placeholder) check(body, files, false);
      const flags = typeof body['flags'] === 'number' ? body['flags'] : 0;
      const message: RecordedMessage = {
        id: nextId(),
        channelId,
        content: '',
        embeds: [],
        components: [],
        attachments: [],
        flags: placeholder ? flags | MessageFlags.Loading : flags,
        at: Date.now(),
        editedAt: null,
        deleted: false,
        interaction: interaction ?? null,
        nonce: typeof body['nonce'] === 'string' || typeof body['nonce'] === 'number' ? String(body['nonce']) : null,
      };
      apply(message, body, files);
      messages.set(message.id, message);
      return message;
    },
    edit(message, body, files) {
      check(body, files, true);
      apply(message, body, files);
      // An edit of a deferred reply's placeholder is its first real content.
      message.flags &= ~MessageFlags.Loading;
      // Of the flags, an edit can only change whether embeds are suppressed.
      if (typeof body['flags'] === 'number') {
        message.flags = (message.flags & ~MessageFlags.SuppressEmbeds) | (body['flags'] & MessageFlags.SuppressEmbeds);
      }
      message.editedAt = Date.now();
      return message;
    },
    remove(message) {
      message.deleted = true;
    },
    get(id) {
      const message = messages.get(id);
      return message === undefined || message.deleted ? undefined : message;
    },
    byNonce(nonce, withinMs) {
      const since = Date.now() - withinMs;
      return [...messages.values()].find((message) => message.nonce === nonce && message.at >= since && !message.deleted);
    },
    inChannel: (channelId) =>
      [...messages.values()].filter((message) => message.channelId === channelId && message.interaction === null && !message.deleted),
    attachment: (id) => attachments.get(id),
    toApi(message) {
      const api: APIMessage = {
        id: message.id,
        channel_id: message.channelId,
        author: bot,
        content: message.content,
        timestamp: new Date(message.at).toISOString(),
        edited_timestamp: message.editedAt === null ? null : new Date(message.editedAt).toISOString(),
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: message.attachments.map(toApiAttachment),
        embeds: message.embeds.map((embed) => ({ type: 'rich', ...embed }) as APIEmbed),
        components: message.components,
        pinned: false,
        type: MessageType.Default,
        flags: message.flags,
      };
      if (message.nonce !== null) api.nonce = message.nonce;
      const { interaction } = message;
      if (interaction !== null) {
        api.webhook_id = applicationId;
        api.application_id = applicationId;
        api.type = interaction.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Reply;
        api.interaction_metadata = interactionMetadata(interaction);
      }
      return api;
    },
  };
}

function toApiAttachment(attachment: RecordedAttachment): APIAttachment {
  const api: APIAttachment = {
    id: attachment.id,
    filename: attachment.filename,
    content_type: attachment.contentType,
    size: attachment.bytes.length,
    url: attachment.url,
    proxy_url: attachment.url,
  };
  if (attachment.description !== null) api.description = attachment.description;
  return api;
}

function interactionMetadata(interaction: MessageInteraction): APIMessageInteractionMetadata {
  const base = {
    id: interaction.id,
    user: interaction.user,
    authorizing_integration_owners: { '0': interaction.guildId },
  };
  if (interaction.type === InteractionType.MessageComponent) {
    return { ...base, type: InteractionType.MessageComponent, interacted_message_id: interaction.interactedMessageId ?? '0' };
  }
  return { ...base, type: InteractionType.ApplicationCommand };
}
