import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EvmDecodeError, readEvmTransactionFile } from './readEvmTransactionFile.js';

const FIXTURES = new URL('../../../test/fixtures/evm/', import.meta.url);
const TRANSACTIONS = new URL('jowency-me_evm-tx-parser/testdata/transactions/', FIXTURES);
const files = readdirSync(TRANSACTIONS).filter((name) => name.endsWith('.json')).sort();

type Wrapper = {
  chainId: number;
  txHash: string;
  from: string;
  raw: { tx: Record<string, unknown>; receipt: Record<string, unknown> };
};

function wrapper(name = 'swap_uniswapv3_ethereum.json'): Wrapper {
  return JSON.parse(readFileSync(new URL(name, TRANSACTIONS), 'utf8')) as Wrapper;
}

describe('readEvmTransactionFile', () => {
  it('behavior: there are saved transaction files to read', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)('behavior: reads %s, filling in the sender the saved body leaves out', (name) => {
    const json = wrapper(name);
    const file = readEvmTransactionFile(json);
    expect(file.chainId).toBe(json.chainId);
    expect(file.hash).toBe(json.txHash.toLowerCase());
    expect(file.from).toBe(json.from.toLowerCase());
    expect(file.tx.from).toBe(file.from);
    expect(file.receipt.logs).toHaveLength((json.raw.receipt.logs as unknown[]).length);
  });

  it('behavior: reads a bare {tx, receipt}, taking the chain from the transaction', () => {
    const { raw, from } = wrapper();
    const file = readEvmTransactionFile({ tx: { ...raw.tx, from }, receipt: raw.receipt });
    expect(file).toMatchObject({ chainId: 1, from: from.toLowerCase(), hash: raw.tx.hash });
  });

  it('error: a bare body that never says who sent it is rejected', () => {
    const { raw } = wrapper();
    expect(() => readEvmTransactionFile(raw)).toThrow('The file does not say its sender: none of from, tx.from, receipt.from is set.');
  });

  it('error: names each missing part of a wrapper', () => {
    const json = wrapper();
    const cases: Array<[unknown, string]> = [
      [null, 'the file is not a JSON object.'],
      [{ ...json, raw: undefined }, 'raw is missing.'],
      [{ receipt: json.raw.receipt }, 'tx is missing.'],
      [{ ...json, raw: [] }, 'raw is not a JSON object.'],
      [{ ...json, raw: { tx: json.raw.tx } }, 'raw.receipt is missing.'],
      [{ ...json, raw: { ...json.raw, tx: { ...json.raw.tx, value: undefined } } }, 'raw.tx.value is missing.'],
      [{ ...json, raw: { ...json.raw, receipt: { ...json.raw.receipt, gasUsed: undefined } } }, 'raw.receipt.gasUsed is missing.'],
      [{ ...json, raw: { ...json.raw, receipt: { ...json.raw.receipt, logs: {} } } }, 'raw.receipt.logs is not a list of logs.'],
      [{ ...json, raw: { ...json.raw, receipt: { ...json.raw.receipt, logs: [{ address: '0x1' }] } } }, 'raw.receipt.logs[0].topics is missing.'],
      [{ ...json, txHash: undefined }, 'txHash is missing.'],
      [{ ...json, from: undefined }, 'from is missing.'],
    ];
    for (const [input, message] of cases) {
      expect(() => readEvmTransactionFile(input), message).toThrow(new EvmDecodeError(message));
    }
  });

  it('error: a value that is not a hex quantity is named', () => {
    const json = wrapper();
    expect(() => readEvmTransactionFile({ ...json, raw: { ...json.raw, tx: { ...json.raw.tx, value: '12' } } })).toThrow(
      /raw\.tx\.value is not a hex quantity/,
    );
  });

  it('error: a wrapper that contradicts its bodies is rejected', () => {
    const json = wrapper();
    expect(() => readEvmTransactionFile({ ...json, txHash: `0x${'0'.repeat(64)}` })).toThrow(
      'The file contradicts itself about its transaction hash: txHash and raw.tx.hash differ.',
    );
    expect(() => readEvmTransactionFile({ ...json, chainId: 8453 })).toThrow('chainId is 8453, raw.tx.chainId is 1');
    const otherSender = '0x0000000000000000000000000000000000000001';
    expect(() => readEvmTransactionFile({ ...json, raw: { ...json.raw, tx: { ...json.raw.tx, from: otherSender } } })).toThrow(
      /about its sender: from and raw\.tx\.from differ/,
    );
  });

  it('error: a mixed-case sender with a bad checksum is rejected', () => {
    const json = wrapper();
    const flipped = json.from.replace(/[a-f]/, (letter) => letter.toUpperCase());
    expect(flipped).not.toBe(json.from);
    expect(() => readEvmTransactionFile({ ...json, from: flipped })).toThrow(/from '.*' is not a valid address/);
  });

  it('error: a bare body without a chain id is rejected', () => {
    const { raw, from } = wrapper();
    expect(() => readEvmTransactionFile({ tx: { ...raw.tx, from, chainId: undefined }, receipt: raw.receipt })).toThrow(
      'The file does not say its chain: neither chainId nor tx.chainId is set.',
    );
  });

  it('error: an ethereum-etl record, which holds no transaction bodies, is rejected', () => {
    const url = new URL('dex-guru_ethereum-etl/tests/resources/test_stream/blocks_19528783_19528783/expected_transactions.json', FIXTURES);
    const firstLine = readFileSync(url, 'utf8').split('\n')[0]!;
    expect(() => readEvmTransactionFile(JSON.parse(firstLine))).toThrow('tx is missing.');
  });
});
