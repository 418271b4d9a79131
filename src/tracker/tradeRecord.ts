import type { TradeClassification } from './classifyTrade.js';
import type { TradeKind } from './walletDeltas.js';

/** Where a transaction sits on its chain: what makes its records unique, orderable and undoable. */
export type ChainPosition = {
  chain: string;
  blockNumber: bigint;
  blockHash: string;
  blockTime: Date | null;
  txHash: string;
  txIndex: number | null;
};

/** One movement of one asset touching a followed wallet. */
export type AssetTransfer = { position: number; asset: string; from: string; to: string; amount: bigint };

/** Everything Lookout stores about what one followed wallet did in one transaction. */
export type TradeRecord = ChainPosition & {
  wallet: string;
  kind: TradeKind;
  failed: boolean;
  fee: bigint;
  deltas: ReadonlyMap<string, bigint>;
  base: { asset: string; amount: bigint } | null;
  quote: { asset: string; amount: bigint } | null;
  venue: string | null;
  counterparty: string | null;
  usdValue: string | null;
  /** USD price of one whole unit of the base asset in this trade; null when unpriced. */
  priceUsd: string | null;
  isSpam: boolean;
  transfers: AssetTransfer[];
  /** Native coin moved inside calls in this block for this wallet, shared with its other transactions and not split. */
  unsplitNative?: bigint | null;
};

/** Builds a record from one wallet's classified deltas; amounts of base and quote are positive. */
export function tradeRecord(
  position: ChainPosition,
  wallet: string,
  delta: { failed: boolean; fee: bigint; deltas: ReadonlyMap<string, bigint> },
  classification: TradeClassification,
  extra: { venue: string | null; counterparty: string | null; usdValue: string | null; isSpam: boolean; transfers: AssetTransfer[] },
): TradeRecord {
  const leg = (asset: string | null) => {
    if (asset === null) return null;
    const amount = delta.deltas.get(asset) ?? 0n;
    return { asset, amount: amount < 0n ? -amount : amount };
  };
  return {
    ...position,
    wallet,
    kind: classification.kind,
    failed: delta.failed,
    fee: delta.fee,
    deltas: delta.deltas,
    base: leg(classification.base ?? singleAsset(delta.deltas)),
    quote: leg(classification.quote),
    priceUsd: null,
    ...extra,
  };
}

/** The one asset of a transfer or wrap, so that every record names what moved. */
function singleAsset(deltas: ReadonlyMap<string, bigint>): string | null {
  const assets = [...deltas.keys()];
  return assets.length === 1 ? assets[0]! : null;
}
