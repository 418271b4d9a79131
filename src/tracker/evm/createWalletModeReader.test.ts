import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { JsonRpcClient, RpcCall } from './createJsonRpcClient.js';
import { createWalletModeReader } from './createWalletModeReader.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { RpcHeader } from './fetchBlockRange.js';

const wallet = '0x00000000000000000000000000000000000000aa';
const other = '0x00000000000000000000000000000000000000bb';
const word = (address: string) => `0x${address.slice(2).padStart(64, '0')}`;
const header = (number: number): RpcHeader => ({ number: `0x${number.toString(16)}`, hash: `0xh${number}`, parentHash: `0xh${number - 1}`, timestamp: '0x10', transactions: ['0xt1', '0xt2'] });
const tokenTx = { hash: '0xt1', from: other, to: '0x00000000000000000000000000000000000000cc', value: '0x0', blockHash: '0xh2', transactionIndex: '0x0' };
const nativeTx = { hash: '0xt2', from: other, to: wallet, value: '0x5', blockHash: '0xh2', transactionIndex: '0x1' };

/** A node with one block (2) holding a token transfer to the wallet, and maybe native coin sent to it. */
function fakeNode(options: { nativeMoved: boolean }) {
  const asked: RpcCall[] = [];
  const answer = ({ method, params }: RpcCall): unknown => {
    switch (method) {
      case 'eth_getLogs': {
        const { topics, fromBlock } = params[0] as { topics: (string | string[] | null)[]; fromBlock: string };
        return fromBlock === '0x2' && topics[2] && (topics[2] as string[]).includes(word(wallet))
          ? [{ address: '0xcc', topics: [TRANSFER_TOPIC, word(other), word(wallet)], data: '0x1', logIndex: '0x0', transactionHash: '0xt1', blockHash: '0xh2', blockNumber: '0x2' }]
          : [];
      }
      case 'eth_getBalance':
        return params[1] === '0x2' && options.nativeMoved ? '0x105' : '0x100';
      case 'eth_getTransactionCount':
        return '0x0';
      case 'eth_getTransactionByHash':
        return tokenTx;
      case 'eth_getBlockByNumber':
        return { ...header(2), transactions: [tokenTx, nativeTx] };
      default:
        throw new Error(`unexpected ${method}`);
    }
  };
  const rpc: JsonRpcClient = {
    calls: new Map(),
    httpRequests: () => 0,
    endpoints: 1,
    request: async <T>(method: string, params: unknown[]) => {
      asked.push({ method, params });
      return answer({ method, params }) as T;
    },
    batch: async <T>(calls: RpcCall[]) => {
      asked.push(...calls);
      return calls.map(answer) as T[];
    },
  };
  return { rpc, asked };
}

describe('createWalletModeReader', () => {
  it('behavior: a block that moved no native coin of the wallet is read without its body: logs, then the one transaction', async () => {
    const node = fakeNode({ nativeMoved: false });
    const reader = createWalletModeReader({ rpc: node.rpc, logger: pino({ level: 'silent' }) });
    const relevant = await reader.relevant({ number: 1n, hash: '0xh1' }, [header(2)], new Set([wallet]));
    expect(relevant.map((item) => item.tx.hash)).toEqual(['0xt1']);
    expect(node.asked.some((call) => call.method === 'eth_getBlockByNumber')).toBe(false);
    expect(reader.stats).toEqual({ bodies: 0, lean: 1 });
  });

  it('behavior: a balance that moved brings the body, and the native transfer to the wallet with it', async () => {
    const node = fakeNode({ nativeMoved: true });
    const reader = createWalletModeReader({ rpc: node.rpc, logger: pino({ level: 'silent' }) });
    const relevant = await reader.relevant({ number: 1n, hash: '0xh1' }, [header(2)], new Set([wallet]));
    expect(relevant.map((item) => item.tx.hash).sort()).toEqual(['0xt1', '0xt2']);
    expect(node.asked.filter((call) => call.method === 'eth_getBlockByNumber').map((call) => call.params)).toEqual([['0x2', true]]);
  });

  it('behavior: the probe at the end of one range is the start of the next: only the new block is probed', async () => {
    const node = fakeNode({ nativeMoved: false });
    const reader = createWalletModeReader({ rpc: node.rpc, logger: pino({ level: 'silent' }) });
    await reader.relevant({ number: 1n, hash: '0xh1' }, [header(2)], new Set([wallet]));
    node.asked.length = 0;
    await reader.relevant({ number: 2n, hash: '0xh2' }, [{ ...header(3), parentHash: '0xh2' }], new Set([wallet]));
    expect(node.asked.filter((call) => call.method === 'eth_getBalance').map((call) => call.params[1])).toEqual(['0x3']);
  });
});
