import type { WalletDeltas } from '../walletDeltas.js';
import { computeSolanaDeltas } from './computeSolanaDeltas.js';
import { decodeTransactionMessage } from './decodeTransactionMessage.js';
import { invokedProgramIds } from './invokedProgramIds.js';
import { readTokenBalances, type SolanaTokenBalance } from './readTokenBalances.js';
import { type JsonObject, readAmount, readAmounts, readIndex, readObject } from './rpcReaders.js';
import { SolanaDecodeError } from './solanaDecodeError.js';
import { venuesOf } from './venues.js';

export { SolanaDecodeError } from './solanaDecodeError.js';
export type { SolanaTokenBalance } from './readTokenBalances.js';

/** One confirmed Solana transaction, reduced to what a wallet tracker needs. */
export type DecodedSolanaTransaction = {
  signature: string;
  slot: number;
  /** Unix seconds; null when the node did not know the block's time. */
  blockTime: number | null;
  version: 'legacy' | number;
  failed: boolean;
  /** `meta.err` as JSON text, null when the transaction succeeded. */
  error: string | null;
  /** Network fee in lamports, base and priority, charged even when the transaction failed. */
  fee: bigint;
  feePayer: string;
  signers: string[];
  /** Every account loaded: static keys, then lookup-table writable, then lookup-table readonly. */
  accountKeys: string[];
  /** Lamports of each account key before and after. */
  lamports: { pre: bigint[]; post: bigint[] };
  tokenBalances: { pre: SolanaTokenBalance[]; post: SolanaTokenBalance[] };
  /** Programs invoked, top-level and inner, once each in the order they ran. */
  programIds: string[];
  /** Names of the known trading venues among programIds, aggregators first. */
  venues: string[];
  /** What one address gained and lost; empty deltas when the transaction did not touch it. */
  walletDeltas(wallet: string): WalletDeltas;
  /** Every address with non-empty deltas, token accounts left out (they count for their owner). */
  wallets(): string[];
};

/**
 * Decodes one `getTransaction` result in any encoding (json, jsonParsed, base64), legacy or
 * v0; throws SolanaDecodeError naming the first missing or ill-typed field.
 */
export function decodeSolanaTransaction(result: unknown): DecodedSolanaTransaction {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    const kind = result === null ? 'null' : Array.isArray(result) ? 'an array' : `a ${typeof result}`;
    throw new SolanaDecodeError(`a getTransaction result must be an object, got ${kind}`);
  }
  const fields = result as JsonObject;
  const meta = readObject(fields['meta'], 'meta');
  const message = decodeTransactionMessage(fields, meta);
  const { accountKeys } = message;

  const pre = readAmounts(meta['preBalances'], 'meta.preBalances');
  const post = readAmounts(meta['postBalances'], 'meta.postBalances');
  for (const [path, balances] of [['meta.preBalances', pre], ['meta.postBalances', post]] as const) {
    if (balances.length !== accountKeys.length) {
      throw new SolanaDecodeError(`${path} has ${balances.length} entries for ${accountKeys.length} account keys`);
    }
  }
  const feePayer = accountKeys[0];
  if (feePayer === undefined) throw new SolanaDecodeError('transaction has no account keys');
  const fee = readAmount(meta['fee'], 'meta.fee');
  const preTokenBalances = readTokenBalances(meta['preTokenBalances'], 'meta.preTokenBalances', accountKeys);
  const postTokenBalances = readTokenBalances(meta['postTokenBalances'], 'meta.postTokenBalances', accountKeys);
  const programIds = invokedProgramIds(message.instructionProgramIds, meta['innerInstructions'], accountKeys);
  const err = meta['err'];
  const blockTime = fields['blockTime'];

  const deltasByAddress = computeSolanaDeltas({
    accountKeys,
    preLamports: pre,
    postLamports: post,
    preTokenBalances,
    postTokenBalances,
    feePayer,
    fee,
  });
  const failed = err !== null && err !== undefined;
  const tokenAccounts = new Set([...preTokenBalances, ...postTokenBalances].map((balance) => balance.account));

  return {
    signature: message.signature,
    slot: readIndex(fields['slot'], 'slot'),
    blockTime: blockTime === null || blockTime === undefined ? null : readIndex(blockTime, 'blockTime'),
    version: message.version,
    failed,
    error: failed ? JSON.stringify(err) : null,
    fee,
    feePayer,
    signers: message.signers,
    accountKeys,
    lamports: { pre, post },
    tokenBalances: { pre: preTokenBalances, post: postTokenBalances },
    programIds,
    venues: venuesOf(programIds),
    walletDeltas: (wallet) => ({
      wallet,
      failed,
      fee: wallet === feePayer ? fee : 0n,
      deltas: new Map(deltasByAddress.get(wallet)),
    }),
    wallets: () =>
      [...deltasByAddress]
        .filter(([address, deltas]) => deltas.size > 0 && !tokenAccounts.has(address))
        .map(([address]) => address),
  };
}
