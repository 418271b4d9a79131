import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SolanaChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { addressCursors, alertOutbox, balanceChanges, skippedTransactions, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createSolanaRpc } from '../src/tracker/solana/createSolanaRpc.js';
import { createSolanaFollower, type SolanaFollower } from '../src/tracker/solana/createSolanaFollower.js';
import { decodeSolanaTransaction } from '../src/tracker/solana/decodeSolanaTransaction.js';
import { readSolanaHoldings } from '../src/tracker/solana/readSolanaHoldings.js';
import { readSolanaTokenMetadata } from '../src/tracker/solana/readSolanaTokenMetadata.js';
import { readSolanaTransactions } from '../src/tracker/solana/readSolanaTransactionFile.js';
import { METAPLEX_METADATA_PROGRAM_ID, metaplexMetadataAddress } from '../src/tracker/solana/tokenMetadata.js';
import { NATIVE } from '../src/tracker/walletDeltas.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { consoleAlerts, type ConsoleAlert } from './support/consoleAlerts.js';
import { createTestDatabase } from './support/testDatabase.js';

type JsonObject = Record<string, unknown>;
type ExpectedEntry = { signature: string; wallet: string; failed: boolean; fee: number; deltas: Record<string, string> };

const fixturesDir = fileURLToPath(new URL('./fixtures/solana/', import.meta.url));
const expected = new Map(
  (JSON.parse(readFileSync(join(fixturesDir, 'expected.json'), 'utf8')) as ExpectedEntry[]).map((entry) => [entry.signature, entry]),
);
const fixturePaths = new Map(
  (function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
    );
  })(fixturesDir).map((path) => [basename(path), path]),
);
/** The first getTransaction result of a fixture file, named by its file name (unique across the sources). */
const fixture = (name: string): JsonObject =>
  readSolanaTransactions(JSON.parse(readFileSync(fixturePaths.get(name)!, 'utf8')))[0] as JsonObject;

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const USDT = 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB';
const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
// Receives an OKX DEX commission in USDC; the transaction lists only its token account.
const COMMISSIONED = 'e24SXSTq1AkusXQEKgZW389taxTTzSuGF8JQqjhbTfc';
// Receives a fee in a token nobody followed has held; also listed only through its token account.
const AIRDROPPED = '8JS6XsMPo2u3EyeeY3p2jvzHEhdUtCKgarHpJ3PAonyv';
// Receives a USDC referral fee, listed only through its token account.
const REFERRER = 'GHVSCYQekk3zfosmbFifauXEu6LppmudZYzrUBviB5fW';
/** Fixtures whose payer is not followed: what they bring arrives unannounced. */
const UNFOLLOWED_PAYERS: readonly string[] = ['commission', 'airdrop', 'referral'];

const FILES = {
  pumpBuy: 'pumpfun_buy_0.json', // json, legacy
  pumpSell: 'parsed-sell-txn.json', // jsonParsed, v0
  jupiter: 'jupiterAggregatorV6_sharedAccountsRoute_1.json', // USDC for a token
  usdcBuy: 'swap_frlmh_2.json', // base64, v0 with lookup tables
  history: 'swap_frlmh_via_jupiter_7.json', // same wallet, before the follower first saw it
  commission: 'OKXDEX_commissionSplProxySwap.json',
  damaged: 'jupiterDca_endAndClose_0.json', // served as broken_data_1.json, its damaged copy
  okxBuy: 'OKXDEX_swap_1.json',
  raydiumSell: 'raydiumLiquidityPoolV4_swap_0.json',
  photonBuy: 'photon_pumpfun_buy_0.json',
  failedSwap: 'swap_frlmh_via_jupiter_4.json',
  photonSell: 'photon_pumpfun_sell.json',
  failedWhileDown: 'swap_frlmh_via_jupiter_5.json',
  stableSwap: 'jupiter_route_8.json',
  stableSwapAfterDrop: 'swap_jupiter_v2_1.json',
  airdrop: 'swap_sanctum_1.json', // pays a fee in a token to an owner it does not list
  referral: 'jupiter_route_with_ata_1.json', // pays a USDC fee to an owner it does not list
} as const;
type FixtureKey = keyof typeof FILES;
const feePayer = (key: FixtureKey): string => decodeSolanaTransaction(fixture(FILES[key])).feePayer;
const signatureOf = (key: FixtureKey): string => decodeSolanaTransaction(fixture(FILES[key])).signature;

