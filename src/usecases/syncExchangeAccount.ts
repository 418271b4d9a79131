import type { Common } from '../app/common.js';
import { DEFAULT_EXCHANGES, type ExchangesConfig } from '../config/exchangesConfig.js';
import { saveExchangeAssets, saveExchangeSync, type ExchangeAccountListing } from '../db/exchangeQueries.js';
import { saveHoldingSnapshot } from '../db/holdingQueries.js';
import { findLatestPrice } from '../db/priceQueries.js';
import { storeChainRecords, type StoredTrade } from '../db/storeChainRecords.js';
import { backoffDelay } from '../tracker/backoff.js';
import { createExchangeClient, type ExchangeClient, type MarketsCache } from '../tracker/exchange/createExchangeClient.js';
import { fromRaw, toRaw } from '../tracker/exchange/decimalText.js';
import { exchangeFault } from '../tracker/exchange/exchangeFault.js';
import { exchangeFillRecords, exchangeMoveRecord } from '../tracker/exchange/exchangeFill.js';
import { EXCHANGE_ASSET_DECIMALS, EXCHANGE_MONEY } from '../tracker/exchange/exchangeKinds.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { routeAlert } from '../tracker/routeAlert.js';
import type { TradeRecord } from '../tracker/tradeRecord.js';
import type { ExchangeClientFactory } from './addExchangeAccount.js';
import { createSecretBox } from './secretBox.js';

export type ExchangeSyncDeps = Pick<Common, 'db' | 'logger' | 'events'> & {
  config: { exchanges?: ExchangesConfig | undefined };
  clientFor?: ExchangeClientFactory;
  /** The exchanges' markets, shared by the syncs of one process. */
  markets?: MarketsCache;
};

/** What one sync of an account did: the trades new to the database, or why it stopped. */
export type ExchangeSyncResult = { stored: StoredTrade[]; outcome: 'synced' | 'retry' | 'refused' };

// Note: the longest wait after repeated failures; a rate limit or an outage never stops an account for good.
const MAX_BACKOFF_MS = 60 * 60_000;
const HOUR_MS = 60 * 60_000;
/** The cursor's key for deposits and withdrawals; every other key is a market. */
const MOVES = 'transfers';

/**
 * Syncs one exchange account: its balances, then its fills in each market it could have traded (those of its assets
 * and the markets seen before), from the stored cursor on. Fills are stored as the trades of the account's wallet
 * through the same storage as a chain's records, so they alert and count in PnL; a fill before the account was added is
 * history, stored without an alert. The cursor moves only after what it covers is stored, so an error of the exchange
 * (a rate limit, an outage) delays the sync and loses nothing, and syncing again stores nothing twice.
 */
