import { erc20TransfersOf } from './erc20TransfersOf.js';
import type { EvmTransactionInput } from './evmRpcTypes.js';
import { recipientOf, senderOf } from './transactionParties.js';

/**
 * Every address (lower case) that is the sender or recipient of the transaction or of one of its
 * ERC-20 transfers: the transaction concerns a tracked wallet exactly when the wallet is in this set.
 */
export function walletsTouched(input: EvmTransactionInput): Set<string> {
  const touched = new Set<string>([senderOf(input)]);
  const recipient = recipientOf(input);
  if (recipient !== null) touched.add(recipient);
  for (const transfer of erc20TransfersOf(input.receipt.logs)) {
    touched.add(transfer.from);
    touched.add(transfer.to);
  }
  return touched;
}
