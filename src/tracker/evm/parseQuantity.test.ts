import { describe, expect, it } from 'vitest';
import { EvmDecodeError } from './EvmDecodeError.js';
import { parseQuantity } from './parseQuantity.js';

describe('parseQuantity', () => {
  it('behavior: reads a hex quantity of any size without losing digits', () => {
    expect(parseQuantity('0x0', 'value')).toBe(0n);
    expect(parseQuantity('0x1C9C380', 'value')).toBe(30_000_000n);
    expect(parseQuantity(`0x${'f'.repeat(64)}`, 'value')).toBe(2n ** 256n - 1n);
  });

  it('behavior: passes a bigint from viem through and accepts a safe integer', () => {
    expect(parseQuantity(123n, 'value')).toBe(123n);
    expect(parseQuantity(42, 'logIndex')).toBe(42n);
  });

  it('error: rejects decimal text, a bare 0x, negatives and unsafe numbers, naming the field', () => {
    expect(() => parseQuantity('100', 'tx.value')).toThrow(/tx\.value is not a hex quantity/);
    expect(() => parseQuantity('0x', 'tx.value')).toThrow(EvmDecodeError);
    expect(() => parseQuantity('0xzz', 'tx.value')).toThrow(EvmDecodeError);
    expect(() => parseQuantity(-1n, 'tx.value')).toThrow(/negative/);
    expect(() => parseQuantity(2 ** 60, 'tx.value')).toThrow(/not an exact non-negative integer/);
    expect(() => parseQuantity(undefined as unknown as string, 'receipt.gasUsed')).toThrow(/receipt\.gasUsed .*undefined/);
  });
});
