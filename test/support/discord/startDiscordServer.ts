import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { GatewayCloseCodes, GatewayDispatchEvents, type APIApplicationCommand, type APIUser } from 'discord.js';
import { WebSocketServer } from 'ws';

import { applicationRoutes } from './applicationRoutes.js';
import { buildInteractionPayload, type InteractionPayload, type SendInteractionInput } from './buildInteractionPayload.js';
import { channelRoutes } from './channelRoutes.js';
import { commandRoutes } from './commandRoutes.js';
import { DiscordApiError, discordErrors } from './discordApiError.js';
import type { GatewayConnection } from './discordGateway.js';
import type { InteractionReply } from './interactionLog.js';
import { interactionRoutes } from './interactionRoutes.js';
import type { RecordedMessage } from './messageStore.js';
import { createRateLimitPlan, type RateLimitOptions, type RateLimitRecord } from './rateLimitPlan.js';
import { readRequestBody } from './readRequestBody.js';
import { createRestRouter } from './restRouter.js';
import type { GuildDefinition } from './simulatedGuilds.js';
import { createSimulatedDiscord, type SimulatedDiscord } from './simulatedDiscord.js';

/** Options of startDiscordServer; all optional. */
export type StartDiscordServerOptions = {
  /** The only bot token accepted over REST and on IDENTIFY; any non-empty token when not given. */
  token?: string;
  /** The application id, which is also the bot user's id; a fresh snowflake when not given. */
  applicationId?: string;
  /** The bot's username; 'Lookout' when not given. */
  botName?: string;
  /** The heartbeat interval HELLO asks for, in ms; Discord's 41250 when not given. */
  heartbeatIntervalMs?: number;
  /** How long waits for a session, a command registration or replies last by default; 10 s when not given. */
  timeoutMs?: number;
};

/** A REST request as the server saw it. */
export type RestRequest = {
  method: string;
  /** The path after `/api/v10`, e.g. `/channels/1/messages`. */
  path: string;
  /** The query string, with its `?`, or ''. */
  query: string;
  /** The matched route, e.g. `POST /channels/:channel/messages`; null when none matched. */
  route: string | null;
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The JSON body (or `payload_json`), null when there was none. */
  body: unknown;
  fileCount: number;
  /** The error behind a 500, which is a defect of this server. */
  error?: string;
};

/** An interaction the server dispatched, with ways to wait for the bot's answers. */
export type SentInteraction = {
  id: string;
  token: string;
  payload: InteractionPayload;
  /** Resolves with the interaction callback once the bot sent it. */
  callback(timeoutMs?: number): Promise<Extract<InteractionReply, { kind: 'callback' }>>;
  /** Resolves once at least `count` replies arrived (callback first, then webhook edits and follow-ups). */
  replies(count?: number, timeoutMs?: number): Promise<InteractionReply[]>;
};

/** A local server that speaks Discord's REST API (v10) and gateway to the real discord.js client. */
export type DiscordServer = {
  /** `http://127.0.0.1:P/api`, for `new Client({ rest: { api } })`; discord.js appends `/v10`. */
  apiUrl: string;
  /** `ws://127.0.0.1:P/gateway`, what GET /gateway/bot tells the client. */
  gatewayUrl: string;
  applicationId: string;
  botUser: APIUser;
  /**
   * Defines a guild the bot is in, with its channels. Guilds defined before the client connects
   * come in READY and GUILD_CREATE; one defined later is sent as GUILD_CREATE (the bot joined).
   */
  guild(id: string, definition: GuildDefinition): void;
  /**
   * Deletes a channel: REST answers 404 Unknown Channel (10003) from then on. The client gets
   * CHANNEL_DELETE, as from Discord, unless `silent` (as if it missed the event).
   */
  deleteChannel(id: string, options?: { silent?: boolean }): void;
  /**
   * Takes Send Messages, Embed Links and Attach Files from the bot in a channel (a member
   * overwrite): sending there answers 403 Missing Permissions (50013). The client gets
   * CHANNEL_UPDATE with the overwrite unless `silent`.
   */
  denyChannel(id: string, options?: { silent?: boolean }): void;
  /** Gives back what denyChannel took. */
  allowChannel(id: string, options?: { silent?: boolean }): void;
  /** Messages the bot posted to a channel with POST /channels/{id}/messages, oldest first (interaction replies are not here). */
  channelMessages(channelId: string): RecordedMessage[];
  /** The commands registered to a guild, or the global ones without `guildId`. */
  registeredCommands(guildId?: string): APIApplicationCommand[];
  /**
   * Dispatches INTERACTION_CREATE as Discord would for a member running a slash command, typing
   * in an autocompleted option or pressing a button. Waits for a client session and, for
   * commands, for the command to be registered; option types come from its registration.
   */
  sendInteraction(input: SendInteractionInput): Promise<SentInteraction>;
  /**
   * Answers the next request that matches `rule` with a 429: `'POST'`, a path prefix
   * (`'/channels/1/messages'`) or both (`'POST /channels/1/messages'`).
   */
  rateLimitNext(rule: string, options: RateLimitOptions): RateLimitRecord;
  /** Closes every gateway socket with `code`: 4000 (the default) makes discord.js resume, 1000 identify again. */
  closeGateway(code?: number): void;
  /** Every gateway socket so far, oldest first. */
  gatewayConnections(): readonly GatewayConnection[];
  /** Every REST request, in the order they arrived. */
  readonly requests: readonly RestRequest[];
  stop(): Promise<void>;
};

