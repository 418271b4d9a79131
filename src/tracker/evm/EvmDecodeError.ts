import { LookoutError } from '../../errors/LookoutError.js';

/**
 * A transaction or receipt body that does not have the shape of one. Bodies come from an RPC
 * provider or a saved file, so the remedy is to fetch them again (maybe from another URL).
 */
export class EvmDecodeError extends LookoutError {
  override name = 'EvmDecodeError';
  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, { ...options, action: 'retry' });
  }
}
