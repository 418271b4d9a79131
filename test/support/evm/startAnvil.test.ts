import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './startAnvil.js';

type RpcBlock = { number: string; hash: string; parentHash: string; transactions: string[] };

const latestBlock = (anvil: Anvil) => anvil.rpc<RpcBlock>('eth_getBlockByNumber', ['latest', false]);

/** Sends ETH and returns the block it landed in: automine can answer with the hash before the block exists. */
async function transferInBlock(anvil: Anvil, from: string, to: string, value: string): Promise<RpcBlock> {
  const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from, to, value }]);
  for (let attempt = 0; attempt < 100; attempt++) {
    const receipt = await anvil.rpc<{ blockHash: string } | null>('eth_getTransactionReceipt', [hash]);
    if (receipt) return anvil.rpc<RpcBlock>('eth_getBlockByHash', [receipt.blockHash, false]);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`transaction ${hash} was not mined`);
}

/** True once nothing accepts connections on the port any more. */
async function closed(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const answered = await fetch(`http://127.0.0.1:${port}`, { method: 'POST' }).then(
      () => true,
      () => false,
    );
    if (!answered) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Runs a Node process that starts an anvil, prints its port, then does `then` (plain JavaScript). */
function childWithAnvil(then: string): {
  port: Promise<number>;
  exit: Promise<{ code: number | null; signal: string | null }>;
  kill(signal: NodeJS.Signals): void;
} {
  const module = new URL('./startAnvil.ts', import.meta.url).href;
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const code = `const { startAnvil } = await import(${JSON.stringify(module)});
const anvil = await startAnvil();
console.log('port', anvil.port);
${then}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then(() => reject(new Error(`child exited before starting anvil:\n${output}`)));
  });
  return { port, exit, kill: (signal) => child.kill(signal) };
}

describe('startAnvil', () => {
  it('behavior: each node gets its own free port and the chain id asked for', async () => {
    const [first, second] = await Promise.all([startAnvil(), startAnvil({ chainId: 8453 })]);
    try {
      expect(first.port).not.toBe(second.port);
      expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
      expect(first.chainId).toBe(31337);
      expect(await first.rpc('eth_chainId')).toBe('0x7a69');
      expect(await second.rpc('eth_chainId')).toBe('0x2105');
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('behavior: mine(n) mines n blocks, and with automine off sent transactions wait for it', async () => {
    const anvil = await startAnvil();
    try {
      await anvil.mine(5);
      expect(Number((await latestBlock(anvil)).number)).toBe(5);
      const [from, to] = (await anvil.rpc<string[]>('eth_accounts')) as [string, string];
      await anvil.setAutomine(false);
      const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from, to, value: '0x1' }]);
      expect(await anvil.rpc('eth_getTransactionReceipt', [hash])).toBeNull();
      await anvil.mine();
      expect((await latestBlock(anvil)).transactions).toEqual([hash]);
    } finally {
      await anvil.stop();
    }
  });

  it('behavior: after a revert, another block at the same height has a new hash and the old one is gone', async () => {
    const anvil = await startAnvil();
    try {
      await anvil.mine(2);
      const [from, to] = (await anvil.rpc<string[]>('eth_accounts')) as [string, string];
      const id = await anvil.snapshot();
      const orphaned = await transferInBlock(anvil, from, to, '0x1');

      await anvil.revert(id);
      expect(Number((await latestBlock(anvil)).number)).toBe(2);
      expect(await anvil.rpc('eth_getBlockByHash', [orphaned.hash, false])).toBeNull();
      const replacement = await transferInBlock(anvil, from, to, '0x2');

      expect(orphaned.number).toBe('0x3');
      expect(replacement.number).toBe(orphaned.number);
      expect(replacement.parentHash).toBe(orphaned.parentHash);
      expect(replacement.hash).not.toBe(orphaned.hash);
    } finally {
      await anvil.stop();
    }
  });

  it('error: a snapshot cannot be reverted to twice', async () => {
    const anvil = await startAnvil();
    try {
      const id = await anvil.snapshot();
      await anvil.mine();
      await anvil.revert(id);
      await expect(anvil.revert(id)).rejects.toThrow(/no snapshot/);
    } finally {
      await anvil.stop();
    }
  });

  it('behavior: blockTime mines blocks on an interval without any transaction', async () => {
    const anvil = await startAnvil({ blockTime: 1 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      expect(Number((await latestBlock(anvil)).number)).toBeGreaterThanOrEqual(1);
    } finally {
      await anvil.stop();
    }
  });

  it('error: a port already in use fails the start with what anvil said', async () => {
    const anvil = await startAnvil();
    try {
      await expect(startAnvil({ port: anvil.port })).rejects.toThrow(/anvil exited during startup/);
    } finally {
      await anvil.stop();
    }
  });

  it('behavior: stop() ends the node and frees its port, and a second stop() is harmless', async () => {
    const anvil = await startAnvil();
    await anvil.stop();
    expect(await closed(anvil.port)).toBe(true);
    await anvil.stop();
  });

  it('behavior: a process that forgets stop() still exits, and takes its anvil with it', async () => {
    const child = childWithAnvil('');
    const port = await child.port;
    expect((await child.exit).code).toBe(0);
    expect(await closed(port)).toBe(true);
  });

  it('behavior: no anvil outlives a process that crashes without calling stop()', async () => {
    const child = childWithAnvil(`setTimeout(() => { throw new Error('crash'); }, 10);`);
    const port = await child.port;
    expect((await child.exit).code).toBe(1);
    expect(await closed(port)).toBe(true);
  });

  it('behavior: no anvil outlives a process ended by SIGTERM, which still ends', async () => {
    const child = childWithAnvil(`setInterval(() => {}, 1_000);`);
    const port = await child.port;
    child.kill('SIGTERM');
    expect((await child.exit).signal).toBe('SIGTERM');
    expect(await closed(port)).toBe(true);
  });
});
