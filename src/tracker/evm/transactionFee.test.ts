import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EvmTransactionInput, RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { readEvmTransactionFile } from './readEvmTransactionFile.js';
import { transactionFee } from './transactionFee.js';

const BASE_SWAP = new URL(
  '../../../test/fixtures/evm/jowency-me_evm-tx-parser/testdata/transactions/swap_uniswapv3_base.json',
  import.meta.url,
);

function baseSwap(): EvmTransactionInput {
  return readEvmTransactionFile(JSON.parse(readFileSync(BASE_SWAP, 'utf8')));
}

function withReceipt(input: EvmTransactionInput, receipt: Partial<RpcReceipt>, tx: Partial<RpcTx> = {}): EvmTransactionInput {
  return { tx: { ...input.tx, ...tx }, receipt: { ...input.receipt, ...receipt } };
}

describe('transactionFee', () => {
  it('behavior: is gas used times the effective gas price (a real Base swap)', () => {
    // gasUsed 0x32cc1 = 208065, effectiveGasPrice 0x4c4b41 = 5000001 wei.
    expect(transactionFee(baseSwap())).toBe(208_065n * 5_000_001n);
  });

  it('behavior: adds the L1 data fee an OP-stack receipt reports, raw or parsed', () => {
    const l2 = 208_065n * 5_000_001n;
    expect(transactionFee(withReceipt(baseSwap(), { l1Fee: '0x2540be400' }))).toBe(l2 + 10_000_000_000n);
    expect(transactionFee(withReceipt(baseSwap(), { l1Fee: 7n }))).toBe(l2 + 7n);
    expect(transactionFee(withReceipt(baseSwap(), { l1Fee: null }))).toBe(l2);
  });

  it("behavior: an OP-stack receipt's blobGasUsed on an ordinary transaction costs nothing", () => {
    const input = withReceipt(baseSwap(), { blobGasPrice: '0x1' });
    expect(input.receipt.blobGasUsed).toBe('0x7a90');
    expect(transactionFee(input)).toBe(208_065n * 5_000_001n);
  });

  it('behavior: a blob transaction also pays blob gas used times the blob gas price', () => {
    const blob = withReceipt(baseSwap(), { blobGasUsed: '0x20000', blobGasPrice: '0x3' }, { type: '0x3' });
    expect(transactionFee(blob)).toBe(208_065n * 5_000_001n + 0x20000n * 3n);
    const parsed = withReceipt(baseSwap(), { blobGasUsed: 10n, blobGasPrice: 2n }, { type: 'eip4844' });
    expect(transactionFee(parsed)).toBe(208_065n * 5_000_001n + 20n);
  });

  it("behavior: falls back to the transaction's gasPrice when the receipt has no effectiveGasPrice", () => {
    expect(transactionFee(withReceipt(baseSwap(), { effectiveGasPrice: undefined }, { gasPrice: '0xa' }))).toBe(208_065n * 10n);
  });

  it('error: says so when no gas price is known at all', () => {
    expect(() => transactionFee(withReceipt(baseSwap(), { effectiveGasPrice: null }, { gasPrice: null }))).toThrow(/fee is unknown/);
  });
});
