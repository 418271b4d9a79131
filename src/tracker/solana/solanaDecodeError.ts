import { LookoutError } from '../../errors/LookoutError.js';

/**
 * Raised when a transaction, a file of transactions or an account's data does not have the
 * shape Solana RPC gives it. The message names what is missing, for people; `cause` keeps
 * the underlying error, for operators. Asking the RPC again will not mend such data, so the
 * follower skips the transaction rather than retrying it.
 */
export class SolanaDecodeError extends LookoutError {
  override name = 'SolanaDecodeError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, action: 'stop' });
  }
}
