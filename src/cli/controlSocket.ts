import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/** A command sent to the running instance, and what it answered. */
export type ControlRequest = { argv: string[]; actor: string; /** The caller's folder, against which paths in argv resolve. */ cwd: string };
export type ControlResponse = { exitCode: number; stdout: string; stderr: string };

/** The socket of the running instance for a data folder; long folder paths fall back to a short name in /tmp. */
export function controlSocketPath(dataDir: string): string {
  const inside = path.join(dataDir, 'lookout.sock');
  if (inside.length < 100) return inside;
  return path.join('/tmp', `lookout-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`);
}

/** Serves commands from other `lookout` processes, one JSON line in and one out per connection. */
export async function startControlServer(
  socketPath: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<{ close(): Promise<void> }> {
  await rm(socketPath, { force: true });
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const line = buffer.slice(0, newline);
      buffer = '';
      void respond(line).then((response) => socket.end(`${JSON.stringify(response)}\n`));
    });
    socket.on('error', () => socket.destroy());
  });
  const respond = async (line: string): Promise<ControlResponse> => {
    try {
      const request = JSON.parse(line) as ControlRequest;
      if (!Array.isArray(request.argv) || typeof request.actor !== 'string' || typeof request.cwd !== 'string') {
        throw new Error('malformed request');
      }
      return await handle(request);
    } catch (error) {
      return { exitCode: 1, stdout: '', stderr: `The running Lookout could not run the command: ${String(error)}\n` };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        void rm(socketPath, { force: true });
      }),
  };
}

/** Sends a command to the running instance; null when none answers on that socket. */
export function sendToRunningInstance(socketPath: string, request: ControlRequest): Promise<ControlResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => (buffer += chunk));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(buffer) as ControlResponse);
      } catch {
        reject(new Error('The running Lookout closed the connection without an answer.'));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) resolve(null);
      else reject(error);
    });
  });
}
