import { PublicKey } from '@solana/web3.js';

/** SPL Token and Token-2022, the two programs whose accounts getTokenAccountsByOwner lists. */
export const TOKEN_PROGRAMS: ReadonlyMap<string, string> = new Map([
  ['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'spl-token'],
  ['TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb', 'spl-token-2022'],
]);

/** Size of an SPL token account without extensions. */
export const TOKEN_ACCOUNT_SIZE = 165;

/** The fields of a token account a wallet tracker reads. */
export type SplTokenAccount = {
  mint: string;
  owner: string;
  amount: bigint;
  state: 'uninitialized' | 'initialized' | 'frozen';
  isNative: boolean;
};

const STATES = ['uninitialized', 'initialized', 'frozen'] as const;

// Layout: mint 32, owner 32, amount u64, delegate COption<Pubkey> 36, state u8,
// is_native COption<u64> 12, delegated_amount u64, close_authority COption<Pubkey> 36.
const AMOUNT = 64;
const STATE = 108;
const IS_NATIVE = 109;

/** The 165 bytes the token program stores for an initialized account with no delegate. */
export function encodeSplTokenAccount(account: { mint: string; owner: string; amount: bigint }): Buffer {
  const data = Buffer.alloc(TOKEN_ACCOUNT_SIZE);
  data.set(new PublicKey(account.mint).toBytes(), 0);
  data.set(new PublicKey(account.owner).toBytes(), 32);
  data.writeBigUInt64LE(account.amount, AMOUNT);
  data[STATE] = 1;
  return data;
}

/** Reads a token account's data; null when it is too short or its state byte is unknown. */
export function decodeSplTokenAccount(data: Buffer): SplTokenAccount | null {
  if (data.length < TOKEN_ACCOUNT_SIZE) return null;
  const state = STATES[data[STATE]!];
  if (state === undefined) return null;
  return {
    mint: new PublicKey(data.subarray(0, 32)).toBase58(),
    owner: new PublicKey(data.subarray(32, 64)).toBase58(),
    amount: data.readBigUInt64LE(AMOUNT),
    state,
    isNative: data.readUInt32LE(IS_NATIVE) === 1,
  };
}
