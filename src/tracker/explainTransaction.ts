import type { ChainConfig } from '../config/chainPresets.js';
import { classifyTrade } from './classifyTrade.js';
import { decodeEvmTransaction } from './evm/decodeEvmTransaction.js';
import type { EvmTransactionInput } from './evm/evmRpcTypes.js';
import { decodeSolanaTransaction } from './solana/decodeSolanaTransaction.js';
import { NATIVE, type TradeKind, type WalletDeltas } from './walletDeltas.js';

/** What Lookout sees one wallet do in one transaction: the answer of `lookout explain`. */
export type Explanation = {
  chain: string;
  tx: string;
  wallet: string;
  failed: boolean;
  fee: bigint;
  kind: TradeKind;
  /** Asset → signed raw amount; the native coin is `native` on EVM chains and `SOL` on Solana. */
  deltas: Record<string, bigint>;
  venue: string | null;
};

/** The Solana classifier ignores SOL moves up to this many lamports (rent, tips) when naming a trade. */
export const SOLANA_NATIVE_DUST = 10_000_000n;

/** Explains an EVM transaction for the given wallets (default: its sender). */
export function explainEvmTransaction(
  chain: Pick<ChainConfig, 'name' | 'stablecoins' | 'wrappedNative'>,
  input: EvmTransactionInput & { tx: { hash?: string; from: string } },
  wallets: string[],
  internalNative?: ReadonlyMap<string, bigint>,
): Explanation[] {
  const targets = wallets.length ? wallets : [input.tx.from];
  const decoded = decodeEvmTransaction(input, targets, internalNative);
  return targets.map((wallet) => {
    const delta = decoded.find((entry) => entry.wallet === wallet.toLowerCase()) ?? untouched(wallet, input);
    return explanation(chain, input.tx.hash ?? input.receipt.transactionHash ?? '', delta, NATIVE, 0n, null);
  });
}

/** Explains a Solana transaction (any encoding) for the given wallets (default: its fee payer). */
export function explainSolanaTransaction(
  chain: Pick<ChainConfig, 'name' | 'stablecoins' | 'wrappedNative'>,
  result: unknown,
  wallets: string[],
): Explanation[] {
  const decoded = decodeSolanaTransaction(result);
  const targets = wallets.length ? wallets : [decoded.feePayer];
  return targets.map((wallet) =>
    explanation(chain, decoded.signature, decoded.walletDeltas(wallet), 'SOL', SOLANA_NATIVE_DUST, decoded.venues[0] ?? null),
  );
}

function explanation(
  chain: Pick<ChainConfig, 'name' | 'stablecoins' | 'wrappedNative'>,
  tx: string,
  delta: WalletDeltas,
  nativeKey: string,
  nativeDust: bigint,
  venue: string | null,
): Explanation {
  const { kind } = classifyTrade(delta.deltas, { stablecoins: chain.stablecoins, wrappedNative: chain.wrappedNative, nativeDust });
  return {
    chain: chain.name,
    tx,
    wallet: delta.wallet,
    failed: delta.failed,
    fee: delta.fee,
    kind,
    deltas: Object.fromEntries([...delta.deltas].map(([asset, amount]) => [asset === NATIVE ? nativeKey : asset, amount])),
    venue,
  };
}

function untouched(wallet: string, input: EvmTransactionInput): WalletDeltas {
  const status = input.receipt.status;
  return { wallet: wallet.toLowerCase(), failed: status === '0x0' || status === 'reverted', fee: 0n, deltas: new Map() };
}

/** The JSON line `lookout explain --json` prints: amounts as raw integer strings. */
export function explanationJson(explained: Explanation): Record<string, unknown> {
  return {
    chain: explained.chain,
    tx: explained.tx,
    wallet: explained.wallet,
    failed: explained.failed,
    fee: explained.fee.toString(),
    kind: explained.kind,
    deltas: Object.fromEntries(Object.entries(explained.deltas).map(([asset, amount]) => [asset, amount.toString()])),
    venue: explained.venue,
  };
}

/** The token assets (neither the native coin nor its Solana alias) the explanations moved. */
export function tokenAssets(entries: Explanation[]): string[] {
  return [...new Set(entries.flatMap((entry) => Object.keys(entry.deltas)))].filter((asset) => asset !== 'native' && asset !== 'SOL');
}
