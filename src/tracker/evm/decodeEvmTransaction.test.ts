import { readdirSync, readFileSync } from 'node:fs';
import { formatTransaction, formatTransactionReceipt, pad } from 'viem';
import { describe, expect, it } from 'vitest';
import { classifyTrade, type QuoteAssets } from '../classifyTrade.js';
import { NATIVE, type WalletDeltas } from '../walletDeltas.js';
import { decodeEvmTransaction, walletsTouched } from './decodeEvmTransaction.js';
import { EvmDecodeError } from './EvmDecodeError.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { EvmTransactionInput, RpcLog, RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { readEvmTransactionFile, type EvmTransactionFile } from './readEvmTransactionFile.js';

const FIXTURES = new URL('../../../test/fixtures/evm/', import.meta.url);
const TRANSACTIONS = 'jowency-me_evm-tx-parser/testdata/transactions/';

type ExpectedEntry = {
  file: string;
  chainId: number;
  tx: string;
  wallet: string;
  failed: boolean;
  valueSent: string;
  erc20: Record<string, string>;
};

const expected = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')) as ExpectedEntry[];
const transactionFiles = readdirSync(new URL(TRANSACTIONS, FIXTURES)).filter((name) => name.endsWith('.json')).sort();

function readFixture(path: string): EvmTransactionFile {
  return readEvmTransactionFile(JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')));
}

function asStrings(deltas: Map<string, bigint>): Record<string, string> {
  return Object.fromEntries([...deltas].map(([asset, amount]) => [asset, amount.toString()]));
}

describe('decodeEvmTransaction on real transactions', () => {
  it('behavior: expected.json has entries to reproduce', () => {
    expect(expected.length).toBeGreaterThan(40);
  });

  it.each(expected)('behavior: reproduces the expected deltas of $file', (entry) => {
    const file = readFixture(entry.file);
    expect(file.chainId).toBe(entry.chainId);
    expect(file.hash).toBe(entry.tx);

    const results = decodeEvmTransaction(file, [entry.wallet]);
    expect(results).toHaveLength(1);
    const [result] = results as [WalletDeltas];
    expect(result.wallet).toBe(entry.wallet);
    expect(result.failed).toBe(entry.failed);
    const { [NATIVE]: native = '0', ...erc20 } = asStrings(result.deltas);
    expect(erc20).toEqual(entry.erc20);
    // The listed wallet is the sender and never the recipient, so its native change is minus the value sent.
    expect(result.wallet).toBe(file.from);
    expect(file.tx.to).not.toBe(file.from);
    expect((-BigInt(native)).toString()).toBe(entry.valueSent);
  });

  it.each(transactionFiles)('behavior: decodes %s and charges gasUsed × effectiveGasPrice to the sender', (name) => {
    const file = readFixture(TRANSACTIONS + name);
    const results = decodeEvmTransaction(file, walletsTouched(file));
    const bySender = results.find((result) => result.wallet === file.from);
    expect(bySender?.fee).toBe(BigInt(file.receipt.gasUsed) * BigInt(file.receipt.effectiveGasPrice as string));
    expect(results.filter((result) => result.fee !== 0n)).toHaveLength(1);
  });

  it.each(transactionFiles)('behavior: across every address it touches, %s creates and destroys nothing', (name) => {
    const file = readFixture(TRANSACTIONS + name);
    const total = new Map<string, bigint>();
    for (const { deltas } of decodeEvmTransaction(file, walletsTouched(file))) {
      for (const [asset, amount] of deltas) total.set(asset, (total.get(asset) ?? 0n) + amount);
    }
    expect([...total].filter(([, amount]) => amount !== 0n)).toEqual([]);
  });

  it.each(transactionFiles)('behavior: decodes viem-parsed bodies of %s exactly as the raw hex', (name) => {
    const file = readFixture(TRANSACTIONS + name);
    const parsed = {
      tx: formatTransaction(file.tx as Parameters<typeof formatTransaction>[0]),
      receipt: formatTransactionReceipt(file.receipt as Parameters<typeof formatTransactionReceipt>[0]),
    };
    expect(typeof parsed.receipt.gasUsed).toBe('bigint');
    const wallets = walletsTouched(file);
    expect(decodeEvmTransaction(parsed, wallets)).toEqual(decodeEvmTransaction(file, wallets));
  });
});

describe('decodeEvmTransaction classified', () => {
  const ETHEREUM: QuoteAssets = {
    stablecoins: ['0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', '0xdac17f958d2ee523a2206206994597c13d831ec7'],
    wrappedNative: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
  };
  const ARBITRUM: QuoteAssets = {
    stablecoins: ['0xaf88d065e77c8cc2239327c5edb3a432268e5831', '0xff970a61a04b1ca14834a43f5de4533ebddb5cc8'],
    wrappedNative: '0x82af49447d8a07e3bd95bd0d56f35241523fbab1',
  };
  const OPTIMISM: QuoteAssets = { stablecoins: ['0x0b2c639c533813f4aa9d7837caf62653d097ff85'], wrappedNative: '0x4200000000000000000000000000000000000006' };
  const BASE: QuoteAssets = { stablecoins: ['0x833589fcd6edb6e08f4c7c32d4f71b54bda02913'], wrappedNative: '0x4200000000000000000000000000000000000006' };

  function classify(name: string, quotes: QuoteAssets) {
    const file = readFixture(TRANSACTIONS + name);
    const [result] = decodeEvmTransaction(file, [file.from]);
    return classifyTrade(result!.deltas, quotes);
  }

  it('behavior: a Uniswap Universal Router swap of ETH for a token is a buy of the token priced in ETH', () => {
    expect(classify('swap_uniswapuniversalrouter_ethereum.json', ETHEREUM)).toMatchObject({
      kind: 'buy',
      base: '0xaff2565091e7207191dbe340b8528d02fa78d044',
      quote: NATIVE,
    });
  });

  it('behavior: a Uniswap V3 swap of a token for WETH is a sell priced in WETH', () => {
    expect(classify('swap_uniswapv3_ethereum.json', ETHEREUM)).toMatchObject({
      kind: 'sell',
      base: '0xdab396ccf3d84cf2d07c4454e10c8a6f5b008d2b',
      quote: ETHEREUM.wrappedNative,
    });
  });

  it('behavior: a real USDC-for-WETH swap is a buy of WETH', () => {
    expect(classify('swap_uniswapuniversalrouter_arbitrum.json', ARBITRUM)).toMatchObject({
      kind: 'buy',
      base: ARBITRUM.wrappedNative,
      quote: '0xaf88d065e77c8cc2239327c5edb3a432268e5831',
    });
  });

  it('behavior: a real ETH-for-USDC swap is a sell of ETH', () => {
    expect(classify('swap_uniswapv3_optimism.json', OPTIMISM)).toMatchObject({ kind: 'sell', base: NATIVE, quote: OPTIMISM.stablecoins[0] });
  });

  it('behavior: a real token-for-token swap is a swap', () => {
    expect(classify('swap_uniswapv3_base.json', BASE).kind).toBe('swap');
  });

  it('behavior: a real Curve withdrawal of three stablecoins for an LP token is other', () => {
    expect(classify('swap_curve3pool_ethereum.json', ETHEREUM).kind).toBe('other');
  });
});

const ALICE = '0xa11ce00000000000000000000000000000000a11';
const BOB = '0xb0b0000000000000000000000000000000000b0b';
const CAROL = '0xca201000000000000000000000000000000ca201';
const upperCase = (address: string): string => `0x${address.slice(2).toUpperCase()}`;
const TOKEN = '0x00000000000000000000000000000000000000aa';
const NFT = '0x00000000000000000000000000000000000000bb';
const HASH = `0x${'ab'.repeat(32)}`;

function transferLog(token: string, from: string, to: string, amount: bigint): RpcLog {
  return {
    address: token,
    topics: [TRANSFER_TOPIC, pad(from as `0x${string}`), pad(to as `0x${string}`)],
    data: pad(`0x${amount.toString(16)}`),
  };
}

function transaction(tx: Partial<RpcTx>, receipt: Partial<RpcReceipt> = {}): EvmTransactionInput {
  return {
    tx: { hash: HASH, from: ALICE, to: BOB, value: '0x0', type: '0x2', ...tx },
    receipt: { transactionHash: HASH, status: '0x1', gasUsed: '0x5208', effectiveGasPrice: '0x3b9aca00', logs: [], ...receipt },
  };
}

const FEE = 21_000n * 1_000_000_000n;

describe('decodeEvmTransaction', () => {
  it('behavior: the sender pays the value and the fee; the recipient receives the value and pays nothing', () => {
    const results = decodeEvmTransaction(transaction({ value: '0xde0b6b3a7640000' }), [ALICE, BOB]);
    expect(results).toEqual<WalletDeltas[]>([
      { wallet: ALICE, failed: false, fee: FEE, deltas: new Map([[NATIVE, -(10n ** 18n)]]) },
      { wallet: BOB, failed: false, fee: 0n, deltas: new Map([[NATIVE, 10n ** 18n]]) },
    ]);
  });

  it('behavior: ERC-20 transfers into a wallet minus those out of it, per token', () => {
    const logs = [transferLog(TOKEN, CAROL, ALICE, 100n), transferLog(TOKEN, ALICE, CAROL, 30n), transferLog(NFT, ALICE, CAROL, 1n)];
    const [alice] = decodeEvmTransaction(transaction({}, { logs }), [ALICE]);
    expect(alice?.deltas).toEqual(new Map([[TOKEN, 70n], [NFT, -1n]]));
  });

  it('behavior: an ERC-721 Transfer with four topics moves nothing', () => {
    const nft: RpcLog = { address: NFT, topics: [TRANSFER_TOPIC, pad(CAROL), pad(ALICE), pad('0x7')], data: '0x' };
    const [alice] = decodeEvmTransaction(transaction({}, { logs: [nft] }), [ALICE]);
    expect(alice?.deltas).toEqual(new Map());
  });

  it('behavior: a failed transaction moves no value and no tokens, only the fee', () => {
    const failed = transaction({ value: '0x64' }, { status: '0x0', logs: [transferLog(TOKEN, CAROL, ALICE, 5n)] });
    expect(decodeEvmTransaction(failed, [ALICE, BOB])).toEqual<WalletDeltas[]>([
      { wallet: ALICE, failed: true, fee: FEE, deltas: new Map() },
      { wallet: BOB, failed: true, fee: 0n, deltas: new Map() },
    ]);
  });

  it('behavior: wallets match whatever their case, come back in lower case, once each', () => {
    const input = transaction({ from: upperCase(ALICE), to: upperCase(BOB), value: '0x1' });
    const results = decodeEvmTransaction(input, [upperCase(ALICE), ALICE, upperCase(BOB)]);
    expect(results.map((result) => result.wallet)).toEqual([ALICE, BOB]);
  });

  it('behavior: a wallet the transaction does not touch gets no result', () => {
    expect(decodeEvmTransaction(transaction({ value: '0x1' }), [CAROL])).toEqual([]);
  });

  it('behavior: native coin received in internal calls, found by the caller, is added to NATIVE', () => {
    const internalNative = new Map([[upperCase(ALICE), 7n], [CAROL, 3n]]);
    const results = decodeEvmTransaction(transaction({ value: '0xa' }), [ALICE, CAROL], internalNative);
    expect(results.map(({ wallet, deltas }) => [wallet, deltas.get(NATIVE)])).toEqual([
      [ALICE, -3n],
      [CAROL, 3n],
    ]);
  });

  it('behavior: sending coin to oneself nets to nothing and still pays the fee', () => {
    const [alice] = decodeEvmTransaction(transaction({ to: ALICE, value: '0x1' }), [ALICE]);
    expect(alice).toEqual<WalletDeltas>({ wallet: ALICE, failed: false, fee: FEE, deltas: new Map() });
  });

  it('behavior: the value of a contract creation goes to the created contract', () => {
    const creation = transaction({ to: null, value: '0x9' }, { contractAddress: CAROL });
    expect(decodeEvmTransaction(creation, [CAROL]).map((result) => result.deltas)).toEqual([new Map([[NATIVE, 9n]])]);
  });

  it('behavior: an OP-stack deposit credits its mint to the sender, even when it reverts', () => {
    const deposit = transaction({ type: '0x7e', mint: '0x64', to: ALICE, value: '0x64' }, { effectiveGasPrice: '0x0' });
    expect(decodeEvmTransaction(deposit, [ALICE])[0]?.deltas).toEqual(new Map([[NATIVE, 100n]]));
    const reverted = transaction({ type: '0x7e', mint: '0x64', to: BOB, value: '0x64' }, { status: '0x0', effectiveGasPrice: '0x0' });
    expect(decodeEvmTransaction(reverted, [ALICE])[0]).toEqual<WalletDeltas>({
      wallet: ALICE,
      failed: true,
      fee: 0n,
      deltas: new Map([[NATIVE, 100n]]),
    });
  });

  it('behavior: the sender may come from the receipt when the transaction body leaves it out', () => {
    const input = transaction({ from: undefined, value: '0x1' }, { from: ALICE });
    expect(decodeEvmTransaction(input, [ALICE])[0]?.fee).toBe(FEE);
  });

  it('error: a body with no sender at all is rejected, not guessed', () => {
    expect(() => decodeEvmTransaction(transaction({ from: undefined }), [ALICE])).toThrow(/no sender/);
  });

  it('error: a receipt of another transaction is rejected', () => {
    const mixed = transaction({}, { transactionHash: `0x${'cd'.repeat(32)}` });
    expect(() => decodeEvmTransaction(mixed, [ALICE])).toThrow(EvmDecodeError);
  });

  it('error: an unknown receipt status is rejected rather than read as success', () => {
    expect(() => decodeEvmTransaction(transaction({}, { status: '0x2' }), [ALICE])).toThrow(/status '0x2'/);
  });

  it('error: a value that is not a hex quantity names the field', () => {
    expect(() => decodeEvmTransaction(transaction({ value: '1000' }), [ALICE])).toThrow(/tx\.value/);
  });
});
