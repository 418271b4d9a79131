import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { CHAIN_PRESETS } from '../../config/chainPresets.js';
import type { TokenInfo } from '../createTokenRegistry.js';
import { NATIVE } from '../walletDeltas.js';
import { buildSolanaRecords } from './buildSolanaRecords.js';
import { decodeSolanaTransaction, type DecodedSolanaTransaction } from './decodeSolanaTransaction.js';
import { readSolanaTransactions } from './readSolanaTransactionFile.js';
import type { SolanaTokenBalance } from './readTokenBalances.js';
import { splTokenMoves } from './splTokenMoves.js';

const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/solana/', import.meta.url));
const paths = new Map(
  (function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
    );
  })(fixturesDir).map((path) => [basename(path), path]),
);
const decoded = (name: string): DecodedSolanaTransaction =>
  decodeSolanaTransaction(readSolanaTransactions(JSON.parse(readFileSync(paths.get(name)!, 'utf8')))[0]);

const chain = CHAIN_PRESETS.find((preset) => preset.name === 'solana')!;
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const usdc = { address: USDC, decimals: 6, isStablecoin: true } as TokenInfo;
const never = async () => true;
const build = (tx: DecodedSolanaTransaction, followed: string[], isUnknown = never, tokens = new Map([[USDC, usdc]])) =>
  buildSolanaRecords(chain, tx, new Set(followed), tokens, isUnknown);

// token_transfer_0: one sender pays 3000 of a token to five owners, opening their accounts.
const SENDER = 'EohzXCJJxTUbHDQvawQvFAUUnCDu6TkaMhpLL6Armm5t';
const RECIPIENTS = ['7XgBprwnRfFHd287pnNQj4AZ6Yb9QE5pJ6ChQ3zhsGpJ', 'DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm'];
const SENT_MINT = 'HbDHSRNnamGivWjtbYYaPJjs1o3kmwq3bXVhWsLypump';

describe('buildSolanaRecords', () => {
  it('behavior: a Pump.fun buy is a BUY of the token for SOL, at its slot, on Pump.fun', async () => {
    const tx = decoded('pumpfun_buy_0.json');
    const [record, ...rest] = await build(tx, [tx.feePayer]);
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      chain: 'solana',
      blockNumber: BigInt(tx.slot),
      blockHash: String(tx.slot),
      txHash: tx.signature,
      txIndex: null,
      wallet: tx.feePayer,
      kind: 'buy',
      base: { asset: 'D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si', amount: 56716561396327n },
      quote: { asset: NATIVE, amount: 3070000000n },
      venue: 'Pump.fun',
      counterparty: null,
      fee: tx.fee,
      failed: false,
      isSpam: false,
      usdValue: null,
    });
    expect(record!.transfers).toEqual([expect.objectContaining({ asset: 'D66sbPtYqLnwPYcUqjDktrQtb52CnfF77C3sdpNpR8Si', to: tx.feePayer, amount: 56716561396327n })]);
  });

  it('behavior: a trade against USDC is priced from its USDC leg, the rent of a new token account aside', async () => {
    const tx = decoded('swap_frlmh_2.json');
    const [record] = await build(tx, [tx.feePayer]);
    expect(record).toMatchObject({ kind: 'buy', quote: { asset: USDC, amount: 399998258n }, usdValue: '399.998258' });
  });

  it('behavior: a failed transaction the wallet paid for is kept for its fee, with no deltas', async () => {
    const tx = decoded('swap_frlmh_via_jupiter_4.json');
    const [record] = await build(tx, [tx.feePayer]);
    expect(record).toMatchObject({ failed: true, kind: 'other', fee: tx.fee, transfers: [] });
    expect(record!.deltas.size).toBe(0);
    expect(record!.fee).toBeGreaterThan(0n);
  });

  it('behavior: a transaction that moved nothing for the wallet is no record', async () => {
    const tx = decoded('jupiterDca_endAndClose_0.json');
    expect(await build(tx, [tx.feePayer])).toEqual([]);
  });

  it('behavior: a transfer names its one counterparty, and every followed wallet it touched gets a record', async () => {
    const tx = decoded('token_transfer_0.json');
    const records = await build(tx, [SENDER, ...RECIPIENTS], async () => false);
    expect(records.map((record) => [record.wallet, record.kind, record.counterparty])).toEqual(
      [
        [SENDER, 'transfer_out', null],
        [RECIPIENTS[0], 'transfer_in', SENDER],
        [RECIPIENTS[1], 'transfer_in', SENDER],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const received = records.filter((record) => record.wallet !== SENDER).map((record) => record.transfers);
    expect(received.map((moves) => moves.map((move) => [move.asset, move.from, move.amount]))).toEqual([
      [[SENT_MINT, SENDER, 3000000000n]],
      [[SENT_MINT, SENDER, 3000000000n]],
    ]);
    // One move per recipient, numbered across the transaction, so both rows keep their unique key.
    expect(new Set(received.flat().map((move) => move.position)).size).toBe(2);
  });

  it('behavior: an unsolicited token no followed wallet has held is spam; one already held, a quote, or a solicited one is not', async () => {
    const tx = decoded('swap_sanctum_1.json');
    const owner = '8JS6XsMPo2u3EyeeY3p2jvzHEhdUtCKgarHpJ3PAonyv';
    const [spam] = await build(tx, [owner]);
    expect(spam).toMatchObject({ kind: 'transfer_in', isSpam: true, base: { asset: 'picobAEvs6w7QEknPce34wAE4gknZA9v5tTonnmHYdX' } });
    expect((await build(tx, [owner], async () => false))[0]!.isSpam).toBe(false);
    expect((await build(tx, [owner, tx.feePayer])).find((record) => record.wallet === owner)!.isSpam).toBe(false);

    const commission = decoded('OKXDEX_commissionSplProxySwap.json');
    const [paid] = await build(commission, ['e24SXSTq1AkusXQEKgZW389taxTTzSuGF8JQqjhbTfc']);
    expect(paid).toMatchObject({ kind: 'transfer_in', isSpam: false, usdValue: '0.75' });
  });
});

describe('splTokenMoves', () => {
  const balance = (owner: string, amount: bigint, accountIndex: number, mint = 'M'): SolanaTokenBalance => ({
    accountIndex,
    account: `acct${accountIndex}`,
    mint,
    owner,
    programId: null,
    decimals: 0,
    amount,
  });

  it('behavior: matches what owners lost to what others gained, mint by mint', () => {
    const tx = decoded('token_transfer_0.json');
    const moves = splTokenMoves(tx.tokenBalances);
    expect(moves).toHaveLength(5);
    expect(moves.every((move) => move.from === SENDER && move.amount === 3000000000n && move.asset === SENT_MINT)).toBe(true);
    expect(moves.map((move) => move.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it('behavior: tokens minted or burnt have the mint on their other side, and wrapped SOL is left to the SOL deltas', () => {
    const wsol = 'So11111111111111111111111111111111111111112';
    const moves = splTokenMoves({
      pre: [balance('A', 10n, 1), balance('B', 5n, 2), balance('A', 100n, 3, wsol)],
      post: [balance('A', 4n, 1), balance('B', 9n, 2), balance('C', 3n, 4)],
    });
    expect(moves).toEqual([
      { position: 0, asset: 'M', from: 'A', to: 'B', amount: 4n },
      { position: 1, asset: 'M', from: 'A', to: 'C', amount: 2n },
      { position: 2, asset: 'M', from: 'M', to: 'C', amount: 1n },
    ]);
  });
});
