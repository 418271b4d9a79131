import { readFileSync } from 'node:fs';
import { pad } from 'viem';
import { describe, expect, it } from 'vitest';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { EvmTransactionInput, RpcLog } from './evmRpcTypes.js';
import { readEvmTransactionFile } from './readEvmTransactionFile.js';
import { walletsTouched } from './walletsTouched.js';

const ALICE = '0xa11ce00000000000000000000000000000000a11';
const BOB = '0xb0b0000000000000000000000000000000000b0b';
const CAROL = '0xca201000000000000000000000000000000ca201';
const TOKEN = '0x00000000000000000000000000000000000000aa';

function input(tx: Partial<EvmTransactionInput['tx']>, logs: RpcLog[] = [], contractAddress?: string): EvmTransactionInput {
  return {
    tx: { from: ALICE, to: BOB, value: '0x0', ...tx },
    receipt: { status: '0x1', gasUsed: '0x5208', effectiveGasPrice: '0x1', logs, contractAddress },
  };
}

describe('walletsTouched', () => {
  it('behavior: a real Uniswap V3 swap touches its sender, the router and the pool', () => {
    const url = new URL(
      '../../../test/fixtures/evm/jowency-me_evm-tx-parser/testdata/transactions/swap_uniswapv3_arbitrum.json',
      import.meta.url,
    );
    const file = readEvmTransactionFile(JSON.parse(readFileSync(url, 'utf8')));
    // Its Approval and Swap logs name the same accounts but move nothing.
    expect(walletsTouched(file)).toEqual(
      new Set([
        '0xd3ff9cf879982e074f89e44056baf06b1f0e7d6b',
        '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45',
        '0xc31e54c7a869b9fcbecc14363cf510d1c41fa443',
      ]),
    );
  });

  it('behavior: includes both parties of every ERC-20 transfer, in lower case', () => {
    const log: RpcLog = {
      address: TOKEN,
      topics: [TRANSFER_TOPIC, pad(CAROL as `0x${string}`), pad('0x00000000000000000000000000000000000000dd')],
      data: pad('0x1'),
    };
    const touched = walletsTouched(input({ from: `0x${ALICE.slice(2).toUpperCase()}` }, [log]));
    expect(touched).toEqual(new Set([ALICE, BOB, CAROL, '0x00000000000000000000000000000000000000dd']));
  });

  it('behavior: a contract creation touches the created contract', () => {
    expect(walletsTouched(input({ to: null }, [], CAROL))).toEqual(new Set([ALICE, CAROL]));
  });

  it('behavior: a call whose receipt writes the zero address as contractAddress touches no zero address', () => {
    expect(walletsTouched(input({}, [], '0x0000000000000000000000000000000000000000'))).toEqual(new Set([ALICE, BOB]));
  });
});
