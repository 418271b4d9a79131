import { readAddress, readAmount, readArray, readIndex, readObject } from './rpcReaders.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

/** One token account's balance before or after a transaction, as `meta.pre/postTokenBalances` give it. */
export type SolanaTokenBalance = {
  /** Index of the token account in the transaction's resolved account keys. */
  accountIndex: number;
  /** Address of the token account. */
  account: string;
  mint: string;
  /** Wallet that owns the token account (its authority, not the token program). */
  owner: string;
  /** SPL Token or Token-2022; null when an old RPC node did not report it. */
  programId: string | null;
  decimals: number;
  /** Raw amount in the mint's smallest unit. */
  amount: bigint;
};

/** Reads and checks `meta.preTokenBalances` or `meta.postTokenBalances` against the account keys. */
export function readTokenBalances(value: unknown, path: string, accountKeys: string[]): SolanaTokenBalance[] {
  const seen = new Set<number>();
  return readArray(value, path).map((entry, i) => {
    const balance = readTokenBalance(entry, `${path}[${i}]`, accountKeys);
    if (seen.has(balance.accountIndex)) {
      throw new SolanaDecodeError(`${path} lists account ${balance.accountIndex} twice`);
    }
    seen.add(balance.accountIndex);
    return balance;
  });
}

function readTokenBalance(value: unknown, path: string, accountKeys: string[]): SolanaTokenBalance {
  const fields = readObject(value, path);
  const accountIndex = readIndex(fields['accountIndex'], `${path}.accountIndex`);
  const account = accountKeys[accountIndex];
  if (account === undefined) {
    throw new SolanaDecodeError(`${path}.accountIndex ${accountIndex} is past the ${accountKeys.length} account keys`);
  }
  const uiTokenAmount = readObject(fields['uiTokenAmount'], `${path}.uiTokenAmount`);
  const programId = fields['programId'];
  return {
    accountIndex,
    account,
    mint: readAddress(fields['mint'], `${path}.mint`),
    owner: readAddress(fields['owner'], `${path}.owner`),
    programId: programId === undefined || programId === null ? null : readAddress(programId, `${path}.programId`),
    decimals: readIndex(uiTokenAmount['decimals'], `${path}.uiTokenAmount.decimals`),
    amount: readAmount(uiTokenAmount['amount'], `${path}.uiTokenAmount.amount`),
  };
}
