import { EvmDecodeError } from './EvmDecodeError.js';
import type { EvmTransactionInput } from './evmRpcTypes.js';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** The account that signed and paid for the transaction, in lower case. */
export function senderOf({ tx, receipt }: EvmTransactionInput): string {
  const from = tx.from ?? receipt.from;
  if (from === undefined) {
    throw new EvmDecodeError('The transaction has no sender: neither the transaction nor its receipt has `from`.', {
      details: `tx ${tx.hash ?? receipt.transactionHash ?? '(no hash)'}`,
    });
  }
  return addressOrThrow(from, 'from');
}

/** The account the transaction's value goes to, in lower case: `to`, or the created contract; null when unknown. */
export function recipientOf({ tx, receipt }: EvmTransactionInput): string | null {
  const to = tx.to !== undefined ? tx.to : receipt.to;
  if (to !== undefined && to !== null) return addressOrThrow(to, 'to');
  // Some nodes write the zero address as `contractAddress` of every call; only a creation has a real one.
  const created = receipt.contractAddress;
  if (created === undefined || created === null || created.toLowerCase() === ZERO_ADDRESS) return null;
  return addressOrThrow(created, 'contractAddress');
}

function addressOrThrow(value: string, field: string): string {
  if (!ADDRESS.test(value)) throw new EvmDecodeError(`\`${field}\` is not an address: '${value}'.`);
  return value.toLowerCase();
}
