import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The benchmark's handle on the mainnet-shaped RPC running in its own process (see evmRpcServerProcess.ts). */
export type EvmRpcServer = {
  url: string;
  setHot(wallets: string[]): Promise<void>;
  setNewHeads(on: boolean): Promise<void>;
  mineBacklog(count: number): Promise<void>;
  head(): Promise<bigint>;
  block(number: bigint): Promise<{ availableAt: number; hotTxs: string[] } | null>;
  stats(): Promise<{ calls: Record<string, number>; bytes: number; requests: number; limited: number }>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
};

/** Starts the server process and waits for its URL. */
export async function startServerProcess(rateLimit: string | undefined): Promise<EvmRpcServer> {
  const script = fileURLToPath(new URL('./evmRpcServerProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...(rateLimit ? ['--rate-limit', rateLimit] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Note: a benchmark that crashes must not leave the server running.
  process.once('exit', () => child.kill('SIGTERM'));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the RPC server process exited with ${code}`)));
  });
  let id = 0;
  const call = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
    return ((await response.json()) as { result: T }).result;
  };
  return {
    url,
    setHot: (wallets) => call('bench_setHot', wallets),
    setNewHeads: (on) => call('bench_setNewHeads', [on]),
    mineBacklog: (count) => call('bench_mineBacklog', [count]),
    head: async () => BigInt(await call<string>('bench_head')),
    block: (number) => call('bench_block', [number.toString()]),
    stats: () => call('bench_stats'),
    resetStats: () => call('bench_resetStats'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
