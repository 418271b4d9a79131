import { readFileSync } from 'node:fs';
import { pad, toEventSelector } from 'viem';
import { describe, expect, it } from 'vitest';
import { erc20TransfersOf, TRANSFER_TOPIC, type Erc20Transfer } from './erc20TransfersOf.js';
import type { RpcLog } from './evmRpcTypes.js';

const TOKEN = '0x00000000000000000000000000000000000000aa';
const NFT = '0x00000000000000000000000000000000000000bb';
const ALICE = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';

function transferLog(token: string, from: string, to: string, amount: bigint): RpcLog {
  return {
    address: token,
    topics: [TRANSFER_TOPIC, pad(from as `0x${string}`), pad(to as `0x${string}`)],
    data: pad(`0x${amount.toString(16)}`),
  };
}

describe('erc20TransfersOf', () => {
  it('behavior: TRANSFER_TOPIC is the selector of Transfer(address,address,uint256)', () => {
    expect(TRANSFER_TOPIC).toBe(toEventSelector('Transfer(address,address,uint256)'));
  });

  it('behavior: reads token, parties and amount in lower case, in log order', () => {
    const logs = [
      { ...transferLog(TOKEN.toUpperCase().replace('0X', '0x'), ALICE, BOB, 5n), logIndex: '0x1a' },
      transferLog(TOKEN, BOB, ALICE, 2n ** 255n),
    ];
    expect(erc20TransfersOf(logs)).toEqual<Erc20Transfer[]>([
      { token: TOKEN, from: ALICE, to: BOB, amount: 5n, logIndex: 26 },
      { token: TOKEN, from: BOB, to: ALICE, amount: 2n ** 255n, logIndex: null },
    ]);
  });

  it('behavior: an ERC-721 Transfer, whose token id is a fourth topic, is not an ERC-20 transfer', () => {
    const nft: RpcLog = { address: NFT, topics: [TRANSFER_TOPIC, pad(ALICE), pad(BOB), pad('0x7')], data: '0x' };
    expect(erc20TransfersOf([nft])).toEqual([]);
  });

  it('behavior: malformed and removed Transfer logs are skipped, the rest kept', () => {
    const good = transferLog(TOKEN, ALICE, BOB, 1n);
    const malformed: RpcLog[] = [
      { ...good, data: '0x' },
      { ...good, data: `${good.data}00` },
      { ...good, topics: [TRANSFER_TOPIC, `0x01${pad(ALICE).slice(4)}`, pad(BOB)] },
      { ...good, topics: [TRANSFER_TOPIC, pad(ALICE)] },
      { ...good, topics: [...good.topics, pad('0x7')] },
      { ...good, address: '0x1234' },
      { ...good, removed: true },
      { ...good, topics: ['0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925', pad(ALICE), pad(BOB)] },
      { ...good, topics: [] },
    ];
    expect(erc20TransfersOf([...malformed, good])).toEqual([{ token: TOKEN, from: ALICE, to: BOB, amount: 1n, logIndex: null }]);
  });

  it('behavior: a topic0 written in upper case is still a Transfer', () => {
    const log = transferLog(TOKEN, ALICE, BOB, 3n);
    const upper = { ...log, topics: [TRANSFER_TOPIC.toUpperCase().replace('0X', '0x'), ...log.topics.slice(1)] };
    expect(erc20TransfersOf([upper])).toHaveLength(1);
  });
});

// Three whole Ethereum blocks exported by an independent extractor: its token transfers must be ours.
const ETL = new URL('../../../test/fixtures/evm/dex-guru_ethereum-etl/tests/resources/test_stream/', import.meta.url);
const ETL_BLOCKS = ['blocks_17173049_17173050', 'blocks_17179063_17179063', 'blocks_19528783_19528783'];

type EtlLog = { block_number: number; log_index: number; address: string; data: string; topics: string[] };
type EtlTransfer = {
  block_number: number;
  log_index: number;
  token_address: string;
  from_address: string;
  to_address: string;
  value: string;
  token_standard?: string;
};

function readJsonLines<T>(url: URL): T[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    // Amounts are bare JSON numbers above 2^53; quote them so they parse without losing digits.
    .map((line) => JSON.parse(line.replace(/"value": (\d+)/, '"value": "$1"')) as T);
}

describe('erc20TransfersOf on whole mainnet blocks', () => {
  it.each(ETL_BLOCKS)('behavior: finds exactly the ERC-20 transfers of %s', (block) => {
    const logs = readJsonLines<EtlLog>(new URL(`${block}/expected_logs.json`, ETL));
    const topicsAt = new Map(logs.map((log) => [`${log.block_number}:${log.log_index}`, log.topics.length]));
    const expected = readJsonLines<EtlTransfer>(new URL(`${block}/expected_token_transfers.json`, ETL))
      // Note: the older export also lists ERC-721 transfers unlabelled; those are the logs with a fourth topic.
      .filter((t) => (t.token_standard ?? (topicsAt.get(`${t.block_number}:${t.log_index}`) === 3 ? 'ERC-20' : 'ERC-721')) === 'ERC-20')
      .map((t) => ({
        at: `${t.block_number}:${t.log_index}`,
        token: t.token_address,
        from: t.from_address,
        to: t.to_address,
        amount: BigInt(t.value),
      }));

    const ours = logs.flatMap((log) =>
      erc20TransfersOf([{ address: log.address, topics: log.topics, data: log.data, logIndex: log.log_index }]).map((t) => ({
        at: `${log.block_number}:${t.logIndex}`,
        token: t.token,
        from: t.from,
        to: t.to,
        amount: t.amount,
      })),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ours).toEqual(expected);
  });
});
