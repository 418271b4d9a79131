import type { SkippedTransaction } from '../ChainDriver.js';
import { decodeSolanaTransaction, SolanaDecodeError, type DecodedSolanaTransaction } from './decodeSolanaTransaction.js';

type JsonObject = Record<string, unknown>;

/** What a block holds for the followed wallets: their transactions decoded, and those that could not be. */
export type BlockSelection = { slot: number; blockhash: string; decoded: DecodedSolanaTransaction[]; skipped: SkippedTransaction[]; transactions: number };

/**
 * Picks a getBlock result's transactions (json, transactionDetails "full") that touch a followed wallet, and decodes
 * only those: a wallet is touched when it is one of the transaction's account keys (static or loaded from a lookup
 * table) or owns a token account in its token balances before or after. Sifting reads plain strings, so a block's
 * cost does not grow with the number of wallets followed.
 */
export function selectBlockTransactions(block: unknown, slot: number, followed: ReadonlySet<string>): BlockSelection {
  const fields = isObject(block) ? block : {};
  const blockTime = typeof fields['blockTime'] === 'number' ? fields['blockTime'] : null;
  const blockhash = typeof fields['blockhash'] === 'string' ? fields['blockhash'] : String(slot);
  const transactions = Array.isArray(fields['transactions']) ? fields['transactions'] : [];
  const decoded: DecodedSolanaTransaction[] = [];
  const skipped: SkippedTransaction[] = [];
  for (const entry of transactions) {
    if (!touchesFollowed(entry, followed)) continue;
    try {
      // Note: a block's transactions carry neither slot nor blockTime; the decoder reads them as getTransaction gives them.
      decoded.push(decodeSolanaTransaction({ ...(entry as JsonObject), slot, blockTime }));
    } catch (error) {
      if (!(error instanceof SolanaDecodeError)) throw error;
      skipped.push({ txHash: signatureOf(entry) ?? `slot ${slot}`, blockNumber: BigInt(slot), reason: error.message });
    }
  }
  // Note: a block sifted from its text holds only the transactions that may touch a followed wallet, and their count in all.
  const count = typeof fields['transactionCount'] === 'number' ? fields['transactionCount'] : transactions.length;
  return { slot, blockhash, decoded, skipped, transactions: count };
}

function touchesFollowed(entry: unknown, followed: ReadonlySet<string>): boolean {
  if (!isObject(entry)) return true; // Note: a damaged entry is decoded, so that it is skipped with a reason, not lost silently.
  const transaction = entry['transaction'];
  const meta = entry['meta'];
  const message = isObject(transaction) ? transaction['message'] : undefined;
  const keys = isObject(message) ? message['accountKeys'] : undefined;
  if (!Array.isArray(keys) || !isObject(meta)) return true;
  for (const key of keys) if (typeof key === 'string' ? followed.has(key) : isObject(key) && followed.has(String(key['pubkey']))) return true;
  const loaded = meta['loadedAddresses'];
  if (isObject(loaded)) {
    for (const list of [loaded['writable'], loaded['readonly']]) {
      if (Array.isArray(list)) for (const key of list) if (typeof key === 'string' && followed.has(key)) return true;
    }
  }
  for (const list of [meta['preTokenBalances'], meta['postTokenBalances']]) {
    if (Array.isArray(list)) for (const balance of list) if (isObject(balance) && typeof balance['owner'] === 'string' && followed.has(balance['owner'])) return true;
  }
  return false;
}

function signatureOf(entry: unknown): string | undefined {
  const transaction = isObject(entry) ? entry['transaction'] : undefined;
  const signatures = isObject(transaction) ? transaction['signatures'] : undefined;
  return Array.isArray(signatures) && typeof signatures[0] === 'string' ? signatures[0] : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
