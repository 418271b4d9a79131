import { EvmDecodeError } from './EvmDecodeError.js';
import type { EvmTransactionInput, RpcQuantity } from './evmRpcTypes.js';
import { parseQuantity } from './parseQuantity.js';

const BLOB_TYPES = new Set(['0x3', 'eip4844']);

/**
 * The network fee the sender paid: gas used × effective gas price, plus the L1 data fee on
 * OP-stack chains and the blob fee of an EIP-4844 transaction.
 */
export function transactionFee({ tx, receipt }: EvmTransactionInput): bigint {
  const gasUsed = parseQuantity(receipt.gasUsed, 'receipt.gasUsed');
  // Note: on Arbitrum `gasUsed` already includes the gas charged for L1 data, so nothing is added there.
  return gasUsed * gasPriceOf({ tx, receipt }) + optional(receipt.l1Fee, 'receipt.l1Fee') + blobFeeOf({ tx, receipt });
}

function gasPriceOf({ tx, receipt }: EvmTransactionInput): bigint {
  const price = receipt.effectiveGasPrice ?? tx.gasPrice;
  if (price === undefined || price === null) {
    const details = `tx ${tx.hash ?? receipt.transactionHash ?? '(no hash)'}`;
    const message = 'The receipt has no effectiveGasPrice and the transaction no gasPrice: the fee is unknown.';
    throw new EvmDecodeError(message, { details });
  }
  return parseQuantity(price, receipt.effectiveGasPrice == null ? 'tx.gasPrice' : 'receipt.effectiveGasPrice');
}

function blobFeeOf({ tx, receipt }: EvmTransactionInput): bigint {
  // OP-stack receipts reuse `blobGasUsed` for a data-availability footprint that is not charged,
  // so the blob fee is counted only for a real blob transaction.
  const type = tx.type ?? receipt.type;
  if (type === undefined || type === null || !BLOB_TYPES.has(type)) return 0n;
  return optional(receipt.blobGasUsed, 'receipt.blobGasUsed') * optional(receipt.blobGasPrice, 'receipt.blobGasPrice');
}

function optional(value: RpcQuantity | null | undefined, field: string): bigint {
  return value === undefined || value === null ? 0n : parseQuantity(value, field);
}
