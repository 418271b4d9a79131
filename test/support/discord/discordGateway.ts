import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import { WebSocket, type RawData } from 'ws';

import { isJsonObject } from './isJsonObject.js';

/** One WebSocket a client opened to the gateway, and what it did with it. */
export type GatewayConnection = {
  /** The path it connected to: the gateway URL, or the resume URL. */
  path: string;
  openedAt: number;
  /** `invalidSession`: it tried to resume a session the server did not know or had ended. */
  outcome: 'pending' | 'identified' | 'resumed' | 'invalidSession';
  sessionId: string | null;
  /** The intents of its IDENTIFY. */
  intents: number | null;
  closedAt: number | null;
  closeCode: number | null;
};

/** The gateway side of the simulated Discord. */
export type DiscordGateway = {
  accept(socket: WebSocket, path: string): void;
  /**
   * Sends a dispatch to every session. A session whose socket is down keeps it and replays it
   * on resume, as Discord does. Returns how many sessions got it.
   */
  dispatch(event: GatewayDispatchEvents, data: unknown): number;
  /** Resolves once a client has identified and not said goodbye since; rejects after `timeoutMs`. */
  waitForSession(timeoutMs: number): Promise<void>;
  /** Closes every open socket with `code` (4000 lets discord.js resume, 1000 makes it identify again). */
  closeAll(code: number, reason?: string): void;
  connections(): readonly GatewayConnection[];
  stop(): void;
};

/** What the gateway needs from the rest of the server. */
export type GatewayDeps = {
  heartbeatIntervalMs: number;
  tokenIsValid(token: string): boolean;
  /** The READY data for a new session. */
  ready(sessionId: string): unknown;
  /** The GUILD_CREATE data of every guild, sent after READY. */
  guildCreates(): unknown[];
  nextSessionId(): string;
};

type Session = {
  id: string;
  token: string;
  seq: number;
  /** Dispatches sent in this session, for replay on resume. */
  sent: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | null;
  /** The client closed with 1000/1001: Discord invalidates the session. */
  ended: boolean;
};

const REPLAY_LIMIT = 1000;

/** Creates a gateway that speaks JSON frames without compression, as discord.js asks when zlib-sync is absent. */
export function createDiscordGateway(deps: GatewayDeps): DiscordGateway {
  const sessions = new Map<string, Session>();
  const sockets = new Set<WebSocket>();
  const connections: GatewayConnection[] = [];
  const sessionWaiters = new Set<() => void>();

  const send = (socket: WebSocket, payload: unknown): void => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  };
  const dispatchTo = (session: Session, t: string, d: unknown): void => {
    const frame = { op: GatewayOpcodes.Dispatch, t, s: ++session.seq, d };
    session.sent.push(frame);
    if (session.sent.length > REPLAY_LIMIT) session.sent.shift();
    if (session.socket !== null) send(session.socket, frame);
  };
  const liveSessions = (): Session[] => [...sessions.values()].filter((session) => !session.ended);

  const identify = (socket: WebSocket, connection: GatewayConnection, d: Record<string, unknown>): Session | null => {
    const token = typeof d['token'] === 'string' ? d['token'] : '';
    if (!deps.tokenIsValid(token)) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return null;
    }
    const session: Session = { id: deps.nextSessionId(), token, seq: 0, sent: [], socket, ended: false };
    sessions.set(session.id, session);
    Object.assign(connection, {
      outcome: 'identified',
      sessionId: session.id,
      intents: typeof d['intents'] === 'number' ? d['intents'] : null,
    });
    dispatchTo(session, GatewayDispatchEvents.Ready, deps.ready(session.id));
    for (const guild of deps.guildCreates()) dispatchTo(session, GatewayDispatchEvents.GuildCreate, guild);
    sessionWaiters.forEach((wake) => wake());
    return session;
  };

  const resume = (socket: WebSocket, connection: GatewayConnection, d: Record<string, unknown>): Session | null => {
    const session = typeof d['session_id'] === 'string' ? sessions.get(d['session_id']) : undefined;
    if (session === undefined || session.ended || session.token !== d['token'] || typeof d['seq'] !== 'number') {
      connection.outcome = 'invalidSession';
      send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return null;
    }
    if (session.socket !== null && session.socket !== socket) session.socket.close(GatewayCloseCodes.SessionTimedOut);
    session.socket = socket;
    Object.assign(connection, { outcome: 'resumed', sessionId: session.id });
    const lastSeen = d['seq'];
    for (const frame of session.sent) if (frame.s > lastSeen) send(socket, frame);
    dispatchTo(session, GatewayDispatchEvents.Resumed, {});
    return session;
  };

  return {
    accept(socket, path) {
      sockets.add(socket);
      const connection: GatewayConnection = {
        path,
        openedAt: Date.now(),
        outcome: 'pending',
        sessionId: null,
        intents: null,
        closedAt: null,
        closeCode: null,
      };
      connections.push(connection);
      let session: Session | null = null;

      socket.on('message', (raw: RawData) => {
        let payload: unknown;
        try {
          payload = JSON.parse(raw.toString());
        } catch {
          socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
          return;
        }
        if (!isJsonObject(payload)) return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
        const d = isJsonObject(payload['d']) ? payload['d'] : {};
        switch (payload['op']) {
          case GatewayOpcodes.Heartbeat:
            return send(socket, { op: GatewayOpcodes.HeartbeatAck });
          case GatewayOpcodes.Identify:
            if (session !== null) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
            session = identify(socket, connection, d);
            return;
          case GatewayOpcodes.Resume:
            if (session !== null) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
            session = resume(socket, connection, d);
            return;
          case GatewayOpcodes.PresenceUpdate:
          case GatewayOpcodes.VoiceStateUpdate:
          case GatewayOpcodes.RequestGuildMembers:
          case GatewayOpcodes.RequestSoundboardSounds:
            if (session === null) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
            return;
          default:
            return socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
        }
      });
      socket.on('close', (code: number) => {
        sockets.delete(socket);
        connection.closedAt = Date.now();
        connection.closeCode = code;
        if (session === null || session.socket !== socket) return;
        session.socket = null;
        if (code === 1000 || code === 1001) session.ended = true;
      });
      socket.on('error', () => undefined);
      send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: deps.heartbeatIntervalMs } });
    },
    dispatch(event, data) {
      const live = liveSessions();
      for (const session of live) dispatchTo(session, event, data);
      return live.length;
    },
    waitForSession(timeoutMs) {
      if (liveSessions().length > 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const wake = (): void => {
          clearTimeout(timer);
          sessionWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          sessionWaiters.delete(wake);
          reject(new Error(`No client identified on the gateway within ${timeoutMs} ms`));
        }, timeoutMs);
        sessionWaiters.add(wake);
      });
    },
    closeAll(code, reason = 'Closed by the test') {
      for (const socket of sockets) socket.close(code, reason);
    },
    connections: () => connections,
    stop() {
      for (const socket of sockets) socket.terminate();
      sockets.clear();
    },
  };
}
