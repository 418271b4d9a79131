import type { DriverDeps } from '../ChainKind.js';
import type { StellarChainConfig } from '../../config/chainPresets.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { BackfillRange, BackfillResult, ChainCursor, ChainDriver, ChainEvent, ExplainOutcome, TokenMetadata } from '../ChainDriver.js';
import { classifyTrade, type QuoteAssets } from '../classifyTrade.js';
import { createHttpApiClient } from '../createHttpApiClient.js';
import { createTokenRegistry } from '../createTokenRegistry.js';
import { followLoop } from '../followLoop.js';
import { createPassLock } from '../passLock.js';
import { priceRecord } from '../prices/priceRecord.js';
import { stablecoinUsdValue } from '../stablecoinUsdValue.js';
import { tradeRecord, type TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import type { HorizonAccount, HorizonEffect, HorizonOperation, HorizonPage, HorizonRoot, HorizonTrade } from './horizonTypes.js';
import { ledgerOfOperation, parseStellarAmount, STELLAR_DECIMALS, stellarAssetKey } from './stellarAmounts.js';
import { stellarActivity, type StellarTxActivity } from './stellarActivity.js';
import { stellarFeeEstimate, type HorizonFeeStats } from './stellarFeeEstimate.js';

export type StellarDriverDeps = DriverDeps & {
  chain: StellarChainConfig;
  /** Time between two polls of the followed accounts; default two ledgers (10 s: two Horizon requests per account a poll). */
  pollMs?: number;
  fetch?: typeof fetch;
};

const PAGE = 200;

/**
 * Follows Stellar accounts through Horizon. The cursor is a ledger sequence: each pass reads, for every followed
 * account, its operations and its DEX trades in the ledgers after the cursor up to Horizon's latest, and moves the
 * cursor there. Ledgers are final once closed, so there is no reorg to undo.
 */
export function createStellarDriver(deps: StellarDriverDeps): ChainDriver {
  const { chain, store } = deps;
  const logger = deps.logger.child({ component: 'stellar', chain: chain.name });
  const http = createHttpApiClient({ urls: chain.rpcUrls, name: 'Horizon', onRequest: deps.onRpcRequest, fetch: deps.fetch });
  const quotes: QuoteAssets = { stablecoins: chain.stablecoins, wrappedNative: null };
  const tokens = createTokenRegistry({ store: store.tokens, chain, logger, read: async (assets) => assets.map(metadataOf) });
  const passes = createPassLock();

  const latestLedger = async (): Promise<bigint> => {
    const root = await http.json<HorizonRoot>('/', 'root');
    if (!root || typeof root.history_latest_ledger !== 'number') throw new RetryableError('Horizon gave no latest ledger; asking again later.');
    return BigInt(root.history_latest_ledger);
  };

  /** Every record of an account list after `cursor` whose ledger is at most `to`, oldest first. */
  async function listAfter<T extends { id: string; paging_token: string }>(path: string, method: string, cursor: string, to: bigint): Promise<T[]> {
    const out: T[] = [];
    let after = cursor;
    for (;;) {
      const separator = path.includes('?') ? '&' : '?';
      const page = await http.json<HorizonPage<T>>(`${path}${separator}order=asc&limit=${PAGE}&cursor=${after}`, method);
      const records = page?._embedded?.records ?? [];
      for (const record of records) {
        if (ledgerOfOperation(record.id) > to) return out;
        out.push(record);
      }
      if (records.length < PAGE) return out;
      after = records[records.length - 1]!.paging_token;
    }
  }

  async function mergedAmounts(operations: HorizonOperation[]): Promise<Map<string, bigint>> {
    const amounts = new Map<string, bigint>();
    for (const op of operations.filter((candidate) => candidate.type === 'account_merge')) {
      const effects = await http.json<HorizonPage<HorizonEffect>>(`/operations/${op.id}/effects?limit=${PAGE}`, 'operations/effects');
      const credited = effects?._embedded.records.find((effect) => effect.type === 'account_credited' && effect.account === op.into);
      if (credited?.amount) amounts.set(op.id, parseStellarAmount(credited.amount));
    }
    return amounts;
  }

  /** The activity of one account in the ledgers (from, to]. */
  async function accountActivity(account: string, from: bigint, to: bigint): Promise<StellarTxActivity[]> {
    const toid = ((from + 1n) << 32n).toString();
    const operations = await listAfter<HorizonOperation>(`/accounts/${account}/operations?join=transactions`, 'accounts/operations', toid, to);
    const trades = await listAfter<HorizonTrade>(`/accounts/${account}/trades`, 'accounts/trades', `${toid}-0`, to);
    const ownOps = new Map(operations.map((op) => [op.id, op.transaction_hash]));
    const placedTrades: (HorizonTrade & { txHash: string })[] = [];
    for (const trade of trades) {
      const opId = trade.id.split('-')[0]!;
      let txHash = ownOps.get(opId);
      if (txHash === undefined) {
        const op = await http.json<HorizonOperation>(`/operations/${opId}`, 'operations');
        if (!op) throw new RetryableError('Horizon listed a trade of an operation it does not know; asking again later.', { details: trade.id });
        txHash = op.transaction_hash;
        ownOps.set(opId, txHash);
      }
      placedTrades.push({ ...trade, txHash });
    }
    return stellarActivity(account, operations, placedTrades, await mergedAmounts(operations));
  }

  async function recordsOf(activities: { wallet: string; activity: StellarTxActivity }[]): Promise<TradeRecord[]> {
    const assets = new Set<string>();
    for (const { activity } of activities) for (const asset of activity.deltas.keys()) if (asset !== NATIVE) assets.add(asset);
    const info = await tokens.ensure([...assets]);
    const records: TradeRecord[] = [];
    for (const { wallet, activity } of activities) {
      if (activity.deltas.size === 0) continue;
      const classification = classifyTrade(activity.deltas, quotes);
      const position = { chain: chain.name, blockNumber: activity.ledger, blockHash: activity.ledger.toString(), blockTime: activity.time, txHash: activity.txHash, txIndex: null };
      const record = tradeRecord(position, wallet, { failed: false, fee: activity.fee, deltas: activity.deltas }, classification, {
        venue: activity.venue,
        counterparty: activity.counterparties.size === 1 ? [...activity.counterparties][0]! : null,
        usdValue: null,
        isSpam: false,
        transfers: [],
      });
      records.push(await priceRecord(deps.prices, chain, { ...record, usdValue: stablecoinUsdValue(record, info) }, info));
    }
    return records;
  }

  async function* pass(start: ChainCursor | null): AsyncGenerator<ChainEvent, void, undefined> {
    const head = await latestLedger();
    if (!start) {
      logger.info({ ledger: head.toString() }, 'starting to follow at ledger');
      yield { type: 'records', records: [], cursor: { number: head, hash: null }, keepBlocks: 1, head };
      return;
    }
    if (start.number >= head) return;
    const wallets = await store.followedAddresses(chain.name);
    const activities: { wallet: string; activity: StellarTxActivity }[] = [];
    for (const wallet of wallets) {
      for (const activity of await accountActivity(wallet, start.number, head)) activities.push({ wallet, activity });
    }
    activities.sort((a, b) => (a.activity.ledger === b.activity.ledger ? a.activity.txHash.localeCompare(b.activity.txHash) : a.activity.ledger < b.activity.ledger ? -1 : 1));
    yield { type: 'records', records: await recordsOf(activities), skipped: [], cursor: { number: head, hash: null }, keepBlocks: 1, head };
  }

  /**
   * The ledger of an account's earliest record (operation or trade) at or after the moment `sinceAt`, walking its list
   * newest first; null when it has none that recent.
   */
  async function earliestLedgerSince<T extends { id: string; paging_token: string }>(
    path: string,
    method: string,
    sinceAt: number,
    timeOf: (record: T) => string,
  ): Promise<bigint | null> {
    let earliest: bigint | null = null;
    let before = '';
    for (;;) {
      const page = await http.json<HorizonPage<T>>(`${path}?order=desc&limit=${PAGE}${before ? `&cursor=${before}` : ''}`, method);
      const records = page?._embedded?.records ?? [];
      for (const record of records) {
        if (Date.parse(timeOf(record)) < sinceAt) return earliest;
        earliest = ledgerOfOperation(record.id);
      }
      if (records.length < PAGE) return earliest;
      before = records[records.length - 1]!.paging_token;
    }
  }

  /**
   * An account's history from a ledger, or since a moment: its payments, path payments and DEX trades up to Horizon's
   * latest ledger, decoded exactly as the follower decodes them.
   */
  async function backfill(wallet: string, range: BackfillRange): Promise<BackfillResult> {
    const head = await latestLedger();
    let from: bigint;
    // Note: `sinceMs` is how far back, in milliseconds from now.
    const sinceAt = 'sinceMs' in range ? Date.now() - range.sinceMs : null;
    if ('fromBlock' in range) {
      from = range.fromBlock > 0n ? range.fromBlock - 1n : 0n;
    } else {
      const earliest = [
        await earliestLedgerSince<HorizonOperation>(`/accounts/${wallet}/operations`, 'accounts/operations', sinceAt!, (op) => op.created_at),
        await earliestLedgerSince<HorizonTrade>(`/accounts/${wallet}/trades`, 'accounts/trades', sinceAt!, (trade) => trade.ledger_close_time),
      ].filter((ledger): ledger is bigint => ledger !== null);
      if (earliest.length === 0) return { records: [], skipped: [], fromBlock: head, toBlock: head, transactions: 0 };
      from = earliest.reduce((min, ledger) => (ledger < min ? ledger : min)) - 1n;
    }
    const activities = (await accountActivity(wallet, from, head)).filter((activity) => sinceAt === null || activity.time === null || activity.time.getTime() >= sinceAt);
    const records = await recordsOf(activities.map((activity) => ({ wallet, activity })));
    return { records, skipped: [], fromBlock: from + 1n, toBlock: head, transactions: activities.length };
  }

  async function* passFrom(cursor: { current: ChainCursor | null }): AsyncGenerator<ChainEvent, void, undefined> {
    for await (const event of passes.run(() => pass(cursor.current))) {
      yield event;
      if (event.type === 'records') cursor.current = event.cursor;
    }
  }

  return {
    chain,
    syncOnce: (cursor) => passFrom({ current: cursor }),
    follow(cursor, signal) {
      const position = { current: cursor };
      return followLoop({
        signal,
        logger,
        pass: () => passFrom(position),
        idleMs: () => deps.pollMs ?? Math.max(250, chain.blockTimeMs * 2),
        backoff: { baseMs: 2_000, maxMs: 5 * 60_000 },
        subscribe(wake) {
          const off = deps.walletsChanged?.(wake);
          return () => off?.();
        },
      });
    },
    async readHoldings(wallet) {
      const account = await http.json<HorizonAccount>(`/accounts/${wallet}`, 'accounts');
      const held = new Map<string, bigint>();
      // Note: an account that was never funded (or was merged away) does not exist on Stellar; it holds nothing.
      for (const balance of account?.balances ?? []) {
        const asset = stellarAssetKey(balance.asset_type, balance.asset_code, balance.asset_issuer);
        const amount = parseStellarAmount(balance.balance);
        if (asset !== null && amount > 0n) held.set(asset, amount);
      }
      return held;
    },
    readTokenMetadata: async (assets) => assets.map(metadataOf),
    nativeUsdPrice: async () => null,
    feeEstimate: async () => stellarFeeEstimate(chain, await http.json<HorizonFeeStats>('/fee_stats', 'fee_stats'), new Date()),
    backfill,
    async explain(hash, wallets): Promise<ExplainOutcome> {
      let page: HorizonPage<HorizonOperation> | null;
      try {
        page = await http.json<HorizonPage<HorizonOperation>>(`/transactions/${hash.toLowerCase()}/operations?join=transactions&limit=${PAGE}`, 'transactions/operations');
      } catch {
        return { kind: 'unreachable' };
      }
      const operations = page?._embedded.records ?? [];
      if (operations.length === 0) return { kind: 'unknown' };
      const source = operations[0]!.transaction?.source_account ?? operations[0]!.source_account;
      const targets = wallets.length > 0 ? wallets : [source];
      const entries = targets.map((wallet) => {
        const activity = stellarActivity(wallet, operations, [], new Map())[0]!;
        return {
          chain: chain.name,
          tx: activity.txHash,
          wallet,
          failed: operations[0]!.transaction_successful === false,
          fee: activity.fee,
          kind: classifyTrade(activity.deltas, quotes).kind,
          deltas: Object.fromEntries([...activity.deltas].map(([asset, amount]) => [asset === NATIVE ? chain.nativeSymbol : asset, amount])),
          venue: activity.venue,
        };
      });
      return { kind: 'found', explained: { entries, tokens: new Map() } };
    },
    close: async () => {},
  };
}

/** A Stellar asset's metadata from its key: the code is its symbol, and every Stellar amount has 7 decimals. */
function metadataOf(asset: string): TokenMetadata {
  const code = asset.split(':')[0] ?? asset;
  return { address: asset, symbol: code, name: null, decimals: STELLAR_DECIMALS };
}
