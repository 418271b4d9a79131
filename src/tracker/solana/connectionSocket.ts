import type { Connection } from '@solana/web3.js';

/**
 * The WebSocket client inside a web3.js 1.x Connection. It is not public API, and this file is the
 * only one that touches it: web3.js gives no way to learn that its socket closed, nor to drop a
 * socket without asking the server to unsubscribe first.
 */
type ConnectionSocket = {
  on(event: 'close', listener: (code: number) => void): unknown;
  setAutoReconnect(reconnect: boolean): void;
  close(code?: number, reason?: string): void;
  reconnect_timer_id?: NodeJS.Timeout;
};

// A private close code: web3.js treats anything but 1000 as a lost connection.
const ABANDON_CODE = 4000;

function socketOf(connection: Connection): ConnectionSocket | null {
  const socket = (connection as unknown as { _rpcWebSocket?: Partial<ConnectionSocket> })._rpcWebSocket;
  if (!socket || typeof socket.on !== 'function' || typeof socket.close !== 'function' || typeof socket.setAutoReconnect !== 'function') {
    return null;
  }
  return socket as ConnectionSocket;
}

/** Calls `listener` whenever the Connection's socket closes; false when this web3.js cannot tell. */
export function onSocketClose(connection: Connection, listener: (code: number) => void): boolean {
  const socket = socketOf(connection);
  if (!socket) return false;
  socket.on('close', listener);
  return true;
}

/**
 * Drops the Connection's socket for good without a word to the server; false when this web3.js
 * does not allow it, and the caller must remove its listeners the documented way.
 *
 * Note: after a clean close (1000) web3.js reconnects but keeps its subscriptions marked live, so
 * removing a listener sends an unsubscribe the server rejects, and web3.js retries it without
 * end. Closing with another code makes it forget them locally; turning reconnection off and
 * clearing a pending reconnect leaves no timer that would keep the process alive.
 */
export function abandonSocket(connection: Connection): boolean {
  const socket = socketOf(connection);
  if (!socket) return false;
  socket.setAutoReconnect(false);
  clearTimeout(socket.reconnect_timer_id);
  try {
    socket.close(ABANDON_CODE, 'subscriptions moved to a new connection');
  } catch {
    // Already closed.
  }
  return true;
}
