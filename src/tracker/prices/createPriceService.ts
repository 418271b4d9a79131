import type { ChainConfig } from '../../config/chainPresets.js';
import type { Db } from '../../db/openDatabase.js';
import {
  findHistoricalPrices,
  findLatestPrice,
  findLatestPriceBetween,
  findPricesAt,
  saveHistoricalPrice,
  savePrice,
  type PriceRow,
} from '../../db/priceQueries.js';
import { LookoutError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { JsonRpcClient } from '../evm/createJsonRpcClient.js';
import { Rational } from '../pnl/Rational.js';
import { stablecoinUsdValue } from '../stablecoinUsdValue.js';
import type { TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import type { PriceSource, SourcePrice } from './PriceSource.js';
import { DEFAULT_MAX_PRICE_AGE_MS, readChainlinkPrice } from './readChainlinkPrice.js';
import { readPythPrice, type PythAccountSource } from './readPythPrice.js';
import { toPriceDecimal } from './toPriceDecimal.js';

/** Where a stored price came from; `api` marks rows stored before the sources had names. */
export type PriceOrigin = 'chainlink' | 'pyth' | 'trade' | PriceSource['name'] | 'api';
/** The sources of a native coin's price at a block. */
export type NativePriceSource = Exclude<PriceOrigin, 'trade'>;

/** The native coin's USD price at a block. */
export type PriceQuote = {
  chain: string;
  blockNumber: bigint;
  priceUsd: string;
  source: NativePriceSource;
  /** When the price was true: the feed's update time, the account's publish time, the source's quote time. */
  observedAt: Date;
  /** Older than the maximum age at the block's time: the source's word, but an old one. */
  stale: boolean;
};

/** A trade's USD value and the price of its base token; both null when it cannot be priced, never "0". */
export type TradePrice = { usdValue: string | null; priceUsd: string | null };

/** The latest known price of an asset, with where it came from, how old it is, and whether that is too old. */
export type LatestPrice = { priceUsd: string; observedAt: Date; source: PriceOrigin; ageMs: number; stale: boolean };

export type PriceService = {
  /** The native coin's USD price at a block: the chain's feed, else a source with history; read once, then from Postgres. */
  nativeUsdAt(chain: string, blockNumber: bigint, blockTime: Date | null): Promise<PriceQuote | null>;
  /**
   * A trade's USD value from its stablecoin leg, else its native or wrapped-native leg, else a leg that traded
   * at a known price shortly before, else a leg's price by address at the trade's time; its base token's price follows.
   */
  priceTrade(
    record: Pick<TradeRecord, 'blockNumber' | 'blockTime' | 'base' | 'quote'>,
    tokens: ReadonlyMap<string, { decimals: number; isStablecoin: boolean }>,
    chain: string,
  ): Promise<TradePrice>;
  /** Keeps a token's price as seen in a trade, for `latestPrice`. */
  recordTradePrice(chain: string, asset: string, priceUsd: string, blockNumber: bigint, blockTime: Date): Promise<void>;
  /** The current price of an asset: asked again when older than the refresh interval; the freshest of the sources' and the last trade's. */
  latestPrice(chain: string, asset: string): Promise<LatestPrice | null>;
  /** `latestPrice` of many assets of one chain, in one request per source for those due a refresh. */
  currentPrices(chain: string, assets: readonly string[]): Promise<Map<string, LatestPrice>>;
};

export type PriceServiceDeps = {
  db: Db;
  chains: readonly ChainConfig[];
  logger: Logger;
  /** The JSON-RPC client of an EVM chain; asked once per chain. */
  rpcFor(chain: ChainConfig): JsonRpcClient;
  /** The Solana connection of a Solana chain; asked once per chain. Without it Solana has no on-chain price. */
  solanaConnectionFor?(chain: ChainConfig): PythAccountSource;
  /** Whether the chain's own feeds are read: Chainlink on EVM, Pyth on Solana; both by default. */
  onChain?: { chainlink: boolean; pyth: boolean };
  /** The sources outside the chain, in the order they are asked. */
  sources?: readonly PriceSource[];
  now?: () => Date;
  /** A price older than this at the block's time is flagged stale; 24 hours by default. */
  maxAgeMs?: number;
  /**
   * How far from a trade a source that only knows "now" (a Pyth account, DexScreener) may be read and still
   * price it; 10 minutes by default. An older trade (a catch-up after downtime) is left to the sources with history.
   */
  maxLagMs?: number;
  /** How long a current price is reused before asking again; 60 s by default (the refresh interval when run). */
  currentTtlMs?: number;
  /** A current price older than this is marked stale; 1 hour by default. */
  staleAfterMs?: number;
  /** The time buckets historical answers are kept by: one question per asset and bucket; 5 minutes by default. */
  bucketMs?: number;
  /** How long a source's "no price for it" stands before it is asked again; 6 hours by default. */
  unknownRetryMs?: number;
};

/** Stored native prices at a block, most trusted first. */
const NATIVE_SOURCES: readonly NativePriceSource[] = ['chainlink', 'pyth', 'defillama', 'coingecko', 'dexscreener', 'api'];
/** The block number under which a current price without a block (a source's quote) is stored. */
const NO_BLOCK = 0n;
/** A source that failed is left alone this long, doubling up to `MAX_COOLDOWN_MS`, before it is asked again. */
const FIRST_COOLDOWN_MS = 30_000;
const MAX_COOLDOWN_MS = 15 * 60_000;
/** At most this many other due assets join a refresh. */
const MAX_EXTRA_REFRESH = 50;

type OnChainReading = { blockNumber: bigint; priceUsd: string; source: NativePriceSource; observedAt: Date; stale: boolean };
type Remembered = { priceUsd: string; observedAt: Date; source: PriceOrigin };

/**
 * The price service: on-chain feeds read at the trade's block first, then the sources with history at the
 * trade's time, every answer cached in Postgres; current prices refreshed from the same sources.
 */
export function createPriceService(deps: PriceServiceDeps): PriceService {
  const { db } = deps;
  const log = deps.logger.child({ component: 'prices' });
  const now = deps.now ?? (() => new Date());
  const maxAgeMs = deps.maxAgeMs ?? DEFAULT_MAX_PRICE_AGE_MS;
  const maxLagMs = deps.maxLagMs ?? 10 * 60 * 1000;
  const currentTtlMs = deps.currentTtlMs ?? 60 * 1000;
  const staleAfterMs = deps.staleAfterMs ?? 60 * 60 * 1000;
  const bucketMs = deps.bucketMs ?? 5 * 60 * 1000;
  const unknownRetryMs = deps.unknownRetryMs ?? 6 * 60 * 60 * 1000;
  const onChain = deps.onChain ?? { chainlink: true, pyth: true };
  const sources = deps.sources ?? [];
  const historical = sources.filter((source) => source.pricesAt !== undefined);
  const chains = new Map(deps.chains.map((chain) => [chain.name, chain]));
  const rpcs = new Map<string, JsonRpcClient>();
  const connections = new Map<string, PythAccountSource | null>();
  const inFlight = new Map<string, Promise<PriceQuote | null>>();
  const historyInFlight = new Map<string, Promise<(SourcePrice & { source: PriceSource['name'] }) | null>>();
  // Current prices, and the assets no source priced, by `chain:asset`, with when they were asked.
  const current = new Map<string, { price: Remembered | null; readAt: number }>();
  const cooldowns = new Map<string, { until: number; failures: number }>();

  const rpcOf = (chain: ChainConfig) => {
    let rpc = rpcs.get(chain.name);
    if (!rpc) rpcs.set(chain.name, (rpc = deps.rpcFor(chain)));
    return rpc;
  };
  const connectionOf = (chain: ChainConfig) => {
    if (!connections.has(chain.name)) connections.set(chain.name, deps.solanaConnectionFor?.(chain) ?? null);
    return connections.get(chain.name)!;
  };
  const isStale = (observedAt: Date, at: Date | null) => at !== null && at.getTime() - observedAt.getTime() > maxAgeMs;
  const normalise = (chain: ChainConfig, asset: string) => (chain.kind === 'evm' ? asset.toLowerCase() : asset);
  /** The wrapped native is priced as the native coin. */
  const pricedAs = (chain: ChainConfig, asset: string) => {
    const normalised = normalise(chain, asset);
    return normalised === chain.wrappedNative ? NATIVE : normalised;
  };
  const feedOn = (chain: ChainConfig) => (chain.kind === 'evm' ? onChain.chainlink : onChain.pyth) && chain.nativeUsdFeed !== null;

  function chainNamed(name: string): ChainConfig | null {
    const chain = chains.get(name);
    if (!chain) log.warn({ chain: name }, 'price asked for a chain that is not configured');
    return chain ?? null;
  }

  /**
   * Asks a source unless it failed a moment ago. A failure (down, busy, rate-limited, refused) is logged and
   * gives `undefined`, which is never cached: the question is asked again later, and nothing is priced at 0.
   */
  async function ask<T>(source: PriceSource, chain: ChainConfig, question: () => Promise<T>): Promise<T | undefined> {
    const cooldown = cooldowns.get(source.name);
    if (cooldown && now().getTime() < cooldown.until) return undefined;
    try {
      const answer = await question();
      cooldowns.delete(source.name);
      return answer;
    } catch (error) {
      const failures = (cooldown?.failures ?? 0) + 1;
      const refused = error instanceof LookoutError && error.action === 'stop';
      const waitMs = refused ? 60 * 60_000 : Math.min(MAX_COOLDOWN_MS, FIRST_COOLDOWN_MS * 2 ** (failures - 1));
      cooldowns.set(source.name, { until: now().getTime() + waitMs, failures });
      log.warn({ err: error, source: source.name, chain: chain.name, retry_in_ms: waitMs }, 'price source failed; asking it again later');
      return undefined;
    }
  }

  /** The native price from the chain's own feed: at `blockNumber` on EVM, the account's current price on Solana. */
  async function readOnChain(chain: ChainConfig, blockNumber: bigint | null, blockTime: Date | null): Promise<OnChainReading | null> {
    const feed = chain.nativeUsdFeed;
    if (!feed || !feedOn(chain)) return null;
    const unusable = (problem: string) => log.warn({ chain: chain.name, block: blockNumber?.toString(), feed, problem }, 'native price feed unusable');
    try {
      if (chain.kind === 'evm') {
        const rpc = rpcOf(chain);
        const block = blockNumber ?? BigInt(await rpc.request<string>('eth_blockNumber', []));
        const price = await readChainlinkPrice(rpc, feed, block, { blockTime, maxAgeMs, onUnusable: unusable });
        if (!price) return null;
        return { blockNumber: block, priceUsd: price.priceUsd, source: 'chainlink', observedAt: price.updatedAt, stale: price.stale };
      }
      const connection = connectionOf(chain);
      if (!connection) return null;
      const price = await readPythPrice(connection, feed, unusable);
      if (!price) return null;
      const lagMs =
        blockTime !== null
          ? price.publishTime.getTime() - blockTime.getTime()
          : blockNumber !== null
            ? Number(price.readAtSlot - blockNumber) * chain.blockTimeMs
            : 0;
      if (lagMs > maxLagMs) {
        log.debug({ chain: chain.name, block: blockNumber?.toString(), lag_ms: lagMs }, 'pyth price is newer than the trade by too much; asking the sources with history');
        return null;
      }
      return {
        blockNumber: blockNumber ?? price.readAtSlot,
        priceUsd: price.priceUsd,
        source: 'pyth',
        observedAt: price.publishTime,
        stale: isStale(price.publishTime, blockTime ?? now()),
      };
    } catch (error) {
      log.warn({ chain: chain.name, block: blockNumber?.toString(), feed, err: error }, 'native price read failed');
      return null;
    }
  }

  /**
   * An asset's price at a moment from the sources with history, in order. Each source's answer for the
   * asset's time bucket is kept in Postgres, a "no price" too (asked again after `unknownRetryMs`); a failure
   * is not kept, so the question is asked again on the next try.
   */
  function historyPrice(chain: ChainConfig, asset: string, at: Date): Promise<(SourcePrice & { source: PriceSource['name'] }) | null> {
    if (historical.length === 0) return Promise.resolve(null);
    const bucketStart = new Date(Math.floor(at.getTime() / bucketMs) * bucketMs);
    const key = `${chain.name}:${asset}:${bucketStart.getTime()}`;
    let pending = historyInFlight.get(key);
    if (!pending) {
      pending = lookUpHistory(chain, asset, at, bucketStart).finally(() => historyInFlight.delete(key));
      historyInFlight.set(key, pending);
    }
    return pending;
  }

  async function lookUpHistory(chain: ChainConfig, asset: string, at: Date, bucketStart: Date): Promise<(SourcePrice & { source: PriceSource['name'] }) | null> {
    const cached = await findHistoricalPrices(db, chain.name, asset, bucketStart, historical.map((source) => source.name));
    for (const source of historical) {
      const row = cached.find((candidate) => candidate.source === source.name);
      if (row && row.priceUsd !== null && row.observedAt !== null) return { priceUsd: row.priceUsd, observedAt: row.observedAt, source: source.name };
      if (row && now().getTime() - row.createdAt.getTime() < unknownRetryMs) continue;
      const answer = await ask(source, chain, () => source.pricesAt!(chain, [asset], at));
      if (answer === undefined) continue;
      const price = answer.get(asset) ?? null;
      await saveHistoricalPrice(db, {
        chain: chain.name,
        asset,
        source: source.name,
        bucketStart,
        priceUsd: price?.priceUsd ?? null,
        observedAt: price?.observedAt ?? null,
      });
      if (price) return { ...price, source: source.name };
    }
    return null;
  }

  async function lookUpNative(chain: ChainConfig, blockNumber: bigint, blockTime: Date | null): Promise<PriceQuote | null> {
    const quote = (row: Pick<PriceRow, 'priceUsd' | 'observedAt'>, source: NativePriceSource, stale: boolean): PriceQuote => ({
      chain: chain.name,
      blockNumber,
      priceUsd: row.priceUsd,
      source,
      observedAt: row.observedAt,
      stale,
    });
    const keep = async (price: SourcePrice, source: NativePriceSource) => {
      await savePrice(db, { chain: chain.name, asset: NATIVE, blockNumber, priceUsd: price.priceUsd, source, observedAt: price.observedAt });
      return quote(price, source, isStale(price.observedAt, blockTime));
    };

    const cached = await findPricesAt(db, chain.name, NATIVE, blockNumber);
    for (const source of NATIVE_SOURCES) {
      const row = cached.find((candidate) => candidate.source === source);
      if (row) return quote(row, source, isStale(row.observedAt, blockTime));
    }

    const reading = await readOnChain(chain, blockNumber, blockTime);
    if (reading) {
      await savePrice(db, { chain: chain.name, asset: NATIVE, blockNumber, priceUsd: reading.priceUsd, source: reading.source, observedAt: reading.observedAt });
      return quote(reading, reading.source, reading.stale);
    }
    if (blockTime === null) {
      log.debug({ chain: chain.name, block: blockNumber.toString() }, 'no native price at this block, and no block time to ask by');
      return null;
    }

    const history = await historyPrice(chain, NATIVE, blockTime);
    if (history) return keep(history, history.source);

    // Sources that know only "now" price a trade known to be recent, never one from long ago.
    if (Math.abs(now().getTime() - blockTime.getTime()) <= maxLagMs) {
      for (const source of sources.filter((candidate) => candidate.pricesAt === undefined)) {
        const price = (await ask(source, chain, () => source.currentPrices(chain, [NATIVE])))?.get(NATIVE);
        if (price) return keep(price, source.name);
      }
    }
    log.debug({ chain: chain.name, block: blockNumber.toString() }, 'no native price at this block');
    return null;
  }

  async function nativeUsdAt(chainName: string, blockNumber: bigint, blockTime: Date | null): Promise<PriceQuote | null> {
    const chain = chainNamed(chainName);
    if (!chain) return null;
    // Trades of one block are priced together; they share one read.
    const key = `${chain.name}:${blockNumber}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = lookUpNative(chain, blockNumber, blockTime).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  const latest = (row: Pick<PriceRow, 'priceUsd' | 'observedAt'>, source: PriceOrigin): LatestPrice => {
    const ageMs = Math.max(0, now().getTime() - row.observedAt.getTime());
    return { priceUsd: row.priceUsd, observedAt: row.observedAt, source, ageMs, stale: ageMs > staleAfterMs };
  };
  const remember = (chain: ChainConfig, asset: string, price: Remembered | null) =>
    current.set(`${chain.name}:${asset}`, { price, readAt: now().getTime() });

  /**
   * Asks for the current prices of `assets` (already normalised): the chain's feed for the native coin, then
   * each source in order for what is still unpriced, one request per source for them all.
   */
  async function refresh(chain: ChainConfig, assets: readonly string[]): Promise<void> {
    const remaining = new Set(assets);
    if (remaining.has(NATIVE)) {
      const reading = await readOnChain(chain, null, null);
      if (reading) {
        await savePrice(db, { chain: chain.name, asset: NATIVE, blockNumber: reading.blockNumber, priceUsd: reading.priceUsd, source: reading.source, observedAt: reading.observedAt });
        remember(chain, NATIVE, reading);
        remaining.delete(NATIVE);
      }
    }
    for (const source of sources) {
      if (remaining.size === 0) break;
      const answer = await ask(source, chain, () => source.currentPrices(chain, [...remaining]));
      if (answer === undefined) continue;
      for (const [asset, price] of answer) {
        if (!remaining.has(asset)) continue;
        await savePrice(db, { chain: chain.name, asset, blockNumber: NO_BLOCK, priceUsd: price.priceUsd, source: source.name, observedAt: price.observedAt }, true);
        remember(chain, asset, { ...price, source: source.name });
        remaining.delete(asset);
      }
    }
    // Note: what no source priced is not asked again before the next refresh either; its last price stands.
    for (const asset of remaining) if (!current.get(`${chain.name}:${asset}`)?.price) remember(chain, asset, null);
  }

  async function currentPrices(chainName: string, requested: readonly string[]): Promise<Map<string, LatestPrice>> {
    const answer = new Map<string, LatestPrice>();
    const chain = chainNamed(chainName);
    if (!chain) return answer;
    const assets = new Map(requested.map((asset) => [asset, pricedAs(chain, asset)]));
    const due = [...new Set(assets.values())].filter((asset) => {
      const entry = current.get(`${chain.name}:${asset}`);
      return !entry || now().getTime() - entry.readAt >= currentTtlMs;
    });
    if (due.length > 0) {
      // Other assets of the chain asked before and due too go in the same request: a report asking its assets
      // one by one then costs one request per source.
      const prefix = `${chain.name}:`;
      const alsoDue = [...current]
        .filter(([key, entry]) => key.startsWith(prefix) && now().getTime() - entry.readAt >= currentTtlMs)
        .map(([key]) => key.slice(prefix.length))
        .filter((asset) => !due.includes(asset))
        .slice(0, MAX_EXTRA_REFRESH);
      await refresh(chain, [...due, ...alsoDue]);
    }

    for (const [requestedAsset, asset] of assets) {
      const candidates: LatestPrice[] = [];
      const quoted = current.get(`${chain.name}:${asset}`)?.price;
      if (quoted) candidates.push(latest(quoted, quoted.source));
      else {
        // Nothing answered since Lookout started: the last quote kept in Postgres, with its age.
        const stored = await findLatestPrice(db, chain.name, asset, [...NATIVE_SOURCES]);
        if (stored) candidates.push(latest(stored, stored.source as PriceOrigin));
      }
      if (asset !== NATIVE) {
        const traded = await findLatestPrice(db, chain.name, asset, ['trade']);
        if (traded) candidates.push(latest(traded, 'trade'));
      }
      // The freshest word wins: a trade seen a minute ago says more than a quote from an hour ago.
      const best = candidates.sort((a, b) => b.observedAt.getTime() - a.observedAt.getTime())[0];
      if (best) answer.set(requestedAsset, best);
    }
    return answer;
  }

  return {
    nativeUsdAt,
    currentPrices,

    async priceTrade(record, tokens, chainName) {
      const unpriced: TradePrice = { usdValue: null, priceUsd: null };
      const chain = chainNamed(chainName);
      if (!chain) return unpriced;
      const decimalsOf = (asset: string) => (asset === NATIVE ? chain.nativeDecimals : tokens.get(asset)?.decimals);

      let usdValue = stablecoinUsdValue(record, tokens);
      const nativeLeg = [record.quote, record.base].find(
        (leg) => leg !== null && leg.amount > 0n && (leg.asset === NATIVE || leg.asset === chain.wrappedNative),
      );
      if (usdValue === null && nativeLeg) {
        const price = await nativeUsdAt(chain.name, record.blockNumber, record.blockTime);
        if (price?.stale) {
          log.warn({ chain: chain.name, block: record.blockNumber.toString(), observed_at: price.observedAt.toISOString(), source: price.source }, 'trade priced from a stale native price');
        }
        if (price) {
          const amount = Rational.fromRaw(nativeLeg.amount, decimalsOf(nativeLeg.asset) ?? chain.nativeDecimals);
          usdValue = toPriceDecimal(amount.mul(Rational.parse(price.priceUsd)));
        }
      }
      usdValue ??= await viaTradedLeg(chain, record, decimalsOf);
      usdValue ??= await viaHistory(chain, record, tokens, decimalsOf);
      if (usdValue === null) return unpriced;

      const base = record.base;
      const baseDecimals = base ? decimalsOf(base.asset) : undefined;
      const priceUsd =
        base && base.amount > 0n && baseDecimals !== undefined
          ? toPriceDecimal(Rational.parse(usdValue).div(Rational.fromRaw(base.amount, baseDecimals)))
          : null;
      return { usdValue, priceUsd };
    },

    async recordTradePrice(chainName, asset, priceUsd, blockNumber, blockTime) {
      const chain = chainNamed(chainName);
      if (!chain) return;
      let price: Rational;
      try {
        price = Rational.parse(priceUsd);
      } catch {
        log.warn({ chain: chain.name, asset, price: priceUsd }, 'trade price is not a decimal; not kept');
        return;
      }
      // A zero price is a trade that could not be priced, not a worthless token.
      if (price.sign() <= 0) return;
      await savePrice(
        db,
        { chain: chain.name, asset: normalise(chain, asset), blockNumber, priceUsd: toPriceDecimal(price), source: 'trade', observedAt: blockTime },
        true,
      );
    },

    async latestPrice(chainName, asset) {
      return (await currentPrices(chainName, [asset])).get(asset) ?? null;
    },
  };

  /**
   * A token-for-token swap valued through whichever leg traded at a known price shortly before: the quote leg first,
   * then the base; a price older than `maxLagMs` at the trade's time is no price for it.
   */
  async function viaTradedLeg(
    chain: ChainConfig,
    record: Pick<TradeRecord, 'blockTime' | 'base' | 'quote'>,
    decimalsOf: (asset: string) => number | undefined,
  ): Promise<string | null> {
    if (record.blockTime === null) return null;
    const since = new Date(record.blockTime.getTime() - maxLagMs);
    for (const leg of [record.quote, record.base]) {
      if (!leg || leg.amount <= 0n) continue;
      const decimals = decimalsOf(leg.asset);
      if (decimals === undefined) continue;
      const traded = await findLatestPriceBetween(db, chain.name, normalise(chain, leg.asset), ['trade'], since, record.blockTime);
      if (traded) return toPriceDecimal(Rational.fromRaw(leg.amount, decimals).mul(Rational.parse(traded.priceUsd)));
    }
    return null;
  }

  /** A trade with no quote leg the chain prices, valued by a token leg's price (by chain and address) at the trade's time. */
  async function viaHistory(
    chain: ChainConfig,
    record: Pick<TradeRecord, 'blockTime' | 'base' | 'quote'>,
    tokens: ReadonlyMap<string, { decimals: number; isStablecoin: boolean }>,
    decimalsOf: (asset: string) => number | undefined,
  ): Promise<string | null> {
    if (record.blockTime === null) return null;
    for (const leg of [record.quote, record.base]) {
      if (!leg || leg.amount <= 0n || tokens.get(leg.asset)?.isStablecoin) continue;
      const decimals = decimalsOf(leg.asset);
      const asset = pricedAs(chain, leg.asset);
      // The native coin was asked already, through nativeUsdAt.
      if (decimals === undefined || asset === NATIVE) continue;
      const price = await historyPrice(chain, asset, record.blockTime);
      if (price) return toPriceDecimal(Rational.fromRaw(leg.amount, decimals).mul(Rational.parse(price.priceUsd)));
    }
    return null;
  }
}