/** An HTTP front of the node that answers getTransaction for some signatures with damaged data, as a faulty node would. */
async function startDamagingProxy(target: string, damaged: Map<string, unknown>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const call = JSON.parse(body) as { id?: unknown; method?: string; params?: unknown[] };
        const signature = call.method === 'getTransaction' ? call.params?.[0] : undefined;
        if (typeof signature === 'string' && damaged.has(signature)) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result: damaged.get(signature) }));
          return;
        }
        const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const headers: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'text/plain' };
        const retryAfter = response.headers.get('retry-after');
        if (retryAfter) headers['retry-after'] = retryAfter;
        res.writeHead(response.status, headers);
        res.end(await response.text());
      })().catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

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

/** A Token-2022 mint with the TokenMetadata extension (type 19). */
function token2022MintData(mint: string, decimals: number, name: string, symbol: string): Buffer {
  const text = (value: string): Buffer => {
    const bytes = Buffer.from(value);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const base = Buffer.alloc(165);
  base[44] = decimals;
  base[45] = 1;
  const value = Buffer.concat([Buffer.alloc(32), new PublicKey(mint).toBuffer(), text(name), text(symbol), text('https://example.org'), Buffer.alloc(4)]);
  const header = Buffer.alloc(4);
  header.writeUInt16LE(19, 0);
  header.writeUInt16LE(value.length, 2);
  return Buffer.concat([base, Buffer.from([1]), header, value]);
}

const newAddress = (): string => Keypair.generate().publicKey.toBase58();

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Solana follower against a local node, through web3.js', () => {
  let server: SolanaRpcServer;
  let proxy: Awaited<ReturnType<typeof startDamagingProxy>>;
  let database: Database;
  let connection: Connection;
  let chain: SolanaChainConfig;
  let config: LookoutConfig;
  const followers: SolanaFollower[] = [];
  let alerts: ReturnType<typeof consoleAlerts>;
  const logs: JsonObject[] = [];
  const events = createEventBus();
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as JsonObject) });
  const published = new Map<FixtureKey, string>();
  /** Followed wallets and the token accounts the node lists for them: one subscription each. */
  let watchedCount = 0;
  const resubscribed = (before: number) =>
    waitFor(async () => (server.requests['logsSubscribe'] ?? 0) >= before + watchedCount && server.sockets().open > 0, 'subscriptions made again');

  // Note: by default token accounts are polled as often as wallets, so that polling alone finds
  // everything and a lost notification cannot make a test slow; the real-time test polls once a minute.
  const follower = (options: { pollMs?: number } = {}): SolanaFollower => {
    const pollMs = options.pollMs ?? 250;
    const created = createSolanaFollower({ chain, db: database.db, logger, events, connection, pollMs, tokenAccountPollMs: pollMs });
    followers.push(created);
    return created;
  };
  const publish = (key: FixtureKey): string => {
    const { signature } = server.publish(fixture(FILES[key]));
    published.set(key, signature);
    return signature;
  };
  const tradesOf = (signature: string) => database.db.select().from(trades).where(eq(trades.txHash, signature));
  const tradeStored = (signature: string, wallet: string) => async () =>
    (await database.db.select().from(trades).where(and(eq(trades.txHash, signature), eq(trades.wallet, wallet))))[0];
  const deltasOf = async (signature: string, wallet: string) => {
    const rows = await database.db
      .select()
      .from(balanceChanges)
      .where(and(eq(balanceChanges.txHash, signature), eq(balanceChanges.wallet, wallet)));
    return Object.fromEntries(rows.map((row) => [row.asset === NATIVE ? 'SOL' : row.asset, row.amount.toString()]));
  };
  const cursorOf = async (address: string) =>
    (await database.db.select().from(addressCursors).where(eq(addressCursors.address, address)))[0];
  const alertsFor = (tx: string) => alerts.alertsFor(tx);
  const expectAsInExpectedJson = async (signature: string) => {
    const entry = expected.get(signature)!;
    expect(entry, `expected.json lists ${signature}`).toBeDefined();
    const trade = await waitFor(tradeStored(signature, entry.wallet), `the trade of ${signature}`);
    expect(trade.failed).toBe(entry.failed);
    expect(trade.fee).toBe(BigInt(entry.fee));
    expect(await deltasOf(signature, entry.wallet)).toEqual(entry.deltas);
    return trade;
  };

  beforeAll(async () => {
    server = await startSolanaRpcServer();
    proxy = await startDamagingProxy(server.url, new Map([[signatureOf('damaged'), fixture('broken_data_1.json')]]));
    // Note: HTTP goes through the proxy; subscriptions go to chain.wsUrl directly, on Connections
    // the follower makes for itself so that it can replace them.
    connection = new Connection(proxy.url, { commitment: 'confirmed', wsEndpoint: server.wsUrl, disableRetryOnRateLimit: true });
    database = await createTestDatabase();
    chain = {
      name: 'localsol',
      kind: 'solana',
      chainId: null,
      rpcUrls: [proxy.url],
      wsUrl: server.wsUrl,
      nativeSymbol: 'SOL',
      nativeDecimals: 9,
      wrappedNative: 'So11111111111111111111111111111111111111112',
      stablecoins: [USDC, USDT],
      explorer: 'https://solscan.io',
      blockTimeMs: 400,
      reorgWindow: 0,
      multicall3: null,
      maxBlockRange: 100,
      // Note: this file tests per-address polling; polling every 250 ms would cross over to blocks (test/solanaBlockMode.test.ts).
      followMode: 'addresses',
    };
    config = { chains: [chain], followed: [chain] } as LookoutConfig;
    alerts = consoleAlerts({ db: database.db, config, logger, events });
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    const payers = (Object.keys(FILES) as FixtureKey[]).filter((key) => !UNFOLLOWED_PAYERS.includes(key)).map(feePayer);
    const wallets = new Set([...payers, COMMISSIONED, AIRDROPPED, REFERRER]);
    watchedCount = wallets.size;
    let n = 0;
    for (const address of wallets) {
      await trackWallet(database.db, { workspaceId: 'local', address, chains: ['localsol'], label: `w${n++}`, actor: 'test' });
    }
    // What getTokenAccountsByOwner shows: the token accounts the unannounced payments land in, before they do.
    for (const [key, owner] of [['commission', COMMISSIONED], ['airdrop', AIRDROPPED], ['referral', REFERRER]] as const) {
      const balance = decodeSolanaTransaction(fixture(FILES[key])).tokenBalances.post.find((entry) => entry.owner === owner)!;
      server.setTokenAccount({ address: balance.account, owner, mint: balance.mint, amount: 0, decimals: balance.decimals });
      watchedCount++;
    }
    // A name for the Pump.fun token of the buy, read from its Metaplex account.
    const pumpMint = 'D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si';
    server.setAccount(metaplexMetadataAddress(pumpMint), {
      owner: METAPLEX_METADATA_PROGRAM_ID,
      lamports: 5_616_720,
      data: metaplexData(pumpMint, 'Test Pump', 'TPUMP'),
    });
  });

  afterAll(async () => {
    await Promise.all(followers.map((created) => created.stop()));
    await proxy?.close();
    await server?.stop();
    await database?.close();
  });

  it('behavior: a wallet seen for the first time is followed from its newest transaction, its past not replayed', async () => {
    const past = publish('history');
    await follower().syncOnce();
    expect(await tradesOf(past)).toEqual([]);
    expect(await cursorOf(feePayer('history'))).toMatchObject({ lastSignature: past });
    // A wallet with no transaction yet, and the token account the commission will land in, start at the current slot.
    expect(await cursorOf(COMMISSIONED)).toMatchObject({ lastSignature: '', lastSlot: BigInt(server.slot()) });
  });

  it('behavior: stores each trade with the deltas of expected.json, names its venue, and alerts it once', async () => {
    followers[0]!.start();
    for (const key of ['pumpBuy', 'pumpSell', 'jupiter', 'usdcBuy', 'commission'] as const) publish(key);

    const buy = await expectAsInExpectedJson(published.get('pumpBuy')!);
    expect(buy).toMatchObject({ kind: 'buy', baseAsset: 'D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si', quoteAsset: 'native', venue: 'Pump.fun' });
    expect(await expectAsInExpectedJson(published.get('pumpSell')!)).toMatchObject({ kind: 'sell', quoteAsset: 'native', venue: 'Pump.fun' });
    expect(await expectAsInExpectedJson(published.get('jupiter')!)).toMatchObject({
      kind: 'buy',
      quoteAsset: USDC,
      usdValue: '100',
      venue: 'Jupiter v6',
    });
    expect(await expectAsInExpectedJson(published.get('usdcBuy')!)).toMatchObject({ kind: 'buy', quoteAsset: USDC, venue: 'Jupiter v6' });

    // Found only through its token account: the transaction does not list the owner at all.
    const commission = published.get('commission')!;
    expect(decodeSolanaTransaction(fixture(FILES.commission)).accountKeys).not.toContain(COMMISSIONED);
    const received = await waitFor(tradeStored(commission, COMMISSIONED), 'the commission, through the token account');
    expect(received).toMatchObject({ kind: 'transfer_in', baseAsset: USDC, baseAmount: 750_000n, usdValue: '0.75', isSpam: false });
    expect(await deltasOf(commission, COMMISSIONED)).toEqual({ [USDC]: '750000' });

    await alerts.drain();
    for (const key of ['pumpBuy', 'pumpSell', 'jupiter', 'usdcBuy', 'commission'] as const) {
      expect(alertsFor(published.get(key)!), key).toHaveLength(1);
    }
    const [alert] = alertsFor(published.get('pumpBuy')!) as [ConsoleAlert];
    expect(alert).toMatchObject({ venue: 'Pump.fun', received: [{ symbol: 'TPUMP', amount: '56716561.396327' }] });
  });

  it('error: a damaged transaction is skipped with a warning, and the follower goes on', async () => {
    const damaged = publish('damaged');
    const after = publish('okxBuy');
    expect(await expectAsInExpectedJson(after)).toMatchObject({ kind: 'buy', venue: 'OKX DEX' });
    const warning = await waitFor(async () => logs.find((line) => line['tx'] === damaged && line['level'] === 40), 'the warning');
    expect(warning).toMatchObject({ msg: 'transaction cannot be decoded; skipped', chain: 'localsol' });
    // Kept for lookout explain, at the slot it was in.
    const [kept] = await database.db.select().from(skippedTransactions).where(eq(skippedTransactions.txHash, damaged));
    expect(kept).toMatchObject({ chain: 'localsol', reason: expect.any(String) });
    expect(String(warning['reason'])).toMatch(/base58 address/);
    expect(kept!.reason).toMatch(/base58 address/);
    expect(await tradesOf(damaged)).toEqual([]);
    expect(await cursorOf(feePayer('damaged'))).toMatchObject({ lastSignature: damaged });
  });

  it('behavior: RPC errors (429, 500, node behind) in the middle delay but lose nothing', async () => {
    server.failNext(3, { httpStatus: 429 });
    server.failNext(2, { httpStatus: 500 });
    server.failNext(2, { code: -32005, message: 'Node is behind by 42 slots' });
    const signature = publish('raydiumSell');
    expect(await expectAsInExpectedJson(signature)).toMatchObject({ kind: 'sell', venue: 'Raydium AMM v4' });
    await alerts.drain();
    expect(alertsFor(signature)).toHaveLength(1);
  });

  it('behavior: transactions after dropped sockets are still caught, and the subscriptions are made again', async () => {
    let before = server.requests['logsSubscribe'] ?? 0;
    server.dropSockets();
    expect(await expectAsInExpectedJson(publish('photonBuy'))).toMatchObject({ kind: 'buy', venue: 'Photon' });
    await resubscribed(before);

    // A clean close: web3.js reconnects but would not subscribe again by itself.
    before = server.requests['logsSubscribe'] ?? 0;
    server.dropSockets({ code: 1000 });
    const failed = publish('failedSwap');
    expect(await expectAsInExpectedJson(failed)).toMatchObject({ failed: true, kind: 'other' });
    await resubscribed(before);
    await alerts.drain();
    expect(alertsFor(failed)).toEqual([]);
  });

  it('behavior: an unsolicited token nobody followed has held is stored as spam and raises no alert', async () => {
    const signature = publish('airdrop');
    const trade = await waitFor(tradeStored(signature, AIRDROPPED), 'the airdrop, through the token account');
    expect(trade).toMatchObject({ kind: 'transfer_in', isSpam: true, baseAsset: 'picobAEvs6w7QEknPce34wAE4gknZA9v5tTonnmHYdX' });
    expect(await database.db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, trade.id))).toEqual([]);
  });

  it('behavior: a restart stores and alerts nothing twice, and picks up what happened while it was down', async () => {
    await followers[0]!.stop();
    const whileDown = [publish('photonSell'), publish('failedWhileDown')];
    const tradesBefore = await database.db.$count(trades);
    const outboxBefore = await database.db.$count(alertOutbox);

    const restarted = follower();
    await restarted.syncOnce();
    await restarted.syncOnce();
    for (const signature of whileDown) await expectAsInExpectedJson(signature);
    expect(await database.db.$count(trades)).toBe(tradesBefore + 2);
    // The failed swap raises no alert.
    expect(await database.db.$count(alertOutbox)).toBe(outboxBefore + 1);
    await alerts.drain();
    expect(alertsFor(whileDown[0]!)).toHaveLength(1);
  });

  it('behavior: with a WebSocket, a notification wakes the follower long before its next poll, also after a clean close', async () => {
    const live = follower({ pollMs: 60_000 });
    const before = server.requests['logsSubscribe'] ?? 0;
    live.start();
    // Queued behind the first round: once it returns, the loop sleeps for a minute.
    await live.syncOnce();
    await resubscribed(before);
    const storedWithin = async (key: FixtureKey) => {
      const publishedAt = Date.now();
      const signature = publish(key);
      await expectAsInExpectedJson(signature);
      return { signature, ms: Date.now() - publishedAt };
    };
    const first = await storedWithin('stableSwap');
    expect(first.ms).toBeLessThan(2_000);
    expect((await tradesOf(first.signature))[0]).toMatchObject({ kind: 'swap', baseAsset: USDC, quoteAsset: USDT });

    // Through the subscription of a token account: the transaction does not mention its owner.
    const publishedAt = Date.now();
    const referral = publish('referral');
    await waitFor(tradeStored(referral, REFERRER), 'the referral fee, through the token account');
    expect(Date.now() - publishedAt).toBeLessThan(2_000);

    const again = server.requests['logsSubscribe'] ?? 0;
    server.dropSockets({ code: 1000 });
    await resubscribed(again);
    expect((await storedWithin('stableSwapAfterDrop')).ms).toBeLessThan(2_000);
    await live.stop();
  });

  it('behavior: every alert reaches the console exactly once', async () => {
    await alerts.drain();
    const keys = alerts.printed.map((line) => {
      const alert = JSON.parse(line) as { type: string; tx: string; wallet: string };
      return `${alert.type}|${alert.tx}|${alert.wallet}`;
    });
    expect(keys.length).toBeGreaterThanOrEqual(9);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('behavior: holdings sum SOL and both token programs per mint', async () => {
    const [owner, mint, ...accounts] = Array.from({ length: 6 }, newAddress) as [string, string, string, string, string, string];
    server.setBalance(owner, 1_500_000_000);
    server.setTokenAccount({ address: accounts[0], owner, mint: USDC, amount: 5_000_000n, decimals: 6 });
    server.setTokenAccount({ address: accounts[1], owner, mint, amount: 7n, decimals: 2, programId: TOKEN_2022 });
    server.setTokenAccount({ address: accounts[2], owner, mint, amount: 8n, decimals: 2, programId: TOKEN_2022 });
    server.setTokenAccount({ address: accounts[3], owner, mint: USDT, amount: 0n, decimals: 6 });
    expect(await readSolanaHoldings(connection, owner)).toEqual({
      sol: 1_500_000_000n,
      tokens: [
        { mint: USDC, amount: 5_000_000n, decimals: 6, programId: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' },
        { mint, amount: 15n, decimals: 2, programId: TOKEN_2022 },
      ].sort((a, b) => (a.mint < b.mint ? -1 : 1)),
    });
  });

  it('behavior: token names come from Metaplex or the Token-2022 extension, decimals from the balances or the mint', async () => {
    const extended = newAddress();
    server.setAccount(extended, { owner: TOKEN_2022, lamports: 1, data: token2022MintData(extended, 5, 'Extended', 'EXT') });
    const unknown = newAddress();
    const read = await readSolanaTokenMetadata(createSolanaRpc(connection), ['D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si', extended, unknown], new Map([['D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si', 6]]));
    expect(read).toEqual([
      { address: 'D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si', symbol: 'TPUMP', name: 'Test Pump', decimals: 6 },
      { address: extended, symbol: 'EXT', name: 'Extended', decimals: 5 },
      { address: unknown, symbol: null, name: null, decimals: null },
    ]);
  });
});
