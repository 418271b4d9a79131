/**
 * Raised when a transaction, a file of transactions or an account's data does not have the
 * shape Solana RPC gives it. The message names what is missing, for people; `cause` keeps
 * the underlying error, for operators.
 */
export class SolanaDecodeError extends Error {
  override name = 'SolanaDecodeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
