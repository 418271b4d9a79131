import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainCommand } from '../src/cli/explainCommand.js';
import { CHAIN_PRESETS } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import { offlineEnv, runCli, tempFolder } from './support/lookoutProcess.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

type SolanaExpected = { signature: string; wallet: string; failed: boolean; fee: number; deltas: Record<string, string>; file: string };
type EvmExpected = { file: string; tx: string; wallet: string; failed: boolean; valueSent: string; erc20: Record<string, string> };

const solanaExpected: SolanaExpected[] = JSON.parse(readFileSync(path.join(FIXTURES, 'solana/expected.json'), 'utf8'));
const evmExpected: EvmExpected[] = JSON.parse(readFileSync(path.join(FIXTURES, 'evm/expected.json'), 'utf8'));
const cwd = tempFolder();
const env = offlineEnv();

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

describe('lookout explain on saved transactions, offline', () => {
  it('behavior: reproduces every Solana expected entry, and names a damaged file in one line', { timeout: 120_000 }, async () => {
    const files = solanaExpected.map((entry) => path.join(FIXTURES, 'solana', entry.file));
    const result = await runCli(['explain', '--json', '--chain', 'solana', ...files], { env, cwd });
    const explained = jsonLines(result.stdout);
    const damaged = solanaExpected.filter((entry) => entry.file.includes('broken_data'));
    for (const entry of solanaExpected.filter((e) => !damaged.includes(e))) {
      const match = explained.find((line) => line.tx === entry.signature);
      expect(match, entry.file).toMatchObject({
        chain: 'solana',
        wallet: entry.wallet,
        failed: entry.failed,
        fee: String(entry.fee),
        deltas: entry.deltas,
      });
    }
    for (const entry of damaged) expect(result.stderr).toContain(path.basename(entry.file));
    expect(result.code).toBe(damaged.length ? 1 : 0);
  });

  it('behavior: reproduces every EVM expected entry', { timeout: 120_000 }, async () => {
    const files = evmExpected.map((entry) => path.join(FIXTURES, 'evm', entry.file));
    const result = await runCli(['explain', '--json', ...files], { env, cwd });
    expect(result.stderr).toBe('');
    const explained = jsonLines(result.stdout);
    for (const entry of evmExpected) {
      const match = explained.find((line) => line.tx === entry.tx) as { wallet: string; failed: boolean; deltas: Record<string, string> };
      expect(match, entry.file).toMatchObject({ wallet: entry.wallet, failed: entry.failed });
      const { native, ...tokens } = match.deltas;
      expect(tokens, entry.file).toEqual(entry.erc20);
      expect(BigInt(native ?? '0'), entry.file).toBe(-BigInt(entry.valueSent));
    }
  });

  it('behavior: shows a readable summary and takes another wallet of the transaction', async () => {
    const entry = evmExpected.find((candidate) => Object.keys(candidate.erc20).length === 2)!;
    const file = path.join(FIXTURES, 'evm', entry.file);
    const text = await runCli(['explain', file], { env, cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`wallet ${entry.wallet}`);
    const other = await runCli(['explain', '--json', '--wallet', '0x0000000000000000000000000000000000000001', file], { env, cwd });
    expect(jsonLines(other.stdout)[0]).toMatchObject({ wallet: '0x0000000000000000000000000000000000000001', deltas: {} });
  });

  it('error: a target that is neither a file, a hash nor a signature gets one sentence and exit 1', async () => {
    const result = await runCli(['explain', 'nonsense'], { env, cwd });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not a file, an EVM transaction hash/);
  });

  it('error: a hash whose chain RPC does not answer says which variable to check', async () => {
    const hash = evmExpected[0]!.tx;
    const result = await runCli(['explain', hash, '--chain', 'base'], { env, cwd });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/The RPC of base did not answer; check BASE_RPC_URL/);
  });
});

describe('lookout explain of a transaction Lookout skipped', () => {
  it('behavior: says at which block Lookout skipped it and why, before what the chain shows', { timeout: 60_000 }, async () => {
    const hash = `0x${'ab'.repeat(32)}`;
    const chain = CHAIN_PRESETS.find((preset) => preset.name === 'base')!;
    const offline = { ...chain, rpcUrls: ['http://127.0.0.1:9'] };
    const config = { chains: [offline], followed: [offline], dataDir: cwd, databaseUrl: undefined } as unknown as LookoutConfig;
    let out = '';
    let err = '';
    const lookup = async (tx: string) =>
      tx === hash ? [{ chain: 'base', txHash: hash, blockNumber: 1234n, reason: "The receipt's status '0x7' is neither 0x1 (success) nor 0x0 (reverted).", firstSeen: new Date() }] : [];
    const code = await explainCommand(config, [hash], { out: (text) => void (out += text), err: (text) => void (err += text) }, lookup);
    expect(out).toContain(`[base] ${hash}\n  Lookout skipped this transaction at block 1234: The receipt's status '0x7'`);
    // The chain itself could not be asked here; that is said on its own line.
    expect(code).toBe(1);
    expect(err).toMatch(/did not answer/);
  });
});
