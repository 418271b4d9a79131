import type { ChainConfig } from '../../config/chainPresets.js';
import type { PriceApiConfig } from '../../config/loadConfig.js';
import type { Db } from '../../db/openDatabase.js';
import { findLatestPrice, findLatestPriceBetween, findPricesAt, savePrice, type PriceRow } from '../../db/priceQueries.js';
import type { Logger } from '../../logger.js';
import type { JsonRpcClient } from '../evm/createJsonRpcClient.js';
import { Rational } from '../pnl/Rational.js';
import { stablecoinUsdValue } from '../stablecoinUsdValue.js';
import type { TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import { fetchApiPrice } from './fetchApiPrice.js';
import { DEFAULT_MAX_PRICE_AGE_MS, readChainlinkPrice } from './readChainlinkPrice.js';
import { readPythPrice, type PythAccountSource } from './readPythPrice.js';
import { toPriceDecimal } from './toPriceDecimal.js';

/** Where a stored price came from. */
export type PriceSource = 'chainlink' | 'pyth' | 'api' | 'trade';
/** The sources of a native coin's price at a block, most trusted first. */
export type NativePriceSource = 'chainlink' | 'pyth' | 'api';

/** The native coin's USD price at a block. */
export type PriceQuote = {
  chain: string;
  blockNumber: bigint;
  priceUsd: string;
  source: NativePriceSource;
  /** When the price was true: the feed's update time, the account's publish time, the API's quote time. */
  observedAt: Date;
  /** Older than the maximum age at the block's time: the source's word, but an old one. */
  stale: boolean;
};

/** A trade's USD value and the price of its base token; both null when it cannot be priced, never "0". */
export type TradePrice = { usdValue: string | null; priceUsd: string | null };

/** The latest known price of an asset, with how old it is. */
export type LatestPrice = { priceUsd: string; observedAt: Date; source: PriceSource; ageMs: number };

export type PriceService = {
  /** The native coin's USD price at a block, read once from the chain's feed (or the API) and then from Postgres. */
  nativeUsdAt(chain: string, blockNumber: bigint, blockTime: Date | null): Promise<PriceQuote | null>;
  /** A trade's USD value from its stablecoin leg, else its native or wrapped-native leg; its base token's price follows. */
  priceTrade(
    record: Pick<TradeRecord, 'blockNumber' | 'blockTime' | 'base' | 'quote'>,
    tokens: ReadonlyMap<string, { decimals: number; isStablecoin: boolean }>,
    chain: string,
  ): Promise<TradePrice>;
  /** Keeps a token's price as seen in a trade, for `latestPrice`. */
  recordTradePrice(chain: string, asset: string, priceUsd: string, blockNumber: bigint, blockTime: Date): Promise<void>;
  /** The latest trade price seen for a token (the feed's latest for the native coin), else the API's current price. */
  latestPrice(chain: string, asset: string): Promise<LatestPrice | null>;
};

export type PriceServiceDeps = {
  db: Db;
  chains: readonly ChainConfig[];
  logger: Logger;
  /** The JSON-RPC client of an EVM chain; asked once per chain. */
  rpcFor(chain: ChainConfig): JsonRpcClient;
  /** The Solana connection of a Solana chain; asked once per chain. Without it Solana has no on-chain price. */
  solanaConnectionFor?(chain: ChainConfig): PythAccountSource;
  api?: PriceApiConfig | undefined;
  now?: () => Date;
  fetch?: typeof fetch;
  /** A price older than this at the block's time is flagged stale; 24 hours by default. */
  maxAgeMs?: number;
  /**
   * How far from a trade a source that only knows "now" (a Pyth account, the API) may be read and still
   * price it; 10 minutes by default. An older trade (a catch-up after downtime) stays unpriced instead of
   * being priced at today's rate.
   */
  maxLagMs?: number;
  /** How long a current price (the API's, the feed's latest) is reused before asking again; 60 s by default. */
  currentTtlMs?: number;
};

const NATIVE_SOURCES: readonly NativePriceSource[] = ['chainlink', 'pyth', 'api'];
/** The block number under which a current price without a block (an API quote) is stored. */
const NO_BLOCK = 0n;

type OnChainReading = { blockNumber: bigint; priceUsd: string; source: NativePriceSource; observedAt: Date; stale: boolean };

/** The price service: on-chain feeds read at the trade's block, cached in the `prices` table, with an optional API. */
export function createPriceService(deps: PriceServiceDeps): PriceService {
  const { db } = deps;
  const log = deps.logger.child({ component: 'prices' });
  const now = deps.now ?? (() => new Date());
  const maxAgeMs = deps.maxAgeMs ?? DEFAULT_MAX_PRICE_AGE_MS;
  const maxLagMs = deps.maxLagMs ?? 10 * 60 * 1000;
  const currentTtlMs = deps.currentTtlMs ?? 60 * 1000;
  const chains = new Map(deps.chains.map((chain) => [chain.name, chain]));
  const rpcs = new Map<string, JsonRpcClient>();
  const connections = new Map<string, PythAccountSource | null>();
  const inFlight = new Map<string, Promise<PriceQuote | null>>();
  // Current prices (the feed's latest, the API's quote) are asked at most once per `currentTtlMs`.
  const current = new Map<string, { price: LatestPrice; readAt: number }>();

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

  function chainNamed(name: string): ChainConfig | null {
    const chain = chains.get(name);
    if (!chain) log.warn({ chain: name }, 'price asked for a chain that is not configured');
    return chain ?? null;
  }

  /** The native price from the chain's own feed: at `blockNumber` on EVM, the account's current price on Solana. */
  async function readOnChain(chain: ChainConfig, blockNumber: bigint | null, blockTime: Date | null): Promise<OnChainReading | null> {
    const feed = chain.nativeUsdFeed;
    if (!feed) return null;
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
        log.debug({ chain: chain.name, block: blockNumber?.toString(), lag_ms: lagMs }, 'pyth price is newer than the trade by too much; leaving it unpriced');
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
      log.warn({ chain: chain.name, block: blockNumber?.toString(), feed, err: describe(error) }, 'native price read failed');
      return null;
    }
  }

  /** The API's current price; null when none is configured, it does not know the asset, or it fails. */
  async function readApi(chain: ChainConfig, asset: string): Promise<{ priceUsd: string; observedAt: Date } | null> {
    if (!deps.api) return null;
    try {
      const price = await fetchApiPrice(deps.api, chain, asset, { fetch: deps.fetch });
      return price && { priceUsd: price.priceUsd, observedAt: price.updatedAt ?? now() };
    } catch (error) {
      log.warn({ chain: chain.name, asset, api: deps.api.kind, err: describe(error) }, 'price API failed');
      return null;
    }
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

    // The API knows only "now": it prices a trade known to be recent, never one from long ago.
    if (deps.api && blockTime !== null && Math.abs(now().getTime() - blockTime.getTime()) <= maxLagMs) {
      const price = await readApi(chain, NATIVE);
      if (price) {
        await savePrice(db, { chain: chain.name, asset: NATIVE, blockNumber, priceUsd: price.priceUsd, source: 'api', observedAt: price.observedAt });
        return quote(price, 'api', isStale(price.observedAt, blockTime));
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

  const latest = (row: Pick<PriceRow, 'priceUsd' | 'observedAt'>, source: PriceSource): LatestPrice => ({
    priceUsd: row.priceUsd,
    observedAt: row.observedAt,
    source,
    ageMs: Math.max(0, now().getTime() - row.observedAt.getTime()),
  });

  return {
    nativeUsdAt,

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
        if (!price) return unpriced;
        if (price.stale) {
          log.warn({ chain: chain.name, block: record.blockNumber.toString(), observed_at: price.observedAt.toISOString(), source: price.source }, 'trade priced from a stale native price');
        }
        const amount = Rational.fromRaw(nativeLeg.amount, decimalsOf(nativeLeg.asset) ?? chain.nativeDecimals);
        usdValue = toPriceDecimal(amount.mul(Rational.parse(price.priceUsd)));
      }
      usdValue ??= await viaTradedLeg(chain, record, decimalsOf);
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

    async latestPrice(chainName, assetName) {
      const chain = chainNamed(chainName);
      if (!chain) return null;
      const asset = normalise(chain, assetName);

      if (asset === NATIVE || asset === chain.wrappedNative) {
        const remembered = recall(`${chain.name}:${NATIVE}`);
        if (remembered) return remembered;
        const reading = await readOnChain(chain, null, null);
        if (reading) {
          await savePrice(db, { chain: chain.name, asset: NATIVE, blockNumber: reading.blockNumber, priceUsd: reading.priceUsd, source: reading.source, observedAt: reading.observedAt });
          return remember(`${chain.name}:${NATIVE}`, reading, reading.source);
        }
        const quoted = await currentApiPrice(chain, NATIVE);
        if (quoted) return quoted;
        const stored = await findLatestPrice(db, chain.name, NATIVE, [...NATIVE_SOURCES]);
        return stored && latest(stored, stored.source as PriceSource);
      }

      const traded = await findLatestPrice(db, chain.name, asset, ['trade']);
      if (traded) return latest(traded, 'trade');
      return currentApiPrice(chain, asset);
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

  /** A current price read less than `currentTtlMs` ago, with its age brought up to date. */
  function recall(key: string): LatestPrice | null {
    const entry = current.get(key);
    if (!entry || now().getTime() - entry.readAt > currentTtlMs) return null;
    return latest(entry.price, entry.price.source);
  }

  function remember(key: string, row: Pick<PriceRow, 'priceUsd' | 'observedAt'>, source: PriceSource): LatestPrice {
    const price = latest(row, source);
    current.set(key, { price, readAt: now().getTime() });
    return price;
  }

  /** The API's price of an asset now, reused for `currentTtlMs`, or the last one it gave when it fails. */
  async function currentApiPrice(chain: ChainConfig, asset: string): Promise<LatestPrice | null> {
    if (!deps.api) return null;
    const key = `${chain.name}:${asset}:api`;
    const remembered = recall(key);
    if (remembered) return remembered;
    const price = await readApi(chain, asset);
    if (!price) {
      const stored = (await findPricesAt(db, chain.name, asset, NO_BLOCK)).find((row) => row.source === 'api');
      return stored ? latest(stored, 'api') : null;
    }
    await savePrice(db, { chain: chain.name, asset, blockNumber: NO_BLOCK, priceUsd: price.priceUsd, source: 'api', observedAt: price.observedAt }, true);
    return remember(key, price, 'api');
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const details = (error as { details?: unknown }).details;
    return typeof details === 'string' ? `${error.message} (${details})` : error.message;
  }
  return String(error);
}
