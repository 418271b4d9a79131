import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PublicKey } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base58Encode } from '../src/tracker/solana/base58.js';
import { decodeSolanaTransaction } from '../src/tracker/solana/decodeSolanaTransaction.js';
import { readSolanaTransactions } from '../src/tracker/solana/readSolanaTransactionFile.js';
import { METAPLEX_METADATA_PROGRAM_ID, metaplexMetadataAddress } from '../src/tracker/solana/tokenMetadata.js';
import { offlineEnv, runCli, startLookout, tempFolder, type RunningLookout } from './support/lookoutProcess.js';
import { encodePriceUpdateV2, PYTH_RECEIVER } from './support/prices/encodePythPriceAccount.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { createScratchPostgres, postgresUrl } from './support/testDatabase.js';

type Leg = { asset: string; symbol: string; amount: string };
type Alert = { type: string; chain: string; tx: string; wallet: string; label: string; kind: string; sent: Leg[]; received: Leg[]; usd: string | null };
type ExpectedEntry = { signature: string; wallet: string; failed: boolean; fee: number; deltas: Record<string, string> };

const fixturesDir = fileURLToPath(new URL('./fixtures/solana/', import.meta.url));
const expected = new Map(
  (JSON.parse(readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8')) as ExpectedEntry[]).map((entry) => [entry.signature, entry]),
);
const jeffro = (name: string) => `0xjeffro_tx-parser/solana/data/${name}`;
const FILES = {
  pumpBuy: jeffro('pumpfun_buy_0.json'), // sol1 buys a Pump.fun token for SOL
  jupiter: jeffro('jupiterAggregatorV6_sharedAccountsRoute_1.json'), // sol2 buys a token for 100 USDC
  commission: jeffro('OKXDEX_commissionSplProxySwap.json'), // pays sol3 a USDC commission; lists only its token account
  untracked: jeffro('raydiumLiquidityPoolV4_swap_0.json'), // a wallet nobody tracks
  okxBuy: jeffro('OKXDEX_swap_1.json'), // sol1 again, while Lookout is down
  photonSell: jeffro('photon_pumpfun_sell.json'), // sol4, while Lookout is down
  photonBuy: jeffro('photon_pumpfun_buy_0.json'), // sol5, after the restart
} as const;
type FixtureKey = keyof typeof FILES;

/** The getTransaction result a fixture file holds. */
const fixture = (key: FixtureKey): unknown => readSolanaTransactions(JSON.parse(readFileSync(path.join(fixturesDir, FILES[key]), 'utf8')))[0];
const decoded = (key: FixtureKey) => decodeSolanaTransaction(fixture(key));
const signatureOf = (key: FixtureKey) => decoded(key).signature;
const feePayerOf = (key: FixtureKey) => decoded(key).feePayer;

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const PUMP_MINT = 'D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si';
// Receives the commission in USDC; the transaction lists only its token account.
const COMMISSIONED = 'e24SXSTq1AkusXQEKgZW389taxTTzSuGF8JQqjhbTfc';
// The SOL / USD feed of the solana preset.
const SOL_USD_FEED = '7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE';

/** Metaplex Token Metadata account data (key 4, update authority, mint, name, symbol, uri). */
function metaplexData(mint: string, name: string, symbol: string): Buffer {
  const text = (value: string): Buffer => {
    const bytes = Buffer.from(value);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([Buffer.from([4]), Buffer.alloc(32, 7), new PublicKey(mint).toBuffer(), text(name), text(symbol), text('')]);
}

/** A raw amount in whole units, exact and trimmed: 3070000000 at 9 decimals is '3.07'. */
function units(raw: bigint, decimals: number): string {
  const digits = (raw < 0n ? -raw : raw).toString().padStart(decimals + 1, '0');
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  const whole = digits.slice(0, digits.length - decimals);
  return fraction ? `${whole}.${fraction}` : whole;
}

const alertsIn = (stdout: string): Alert[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Alert);

/** The alert's legs as expected.json writes deltas: raw integers, SOL for the native coin, negative when sent. */
function legsAsDeltas(alert: Alert, key: FixtureKey): Record<string, string> {
  const tx = decoded(key);
  const decimalsOf = (asset: string) =>
    asset === 'native' ? 9 : [...tx.tokenBalances.post, ...tx.tokenBalances.pre].find((balance) => balance.mint === asset)!.decimals;
  const raw = (leg: Leg) => {
    const [whole, fraction = ''] = leg.amount.split('.');
    return BigInt(`${whole}${fraction.padEnd(decimalsOf(leg.asset), '0')}`);
  };
  const name = (leg: Leg) => (leg.asset === 'native' ? 'SOL' : leg.asset);
  return Object.fromEntries([
    ...alert.sent.map((leg) => [name(leg), (-raw(leg)).toString()]),
    ...alert.received.map((leg) => [name(leg), raw(leg).toString()]),
  ]);
}

describe('lookout run on a local Solana node', () => {
  let server: SolanaRpcServer;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  const cwd = tempFolder();
  const lookout = (...args: string[]) => runCli(args, { env, cwd });
  const published = new Map<FixtureKey, string>();
  const publish = (key: FixtureKey) => {
    const { signature } = server.publish(fixture(key));
    published.set(key, signature);
    return signature;
  };
  const tracked = {
    sol1: feePayerOf('pumpBuy'),
    sol2: feePayerOf('jupiter'),
    sol3: COMMISSIONED,
    sol4: feePayerOf('photonSell'),
    sol5: feePayerOf('photonBuy'),
  };
  let commissionAccount: string;

  /** Waits until the run has seen every tracked address once and subscribed to the logs of each. */
  async function following(run: RunningLookout): Promise<void> {
    for (const address of [...Object.values(tracked), commissionAccount]) {
      await run.waitFor(new RegExp(`"address":"${address}".*address seen for the first time`));
    }
    const watched = Object.keys(tracked).length + 1;
    const deadline = Date.now() + 10_000;
    while ((server.requests['logsSubscribe'] ?? 0) < watched || server.sockets().open === 0) {
      if (Date.now() > deadline) throw new Error(`no logs subscriptions:\n${run.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    server = await startSolanaRpcServer();
    expect(feePayerOf('okxBuy')).toBe(tracked.sol1);
    // SOL at $3,300, published now, so that SOL legs are priced.
    server.setAccount(SOL_USD_FEED, {
      owner: PYTH_RECEIVER,
      lamports: 1n,
      data: encodePriceUpdateV2({ price: 330_000_000_000n, exponent: -8, publishTime: BigInt(Math.floor(Date.now() / 1000)), postedSlot: BigInt(server.slot()) }),
    });
    server.setAccount(metaplexMetadataAddress(PUMP_MINT), { owner: METAPLEX_METADATA_PROGRAM_ID, lamports: 1n, data: metaplexData(PUMP_MINT, 'Test Meme', 'MEME') });
    server.setAccount(metaplexMetadataAddress(USDC), { owner: METAPLEX_METADATA_PROGRAM_ID, lamports: 1n, data: metaplexData(USDC, 'USD Coin', 'USDC') });
    // What getTokenAccountsByOwner lists for sol3 before the commission lands in it.
    const balance = decoded('commission').tokenBalances.post.find((entry) => entry.owner === COMMISSIONED)!;
    commissionAccount = balance.account;
    server.setTokenAccount({ address: balance.account, owner: COMMISSIONED, mint: balance.mint, amount: 0, decimals: balance.decimals });

    env = offlineEnv({
      LOOKOUT_CHAINS: 'solana',
      SOLANA_RPC_URL: server.url,
      SOLANA_WS_URL: server.wsUrl,
      LOOKOUT_DATA_DIR: path.join(cwd, 'data'),
    });
    if (postgresUrl) {
      const scratch = await createScratchPostgres(postgresUrl);
      env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    }
    for (const [label, address] of Object.entries(tracked)) {
      const result = await lookout('track', address, '--label', label);
      expect(result.code, result.stderr).toBe(0);
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it('behavior: prints each new trade of a tracked wallet once as a priced line, and nothing for an untracked wallet', { timeout: 40_000 }, async () => {
    const run = startLookout([], { env, cwd });
    try {
      await run.waitFor(/Lookout is running/);
      await following(run);
      const buy = publish('pumpBuy');
      const usdcBuy = publish('jupiter');
      const commission = publish('commission');
      const untracked = publish('untracked');
      const short = (signature: string) => `${signature.slice(0, 4)}…${signature.slice(-4)}`;
      for (const signature of [buy, usdcBuy, commission]) await run.waitFor(new RegExp(` · ${short(signature)}( · .*)?$`, 'm'), 'stdout', 10_000);
      // Time enough for a duplicate to show.
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const lines = run.stdout().trim().split('\n');
      expect(lines, run.stdout()).toHaveLength(3);
      // The transaction, then what the alert says of the position: price, token address, holding, first buy.
      const line = (signature: string) => lines.find((candidate) => new RegExp(` · ${short(signature)}( · |$)`).test(candidate));
      expect(line(buy)).toMatch(/^\[solana\] sol1 BUY 56,716,561\.3963 MEME for 3\.07 SOL \(\$10,131\.00\) on Pump\.fun · \w{4}…\w{4} · \$0\.0001786 per MEME · MEME \w+ · holds 56,716,561\.3963 MEME \(\$10,131\.00\) · first buy$/);
      expect(line(usdcBuy)).toMatch(/^\[solana\] sol2 BUY 0\.9449 oreo…EJgz for 100 USDC \(\$100\.00\) on Jupiter v6 · \w{4}…\w{4} · .* · first buy$/);
      // Found through its token account alone: the transaction never names sol3.
      expect(line(commission)).toMatch(/^\[solana\] sol3 RECEIVED 0\.75 USDC from \w{4}…\w{4} \(\$0\.75\) on OKX DEX · \w{4}…\w{4} · USDC \w+ · holds 0\.75 USDC$/);
      expect(run.stdout()).not.toContain(short(untracked));
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });

  it('behavior: after a restart, prints what happened while it was down once, as JSON, and nothing from before', { timeout: 40_000 }, async () => {
    const whileDown = [publish('okxBuy'), publish('photonSell')];
    const run = startLookout(['--json'], { env, cwd });
    try {
      for (const signature of whileDown) await run.waitFor(new RegExp(signature), 'stdout', 15_000);
      const live = publish('photonBuy');
      await run.waitFor(new RegExp(live), 'stdout', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const alerts = alertsIn(run.stdout());
      expect(alerts.map((alert) => alert.tx).sort()).toEqual([...whileDown, live].sort());
      for (const [key, label] of [['okxBuy', 'sol1'], ['photonSell', 'sol4'], ['photonBuy', 'sol5']] as const) {
        const entry = expected.get(signatureOf(key))!;
        const alert = alerts.find((candidate) => candidate.tx === published.get(key))!;
        expect(alert).toMatchObject({ type: 'trade', chain: 'solana', wallet: entry.wallet, label, kind: key === 'photonSell' ? 'sell' : 'buy' });
        expect(legsAsDeltas(alert, key), key).toEqual(entry.deltas);
        // Priced from the SOL leg at $3,300, exactly.
        const sol = BigInt(entry.deltas['SOL']!);
        expect(alert.usd, key).toBe(units((sol < 0n ? -sol : sol) * 3_300n, 9));
      }
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });

  it('behavior: explain fetches signatures from the node with the deltas of expected.json, and trades lists what was stored', async () => {
    const keys: FixtureKey[] = ['pumpBuy', 'jupiter', 'untracked', 'photonSell'];
    const result = await lookout('explain', ...keys.map((key) => published.get(key)!), '--chain', 'solana', '--json');
    expect(result.code, result.stderr).toBe(0);
    const explained = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { chain: string; tx: string; wallet: string; failed: boolean; fee: string; deltas: Record<string, string> });
    expect(explained).toHaveLength(keys.length);
    for (const [index, key] of keys.entries()) {
      const entry = expected.get(signatureOf(key))!;
      expect(explained[index]).toMatchObject({ chain: 'solana', tx: entry.signature, wallet: entry.wallet, failed: entry.failed, fee: String(entry.fee) });
      expect(explained[index]!.deltas, key).toEqual(entry.deltas);
    }

    const listed = await lookout('trades', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const stored = JSON.parse(listed.stdout) as { chain: string; tx: string; wallet: string; label: string; kind: string; base: { asset: string; raw: string } }[];
    const alerted: [FixtureKey, keyof typeof tracked][] = [
      ['pumpBuy', 'sol1'],
      ['jupiter', 'sol2'],
      ['commission', 'sol3'],
      ['okxBuy', 'sol1'],
      ['photonSell', 'sol4'],
      ['photonBuy', 'sol5'],
    ];
    expect(stored.map((trade) => trade.tx).sort()).toEqual(alerted.map(([key]) => published.get(key)!).sort());
    for (const [key, label] of alerted) {
      const trade = stored.find((candidate) => candidate.tx === published.get(key))!;
      expect(trade).toMatchObject({ chain: 'solana', wallet: tracked[label], label });
      if (key === 'commission') {
        expect(trade.base).toMatchObject({ asset: USDC, raw: '750000' });
      } else {
        const delta = expected.get(trade.tx)!.deltas[trade.base.asset]!;
        expect(trade.base.raw, key).toBe(delta.replace('-', ''));
      }
    }
  });

  it('error: explain of a malformed or unknown signature says what is wrong in one sentence and exits 1', async () => {
    const cases: [string, RegExp][] = [
      ['not-a-signature', /is not a file, an EVM transaction hash .* or a Solana signature\.$/],
      ['z'.repeat(88), /is not a Solana signature: it decodes to 65 bytes where a signature has 64; check that it was copied whole\.$/],
      [base58Encode(randomBytes(64)), /solana does not know the signature \w+; check it, or wait for confirmation\.$/],
    ];
    for (const [target, message] of cases) {
      const result = await lookout('explain', target, '--chain', 'solana');
      expect(result.code, target).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n'), target).toHaveLength(1);
      expect(result.stderr.trim(), target).toMatch(message);
    }
  });
});
