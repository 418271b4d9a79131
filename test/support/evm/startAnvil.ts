import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A running anvil node on 127.0.0.1, owned by this process. */
export type Anvil = {
  url: string;
  port: number;
  chainId: number;
  /** Calls any JSON-RPC method; an RPC error is thrown with its code and message. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Mines `blocks` blocks at once (default 1), with whatever the mempool holds in the first. */
  mine(blocks?: number): Promise<void>;
  /** Automine on: every transaction is mined in its own block as it is sent. */
  setAutomine(on: boolean): Promise<void>;
  /** Saves the chain state; pass the id to `revert` to roll blocks and state back to it. */
  snapshot(): Promise<string>;
  /**
   * Drops every block mined after the snapshot.
   * Note: anvil forgets a snapshot once reverted to (and any taken after it); take a new one to revert again.
   */
  revert(id: string): Promise<void>;
  /** Kills the node and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
};

/** How to start anvil; everything is optional. */
export type StartAnvilOptions = {
  /** Defaults to a port the OS picks, so parallel test files never collide. */
  port?: number;
  /** Seconds between blocks (interval mining); without it anvil automines. */
  blockTime?: number;
  /** Defaults to 31337. */
  chainId?: number;
};

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts a fresh anvil from the `@foundry-rs/anvil` binary and resolves once it answers `eth_chainId`. */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<Anvil> {
  const chainId = options.chainId ?? 31337;
  const args = [
    '--host',
    '127.0.0.1',
    // Note: port 0 lets anvil bind a free port itself, which no probe-then-spawn scheme can race with.
    '--port',
    String(options.port ?? 0),
    '--chain-id',
    String(chainId),
    // Transactions batched into one block (automine off) land in the order they were sent, not by fee.
    '--order',
    'fifo',
  ];
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime));

  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackForCleanup(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));

  let port: number;
  try {
    port = await listeningPort(child);
  } catch (error) {
    await kill(child, exited);
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const rpc = jsonRpc(url);

  try {
    const answered = Number(await rpc<string>('eth_chainId'));
    if (answered !== chainId) throw new Error(`anvil answered chain id ${answered}, expected ${chainId}`);
  } catch (error) {
    await kill(child, exited);
    throw error;
  }

  // A test that forgets stop() must not keep its process alive (the exit hook still kills anvil);
  // the output pipes hold the event loop as much as the child does.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as Partial<Socket> | null)?.unref?.();

  return {
    url,
    port,
    chainId,
    rpc,
    async mine(blocks = 1) {
      await rpc('anvil_mine', [`0x${blocks.toString(16)}`]);
    },
    async setAutomine(on) {
      await rpc('evm_setAutomine', [on]);
    },
    snapshot() {
      return rpc<string>('evm_snapshot');
    },
    async revert(id) {
      const reverted = await rpc<boolean>('evm_revert', [id]);
      if (!reverted) throw new Error(`anvil has no snapshot ${id} (a snapshot can be reverted to only once)`);
    },
    stop() {
      return kill(child, exited);
    },
  };
}

/** The platform package's binary: going through the `bin.mjs` wrapper (or npx) would orphan anvil on kill. */
function anvilBinary(): string {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string];
  const binary = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const require = createRequire(import.meta.url);
  if (arch) {
    try {
      const manifest = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`);
      const candidate = path.join(path.dirname(manifest), 'bin', binary);
      if (existsSync(candidate)) return candidate;
    } catch {
      // The wrapper package falls back to a binary its postinstall downloaded.
    }
  }
  const fallback = path.join(path.dirname(require.resolve('@foundry-rs/anvil/package.json')), '..', 'dist', binary);
  if (existsSync(fallback)) return fallback;
  throw new Error(`no anvil binary for ${process.platform}-${process.arch}; is @foundry-rs/anvil installed?`);
}

/** Reads the port from anvil's "Listening on" line; anvil's output is kept only to explain a failed start. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      output = (output + chunk.toString()).slice(-8_000);
      const match = /Listening on [\d.]+:(\d+)/.exec(output);
      if (match) settle(() => resolve(Number(match[1])));
    };
    // Both streams stay drained for the node's whole life: a full pipe would block anvil.
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => settle(() => reject(new Error('anvil failed to start', { cause: error }))));
    child.once('exit', (code, signal) =>
      settle(() => reject(new Error(`anvil exited during startup (${signal ?? `code ${code}`}):\n${output.trim()}`))),
    );
    const timer = setTimeout(
      () => settle(() => reject(new Error(`anvil did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output.trim()}`))),
      STARTUP_TIMEOUT_MS,
    );
  });
}

function jsonRpc(url: string): Anvil['rpc'] {
  let nextId = 1;
  return async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
    });
    if (!response.ok) throw new Error(`anvil ${method}: HTTP ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
    if (body.error) {
      throw Object.assign(new Error(`anvil ${method}: ${body.error.message} (code ${body.error.code})`), {
        code: body.error.code,
        data: body.error.data,
      });
    }
    return body.result as T;
  };
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  // Note: a process that failed to spawn has no pid and may never emit 'exit'.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  // Keeps this process alive until anvil is gone, so `await stop()` really waits for it.
  child.ref();
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const stubborn = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
  if ((await Promise.race([exited, stubborn])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

const running = new Set<ChildProcess>();
let hooked = false;

/** Kills every anvil still running when this process ends, even after a crash or a forgotten stop(). */
function trackForCleanup(child: ChildProcess): void {
  running.add(child);
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const each of running) each.kill('SIGKILL');
    running.clear();
  };
  process.on('exit', killAll);
  // A signal ends Node without an 'exit' event unless someone listens; re-raise it when only we did.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      process.off(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
