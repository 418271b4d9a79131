import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnv, runCli, startLookout, tempFolder } from './lookoutProcess.js';
import { createScratchPostgres, postgresUrl } from './testDatabase.js';

const WHALE = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const SHRIMP = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const SOL_WALLET = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

/**
 * The command line end to end on one kind of database: tracking, groups, settings, workspaces, bad input that needs
 * the data, and `lookout run` serving commands. One file a kind, so the two run side by side.
 */
export function describeCli(kind: 'pglite' | 'postgres'): void {
  describe(`lookout CLI on ${kind}`, () => {
    const cwd = tempFolder();
    let env: Record<string, string>;
    let drop: (() => Promise<void>) | undefined;
    const lookout = (...args: string[]) => runCli(args, { env, cwd });
    const walletCount = async () => (JSON.parse((await lookout('wallets', '--json')).stdout) as unknown[]).length;

    beforeAll(async () => {
      env = offlineEnv({ LOOKOUT_DATA_DIR: path.join(cwd, 'data') });
      if (kind === 'postgres') {
        const scratch = await createScratchPostgres(postgresUrl!);
        env.DATABASE_URL = scratch.url;
        drop = scratch.drop;
      }
    });
    afterAll(async () => {
      await drop?.();
    });

    it('behavior: tracks wallets, groups them and lists them as JSON', { timeout: 300_000 }, async () => {
      const tracked = await lookout('track', WHALE, '--label', 'whale');
      expect(tracked.stderr).toBe('');
      expect(tracked.code).toBe(0);
      expect(tracked.stdout).toContain('on base, sonic, ethereum');

      expect((await lookout('track', SOL_WALLET, '--label', 'sol1')).stdout).toContain('on solana');
      expect((await lookout('track', SHRIMP, '--chain', 'base', '--label', 'shrimp')).code).toBe(0);
      expect((await lookout('group', 'create', 'fish')).code).toBe(0);
      expect((await lookout('group', 'add', 'fish', 'whale', SHRIMP.toLowerCase())).code).toBe(0);
      expect((await lookout('track', '0x0000000000000000000000000000000000000001', '--label', 'one', '--group', 'fish')).code).toBe(0);

      const wallets = JSON.parse((await lookout('wallets', '--json')).stdout);
      expect(wallets).toEqual([
        expect.objectContaining({ label: 'one', groups: ['fish'] }),
        expect.objectContaining({ label: 'shrimp', address: SHRIMP, chains: ['base'], groups: ['fish'] }),
        expect.objectContaining({ label: 'sol1', address: SOL_WALLET, chains: ['solana'], groups: [] }),
        expect.objectContaining({ label: 'whale', address: WHALE, chains: ['base', 'ethereum', 'sonic'], groups: ['fish'] }),
      ]);
      const groups = JSON.parse((await lookout('group', 'list', '--json')).stdout);
      expect(groups[0].wallets.map((w: { label: string }) => w.label)).toEqual(['one', 'shrimp', 'whale']);

      expect((await lookout('group', 'remove', 'fish', 'one')).code).toBe(0);
      expect((await lookout('untrack', 'one')).code).toBe(0);
      expect((await lookout('trades', '--json')).stdout.trim()).toBe('[]');
      expect((await lookout('trades', '--group', 'fish', '--since', '24h')).stdout).toContain('No trades yet');
    });

    // Note: input that is wrong on its face is answered before any database is opened (test/cliUsage.test.ts);
    // these cases need the data or the configuration.
    it.each([
      ['an unknown chain', ['track', WHALE, '--chain', 'polygon'], /'polygon' is not a known chain/],
      ['a chain of the other kind', ['track', WHALE, '--chain', 'solana'], /Solana chain/],
      ['a duplicate label', ['track', '0x0000000000000000000000000000000000000002', '--label', 'WHALE'], /already used/],
      ['an unknown group', ['track', '0x0000000000000000000000000000000000000003', '--group', 'nope'], /no group 'nope'/],
      ['an unknown wallet', ['untrack', 'nobody'], /No wallet 'nobody'/],
      ['an unknown wallet in a group', ['group', 'add', 'fish', 'whale', 'nobody'], /No wallet 'nobody'/],
      ['an unknown group to delete', ['group', 'delete', 'nope'], /no group 'nope'/],
    ])('error: %s gets one clear sentence, exit code 1 and writes nothing', async (_case, args, pattern) => {
      const before = await walletCount();
      const result = await lookout(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(await walletCount()).toBe(before);
    });

    it('behavior: settings change the PnL method and alert filters; a bad value changes nothing', { timeout: 60_000 }, async () => {
      const changed = JSON.parse((await lookout('settings', '--pnl-method', 'average', '--min-usd', '250', '--fee-basis', 'on', '--json')).stdout);
      expect(changed).toMatchObject({ pnlMethod: 'average', alertsMinUsd: '250', alertsEnabled: true, feesInBasis: true });
      const refused = await lookout('settings', '--alerts', 'off', '--types', 'buy,moon');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/'moon' is not a kind of trade/);
      const shown = JSON.parse((await lookout('settings', '--json')).stdout);
      expect(shown).toMatchObject({ pnlMethod: 'average', alertsMinUsd: '250', alertsEnabled: true, alertsTypes: null });
    });

    it.runIf(kind === 'pglite')('behavior: the embedded data folder is private: 0700 folders and 0600 files', async () => {
      expect((await lookout('wallets')).code).toBe(0);
      const dataDir = env.LOOKOUT_DATA_DIR!;
      const entries = readdirSync(dataDir, { withFileTypes: true, recursive: true });
      expect(entries.length).toBeGreaterThan(10);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      for (const entry of entries) {
        const full = path.join(entry.parentPath, entry.name);
        expect(statSync(full).mode & 0o777, full).toBe(entry.isDirectory() ? 0o700 : 0o600);
      }
    });

    it('behavior: workspaces are isolated on the command line', async () => {
      expect((await lookout('track', WHALE, '--label', 'other-whale', '--workspace', 'team2')).code).toBe(0);
      const team2 = JSON.parse((await lookout('wallets', '--json', '--workspace', 'team2')).stdout);
      expect(team2.map((w: { label: string }) => w.label)).toEqual(['other-whale']);
      const local = JSON.parse((await lookout('wallets', '--json')).stdout);
      expect(local.map((w: { label: string }) => w.label)).not.toContain('other-whale');
    });

    it('error: invalid configuration exits with code 2 and one line naming the field', async () => {
      const folder = tempFolder();
      writeFileSync(path.join(folder, 'lookout.config.json'), JSON.stringify({ chains: [{ name: 'x', kind: 'evm', chainId: 5, rpcUrls: ['nope'] }] }));
      const result = await runCli(['wallets'], { env, cwd: folder });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/chains\[0\]\.rpcUrls\[0\]/);
    });

    it('behavior: run starts, says which chains it follows, serves commands while up, and stops on SIGTERM', { timeout: 180_000 }, async () => {
      const running = startLookout(['--json'], { env, cwd });
      try {
        await running.waitFor(/following base, sonic, ethereum, solana, bitcoin, stellar/);
        // Note: every preset points at a closed port, so each chain warns once and keeps retrying.
        await running.waitFor(/rpc endpoint failing|rpc unreachable/);
        // First run: each chain says once which variable to set and how to follow fewer chains, Solana included.
        for (const [chain, variable] of [['base', 'BASE_RPC_URL'], ['sonic', 'SONIC_RPC_URL'], ['ethereum', 'ETHEREUM_RPC_URL'], ['solana', 'SOLANA_RPC_URL'], ['bitcoin', 'BITCOIN_API_URL'], ['stellar', 'STELLAR_HORIZON_URL']]) {
          await running.waitFor(new RegExp(`${chain}: no RPC answered .*set ${variable} .*LOOKOUT_CHAINS`));
        }
        const tracked = await lookout('track', '0x0000000000000000000000000000000000000004', '--label', 'while-running');
        expect(tracked.code).toBe(0);
        const listed = JSON.parse((await lookout('wallets', '--json')).stdout);
        expect(listed.map((w: { label: string }) => w.label)).toContain('while-running');
        const refused = await lookout('untrack', 'nobody');
        expect(refused.code).toBe(1);
        if (kind === 'pglite') {
          const second = await runCli(['run'], { env, cwd });
          expect(second.code).toBe(1);
          expect(second.stderr).toMatch(/already running/);
        }
      } finally {
        expect(await running.stop('SIGTERM')).toBe(0);
      }
      expect(running.stderr()).toMatch(/"msg":"stopped"/);
      expect(running.stderr().match(/no RPC answered/g)).toHaveLength(6);
      expect(running.stdout()).toBe('');
      // After it stops, commands open the database themselves again.
      expect((await lookout('wallets')).stdout).toContain('while-running');
    });
  });
}