const HOST = '127.0.0.1';
const API_PREFIX = '/api/v10';

/** Starts a simulated Discord on a free port of 127.0.0.1. */
export async function startDiscordServer(options: StartDiscordServerOptions = {}): Promise<DiscordServer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const baseUrl = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  const discord = createSimulatedDiscord({
    baseUrl,
    token: options.token ?? null,
    ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
    botName: options.botName ?? 'Lookout',
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
  });
  const route = createRestRouter([
    ...applicationRoutes(discord),
    ...commandRoutes(discord),
    ...interactionRoutes(discord),
    ...channelRoutes(discord),
  ]);
  const rateLimits = createRateLimitPlan();
  const requests: RestRequest[] = [];

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bot ') || header.length <= 'Bot '.length) return false;
    return discord.token === null || header === `Bot ${discord.token}`;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname.slice(API_PREFIX.length) || '/';
    const entry: RestRequest = { method, path, query: url.search, route: null, status: 0, at: Date.now(), body: null, fileCount: 0 };
    requests.push(entry);
    try {
      const body = await readRequestBody(req);
      entry.body = body.json;
      entry.fileCount = body.files.length;
      const match = route(method, path);
      if (match.kind === 'found') entry.route = `${method} ${match.route.pattern}`;
      const limit = rateLimits.take(method, path, entry.at);
      if (limit !== undefined) {
        entry.status = 429;
        return sendRateLimit(res, limit);
      }
      if (match.kind === 'wrongMethod') throw new DiscordApiError(405, 0, '405: Method Not Allowed');
      if (match.kind === 'notFound') throw discordErrors.notFound();
      if (match.route.auth && !authorized(req)) throw discordErrors.unauthorized();
      const result = await match.route.handle({ params: match.params, query: url.searchParams, body });
      entry.status = result.status;
      if (result.json === undefined) {
        // Note: an empty answer must not claim JSON, or @discordjs/rest fails parsing it.
        res.writeHead(result.status).end();
      } else {
        sendJson(res, result.status, result.json);
      }
    } catch (error) {
      if (!(error instanceof DiscordApiError)) {
        entry.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
      }
      const answer = error instanceof DiscordApiError ? error : new DiscordApiError(500, 0, '500: Internal Server Error');
      entry.status = answer.status;
      sendJson(res, answer.status, answer.toJSON());
    }
  };

  const handleAttachment = (res: ServerResponse, url: URL): void => {
    const id = url.pathname.split('/')[3] ?? '';
    const attachment = discord.messages.attachment(id);
    if (attachment === undefined) return sendJson(res, 404, discordErrors.notFound().toJSON());
    res.writeHead(200, { 'content-type': attachment.contentType, 'content-length': attachment.bytes.length }).end(attachment.bytes);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname.startsWith(`${API_PREFIX}/`)) return void handleApi(req, res, url);
    if (url.pathname.startsWith('/attachments/') && req.method === 'GET') return handleAttachment(res, url);
    sendJson(res, 404, discordErrors.notFound().toJSON());
  });

  const wss = new WebSocketServer({ noServer: true });
  const gatewayPaths = new Set([new URL(discord.gatewayUrl).pathname, new URL(discord.resumeUrl).pathname]);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', baseUrl);
    if (!gatewayPaths.has(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => discord.gateway.accept(ws, url.pathname));
  });

  return {
    apiUrl: `${baseUrl}/api`,
    gatewayUrl: discord.gatewayUrl,
    applicationId: discord.application.id,
    botUser: discord.bot,
    guild(id, definition) {
      discord.guilds.define(id, definition);
      discord.gateway.dispatch(GatewayDispatchEvents.GuildCreate, discord.guilds.guildCreate(id));
    },
    deleteChannel(id, { silent = false } = {}) {
      const channel = discord.guilds.channel(id);
      if (channel === undefined) throw new Error(`No channel ${id} to delete`);
      const api = discord.guilds.apiChannel(channel);
      discord.guilds.deleteChannel(id);
      if (!silent) discord.gateway.dispatch(GatewayDispatchEvents.ChannelDelete, api);
    },
    denyChannel: (id, { silent = false } = {}) => setDenied(discord, id, true, silent),
    allowChannel: (id, { silent = false } = {}) => setDenied(discord, id, false, silent),
    channelMessages: (channelId) => discord.messages.inChannel(channelId),
    registeredCommands: (guildId) => discord.commands.list(guildId ?? null),
    async sendInteraction(input) {
      await discord.gateway.waitForSession(timeoutMs);
      if (input.type !== 3) {
        const registered = (): string =>
          [...discord.commands.list(input.guildId), ...discord.commands.list(null)].map((command) => command.name).join(', ');
        await waitUntil(discord, () => discord.commands.find(input.commandName, input.guildId), timeoutMs, () =>
          `No command '${input.commandName}' was registered in guild ${input.guildId} or globally within ${timeoutMs} ms; ` +
          `registered: ${registered() || 'none'}`,
        );
      }
      const id = discord.nextId();
      const token = `${Buffer.from(`interaction:${id}:`).toString('base64url')}${randomBytes(48).toString('base64url')}`;
      const { payload, focusedType } = buildInteractionPayload(input, { id, token }, {
        applicationId: discord.application.id,
        guilds: discord.guilds,
        commands: discord.commands,
        messages: discord.messages,
      });
      const { permissions: _permissions, ...member } = payload.member;
      discord.guilds.rememberMember({ guildId: input.guildId, ...member });
      discord.interactions.add({ id, token, type: payload.type, payload, focusedType });
      discord.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
      return {
        id,
        token,
        payload,
        callback: async (wait = timeoutMs) => {
          const [first] = await discord.interactions.waitForReplies(token, 1, wait);
          if (first?.kind !== 'callback') throw new Error(`The first reply to interaction ${id} was not a callback`);
          return first;
        },
        replies: (count = 1, wait = timeoutMs) => discord.interactions.waitForReplies(token, count, wait),
      };
    },
    rateLimitNext: (rule, limit) => rateLimits.add(rule, limit),
    closeGateway: (code = GatewayCloseCodes.UnknownError) => discord.gateway.closeAll(code),
    gatewayConnections: () => discord.gateway.connections(),
    get requests() {
      return requests;
    },
    async stop() {
      discord.gateway.stop();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function setDenied(discord: SimulatedDiscord, id: string, denied: boolean, silent: boolean): void {
  const channel = discord.guilds.setDenied(id, denied);
  if (!silent) discord.gateway.dispatch(GatewayDispatchEvents.ChannelUpdate, discord.guilds.apiChannel(channel));
}

// Resolves with the first defined value of `probe`, checked now and after every command change.
function waitUntil<T>(discord: SimulatedDiscord, probe: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
  const now = probe();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const stop = discord.commands.onChange(() => {
      const value = probe();
      if (value === undefined) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(describe()));
    }, timeoutMs);
  });
}

function sendRateLimit(res: ServerResponse, limit: RateLimitRecord): void {
  const seconds = String(limit.retryAfter);
  const headers: Record<string, string> = {
    'retry-after': seconds,
    'x-ratelimit-limit': '1',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': ((Date.now() + limit.retryAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': seconds,
    'x-ratelimit-bucket': Buffer.from(limit.rule).toString('hex').slice(0, 32),
    'x-ratelimit-scope': limit.global ? 'global' : 'user',
  };
  // Note: @discordjs/rest treats the mere presence of this header as a global limit.
  if (limit.global) headers['x-ratelimit-global'] = 'true';
  sendJson(res, 429, { message: 'You are being rate limited.', retry_after: limit.retryAfter, global: limit.global, code: 0 }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