export async function syncExchangeAccount(deps: ExchangeSyncDeps, account: ExchangeAccountListing, now = new Date()): Promise<ExchangeSyncResult> {
  const settings = deps.config.exchanges ?? DEFAULT_EXCHANGES;
  const log = deps.logger.child({ component: 'exchange', exchange: account.exchange, account: account.id });
  const cursor = { ...account.cursor };
  const stored: StoredTrade[] = [];
  let client: ExchangeClient;
  try {
    const box = createSecretBox(settings.secretKey);
    const credentials = {
      key: box.open(account.keyCiphertext),
      secret: box.open(account.secretCiphertext),
      passphrase: account.passphraseCiphertext === null ? null : box.open(account.passphraseCiphertext),
    };
    client = (deps.clientFor ?? createExchangeClient)(account.exchange, credentials, settings.apiUrls[account.exchange], deps.markets);
  } catch (error) {
    // Note: the key cannot be opened without the LOOKOUT_SECRET_KEY it was sealed with; waiting an hour keeps the log quiet.
    log.warn({ err: error }, 'exchange key cannot be opened: LOOKOUT_SECRET_KEY is missing or not the one it was sealed with');
    await saveExchangeSync(deps.db, account.id, {
      syncedAt: null,
      nextSyncAt: new Date(now.getTime() + HOUR_MS),
      failures: account.failures + 1,
      lastError: 'the key cannot be opened: LOOKOUT_SECRET_KEY is missing or not the one it was sealed with',
      refused: false,
    });
    return { stored, outcome: 'retry' };
  }
  try {
    const balances = await client.balances();
    const markets = Object.keys(cursor).filter((key) => key !== MOVES);
    const assets = new Set([...balances.keys(), ...markets.flatMap((symbol) => symbol.split('/'))]);
    const symbols = [...new Set([...(await client.marketsOf(assets, EXCHANGE_MONEY)), ...markets])].sort();
    for (const symbol of symbols) {
      for (let more = true; more; ) {
        const page = await client.fillsAfter(symbol, cursor[symbol]);
        const records = page.fills.map((fill) => exchangeFillRecords(account.exchange, account.address, fill));
        const history = (record: TradeRecord) => record.blockTime !== null && record.blockTime < account.createdAt;
        const trades = records.map((record) => record.trade);
        const fees = records.flatMap((record) => (record.fee ? [record.fee] : []));
        await saveExchangeAssets(deps.db, account.exchange, assetRows(records.flatMap((record) => [...record.trade.deltas.keys(), ...(record.fee ? [...record.fee.deltas.keys()] : [])])));
        stored.push(...(await store(deps, account.exchange, trades.filter((record) => !history(record)), true)));
        await store(deps, account.exchange, [...trades.filter(history), ...fees], false);
        if (page.cursor !== undefined) cursor[symbol] = page.cursor;
        await saveExchangeSync(deps.db, account.id, { cursor, syncedAt: null, nextSyncAt: account.nextSyncAt, failures: account.failures, lastError: account.lastError, refused: false });
        more = page.more && page.fills.length > 0;
      }
    }
    const moved = await client.movesSince(cursor[MOVES]);
    const moves = moved.moves.map((move) => exchangeMoveRecord(account.exchange, account.address, move));
    await saveExchangeAssets(deps.db, account.exchange, assetRows(moves.flatMap((record) => [...record.deltas.keys()])));
    const before = (record: TradeRecord) => record.blockTime !== null && record.blockTime < account.createdAt;
    stored.push(...(await store(deps, account.exchange, moves.filter((record) => !before(record)), true)));
    await store(deps, account.exchange, moves.filter(before), false);
    if (moved.cursor !== undefined) cursor[MOVES] = moved.cursor;
    await snapshotHoldings(deps, account, balances, now);
    await saveExchangeSync(deps.db, account.id, { cursor, syncedAt: now, nextSyncAt: new Date(now.getTime() + settings.syncMs), failures: 0, lastError: null, refused: false });
    if (stored.length > 0) log.info({ trades: stored.length }, 'exchange account synced');
    return { stored, outcome: 'synced' };
  } catch (error) {
    const fault = exchangeFault(error);
    const failures = account.failures + 1;
    if (fault.kind === 'refused') log.warn({ err: error }, 'exchange refused the key; the account is not synced again until it is added anew');
    else if (failures === 1 || failures % 10 === 0) log.warn({ err: error, failures, rate_limited: fault.rateLimited }, 'exchange sync failed; backing off');
    await saveExchangeSync(deps.db, account.id, {
      cursor,
      syncedAt: null,
      nextSyncAt: new Date(now.getTime() + backoffDelay(failures, settings.syncMs, MAX_BACKOFF_MS)),
      failures,
      lastError: fault.reason,
      refused: fault.kind === 'refused',
    });
    return { stored, outcome: fault.kind };
  }
}

/** Stores records like a chain's, routed to alerts or as history, and announces what was new. */
async function store(deps: ExchangeSyncDeps, chain: string, records: TradeRecord[], alert: boolean): Promise<StoredTrade[]> {
  if (records.length === 0) return [];
  const stored = await storeChainRecords(deps.db, { chain, records, blocks: [], cursor: null, keepBlocks: 0, route: alert ? routeAlert : null });
  for (const trade of stored) {
    deps.events.emit({ type: 'trade_recorded', chain: trade.chain, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet, kind: trade.kind });
  }
  if (stored.some((trade) => trade.alerts > 0)) deps.events.emit({ type: 'outbox_ready' });
  return stored;
}

function assetRows(symbols: string[]) {
  return [...new Set(symbols)].map((symbol) => ({ symbol, decimals: EXCHANGE_ASSET_DECIMALS, isStablecoin: EXCHANGE_MONEY.has(symbol) }));
}

/**
 * The account's balances as a point of the value-over-time series, once an hour: money at a dollar a unit, other
 * assets at the last price the exchange's trades showed.
 */
async function snapshotHoldings(deps: ExchangeSyncDeps, account: ExchangeAccountListing, balances: Map<string, string>, now: Date): Promise<void> {
  const takenAt = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  if (account.lastSyncAt && account.lastSyncAt >= takenAt) return;
  await saveExchangeAssets(deps.db, account.exchange, assetRows([...balances.keys()]));
  const rows = [];
  for (const [asset, total] of balances) {
    const amount = toRaw(total, EXCHANGE_ASSET_DECIMALS);
    const price = EXCHANGE_MONEY.has(asset) ? '1' : (await findLatestPrice(deps.db, account.exchange, asset, ['trade']))?.priceUsd;
    const valueUsd = price === undefined ? null : Rational.parse(fromRaw(amount, EXCHANGE_ASSET_DECIMALS)).mul(Rational.parse(price)).toDecimalString(18);
    rows.push({ chain: account.exchange, wallet: account.address, asset, amount, valueUsd });
  }
  await saveHoldingSnapshot(deps.db, takenAt, rows);
}
