import type { ChainConfig } from '../../config/chainPresets.js';
import { classifyTrade, type QuoteAssets } from '../classifyTrade.js';
import type { TokenInfo } from '../createTokenRegistry.js';
import { stablecoinUsdValue } from '../stablecoinUsdValue.js';
import { tradeRecord, type ChainPosition, type TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import type { DecodedSolanaTransaction } from './decodeSolanaTransaction.js';
import { splTokenMoves } from './splTokenMoves.js';

/**
 * SOL movements up to this many lamports are costs of a trade (token account rent of about
 * 0.002 SOL, priority tips) rather than one of its legs, so a USDC trade that opens a token
 * account stays a trade.
 */
export const SOLANA_NATIVE_DUST = 10_000_000n;

/** Whether no followed wallet of the chain has held this asset before: the caller knows the history. */
export type SpamCheck = (wallet: string, asset: string) => Promise<boolean>;

/** The followed wallets a transaction gets a record for: those it changed, and its fee payer. */
export function followedWalletsOf(decoded: DecodedSolanaTransaction, followed: ReadonlySet<string>): string[] {
  const wallets = new Set(decoded.wallets().filter((wallet) => followed.has(wallet)));
  if (followed.has(decoded.feePayer)) wallets.add(decoded.feePayer);
  return [...wallets].sort();
}

/** The mints a transaction moved for the followed wallets, with their decimals, so metadata can be read first. */
export function mintsOf(decoded: DecodedSolanaTransaction, followed: ReadonlySet<string>): Map<string, number | null> {
  const mints = new Map<string, number | null>();
  for (const wallet of followedWalletsOf(decoded, followed)) {
    for (const asset of decoded.walletDeltas(wallet).deltas.keys()) {
      if (asset !== NATIVE) mints.set(asset, decimalsOf(decoded, asset) ?? null);
    }
  }
  return mints;
}

/** Where a Solana transaction sits: the slot stands in for the block hash, which getTransaction does not give. */
export function solanaPosition(chain: Pick<ChainConfig, 'name'>, decoded: DecodedSolanaTransaction): ChainPosition {
  return {
    chain: chain.name,
    blockNumber: BigInt(decoded.slot),
    blockHash: String(decoded.slot),
    blockTime: decoded.blockTime === null ? null : new Date(decoded.blockTime * 1000),
    txHash: decoded.signature,
    txIndex: null,
  };
}

/** Turns one decoded transaction into a record per followed wallet it touched, keyed by (chain, signature, wallet). */
export async function buildSolanaRecords(
  chain: ChainConfig,
  decoded: DecodedSolanaTransaction,
  followed: ReadonlySet<string>,
  tokens: ReadonlyMap<string, TokenInfo>,
  isUnsolicitedUnknown: SpamCheck,
): Promise<TradeRecord[]> {
  const quotes: QuoteAssets = { stablecoins: chain.stablecoins, wrappedNative: chain.wrappedNative, nativeDust: SOLANA_NATIVE_DUST };
  const position = solanaPosition(chain, decoded);
  const moves = splTokenMoves(decoded.tokenBalances);
  const records: TradeRecord[] = [];
  for (const wallet of followedWalletsOf(decoded, followed)) {
    const delta = decoded.walletDeltas(wallet);
    // Note: a transaction that moved nothing for the wallet is no trade; a failed one it paid for is kept for its fee.
    if (delta.deltas.size === 0 && !(delta.failed && delta.fee > 0n)) continue;
    const classification = classifyTrade(delta.deltas, quotes);
    const isTransfer = classification.kind === 'transfer_in' || classification.kind === 'transfer_out';
    const record = tradeRecord(position, wallet, delta, classification, {
      venue: decoded.venues[0] ?? null,
      counterparty: isTransfer ? counterpartyOf(decoded, wallet) : null,
      usdValue: null,
      isSpam: false,
      transfers: moves.filter((move) => move.from === wallet || move.to === wallet),
    });
    const isSpam =
      classification.kind === 'transfer_in' &&
      !followed.has(decoded.feePayer) &&
      (await isUnsolicitedAirdrop(delta.deltas, quotes, (asset) => isUnsolicitedUnknown(wallet, asset)));
    records.push({ ...record, isSpam, usdValue: stablecoinUsdValue(record, tokens) });
  }
  return records;
}

/**
 * An airdrop nobody asked for: it brought at least one token, every token it brought is no quote
 * and unknown to the followed wallets, and any SOL with it is no more than the rent of the token
 * account the sender opened.
 */
async function isUnsolicitedAirdrop(
  deltas: ReadonlyMap<string, bigint>,
  quotes: QuoteAssets,
  isUnknown: (asset: string) => Promise<boolean>,
): Promise<boolean> {
  const tokens = [...deltas.keys()].filter((asset) => asset !== NATIVE);
  if (tokens.length === 0) return false;
  if ((deltas.get(NATIVE) ?? 0n) > (quotes.nativeDust ?? 0n)) return false;
  for (const asset of tokens) {
    if (asset === quotes.wrappedNative || quotes.stablecoins.includes(asset)) return false;
    if (!(await isUnknown(asset))) return false;
  }
  return true;
}

/**
 * The one other owner a transfer went to or came from: the only address whose deltas moved the
 * transferred tokens (or, for SOL alone, SOL) the other way. Null when none or several did.
 */
function counterpartyOf(decoded: DecodedSolanaTransaction, wallet: string): string | null {
  const own = decoded.walletDeltas(wallet).deltas;
  const tokens = [...own.keys()].filter((asset) => asset !== NATIVE);
  const assets = tokens.length > 0 ? tokens : [...own.keys()];
  const others = decoded.wallets().filter((other) => {
    if (other === wallet) return false;
    const theirs = decoded.walletDeltas(other).deltas;
    return assets.some((asset) => {
      const mine = own.get(asset) ?? 0n;
      const their = theirs.get(asset) ?? 0n;
      return (mine > 0n && their < 0n) || (mine < 0n && their > 0n);
    });
  });
  return others.length === 1 ? others[0]! : null;
}

function decimalsOf(decoded: DecodedSolanaTransaction, mint: string): number | undefined {
  return [...decoded.tokenBalances.post, ...decoded.tokenBalances.pre].find((balance) => balance.mint === mint)?.decimals;
}
