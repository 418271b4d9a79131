import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, as a user runs it (`npm test` builds first). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * An environment that reaches no public RPC and no public price API: every preset points at a closed local
 * port, and the default price sources are cut to the on-chain ones (DefiLlama, on by default, would be asked
 * over the internet; a test that wants it sets PRICE_SOURCES and DEFILLAMA_URL to a local server).
 */
export function offlineEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    BASE_RPC_URL: 'http://127.0.0.1:9',
    SONIC_RPC_URL: 'http://127.0.0.1:9',
    ETHEREUM_RPC_URL: 'http://127.0.0.1:9',
    SOLANA_RPC_URL: 'http://127.0.0.1:9',
    BITCOIN_API_URL: 'http://127.0.0.1:9',
    STELLAR_HORIZON_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'info',
    PRICE_SOURCES: 'chainlink,pyth',
    DEFILLAMA_URL: 'http://127.0.0.1:9',
    // Note: two `lookout run` in parallel tests would race for port 8787; a test that wants the API sets a port (0 picks one).
    LOOKOUT_HTTP_PORT: 'off',
    // Note: a test run with EVM_FOLLOW_MODE set runs its `lookout` processes in that mode too.
    ...(process.env.EVM_FOLLOW_MODE ? { EVM_FOLLOW_MODE: process.env.EVM_FOLLOW_MODE } : {}),
  };
  return { ...base, ...extra };
}

/** A fresh working folder, so no stray lookout.config.json is read. */
export function tempFolder(prefix = 'lookout-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs `lookout <args>` to completion. */
export function runCli(args: string[], options: { env: Record<string, string>; cwd: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: options.env, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export type RunningLookout = {
  child: ChildProcess;
  stdout(): string;
  /** Each complete stdout line with the time (ms since the epoch) it arrived. */
  stdoutLines(): { at: number; line: string }[];
  stderr(): string;
  /** Resolves when stderr (logs) or stdout matches. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** Starts `lookout run <args>` in the background. */
export function startLookout(args: string[], options: { env: Record<string, string>; cwd: string }): RunningLookout {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { env: options.env, cwd: options.cwd });
  let out = '';
  let err = '';
  let partial = '';
  const lines: { at: number; line: string }[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    const at = Date.now();
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push({ at, line });
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    child,
    stdout: () => out,
    stdoutLines: () => lines,
    stderr: () => err,
    async waitFor(pattern, stream = 'stderr', timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stream === 'stderr' ? err : out)) {
        if (child.exitCode !== null) throw new Error(`lookout run exited (${child.exitCode}):\n${err}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${stream}:\n${stream === 'stderr' ? err : out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
