import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { loadConfig, type LookoutConfig } from '../config/loadConfig.js';
import { loadAlertTrades } from '../db/alertQueries.js';
import type { Database } from '../db/openDatabase.js';
import { balanceChanges, tokens, trades } from '../db/schema.js';
import { trackWallet } from '../db/walletQueries.js';
import { updateWorkspaceSettings } from '../db/workspaceSettings.js';
import { ensureWorkspace } from '../db/workspaceQueries.js';
import { alertContextKey, alertContexts } from './alertContext.js';

const WALLET = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const MEME = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const E18 = 10n ** 18n;

describe('alertContexts', () => {
  let database: Database;
  let config: LookoutConfig;
  const ids: number[] = [];

  /** One trade of MEME against USDC in its own block: + buys, - sells. */
  async function trade(block: number, meme: bigint, usdc: bigint, usd: string | null) {
    const position = { chain: 'base', blockNumber: BigInt(block), blockHash: `0xb${block}`, blockTime: new Date(Date.UTC(2025, 0, block)), txHash: `0xt${block}`, txIndex: 0 };
    const [row] = await database.db
      .insert(trades)
      .values({ ...position, wallet: WALLET, kind: meme > 0n ? 'buy' : 'sell', baseAsset: MEME, baseAmount: meme < 0n ? -meme : meme, quoteAsset: USDC, usdValue: usd })
      .returning({ id: trades.id });
    await database.db.insert(balanceChanges).values([
      { ...position, wallet: WALLET, asset: MEME, amount: meme },
      { ...position, wallet: WALLET, asset: USDC, amount: usdc },
    ]);
    ids.push(row!.id);
  }

  const contextsOf = async () => {
    const rows = ids.map((tradeId) => ({ tradeId, workspaceId: 'team' }));
    const loaded = await loadAlertTrades(database.db, rows);
    const items = ids.map((id) => ({ trade: loaded.get(`${id}|team`)!, workspaceId: 'team' }));
    const contexts = await alertContexts({ db: database.db, config }, items);
    return ids.map((id) => contexts.get(alertContextKey(id, 'team'))!);
  };

  beforeEach(async () => {
    ids.length = 0;
    database = await createTestDatabase();
    config = loadConfig({}, mkdtempSync(path.join(tmpdir(), 'lookout-alert-context-')));
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    await trackWallet(database.db, { workspaceId: 'team', actor: 'cli:test', address: WALLET, chains: ['base'], label: 'desk' });
    await database.db.insert(tokens).values([
      { chain: 'base', address: USDC, symbol: 'USDC', decimals: 6, isStablecoin: true },
      { chain: 'base', address: MEME, symbol: 'MEME', decimals: 18 },
    ]);
    // Buy 2 MEME at $10, buy 1 at $30, then sell 1.5 for $30.
    await trade(1, 2n * E18, -20_000_000n, '20');
    await trade(2, E18, -30_000_000n, '30');
    await trade(3, -(3n * E18) / 2n, 30_000_000n, '30');
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: the first buy is marked, and each alert carries the holding after its trade, exact', async () => {
    const [first, second, sale] = await contextsOf();
    expect(first!.position).toEqual({ asset: MEME, before: 0n, after: 2n * E18, firstBuy: true });
    expect(second!.position).toEqual({ asset: MEME, before: 2n * E18, after: 3n * E18, firstBuy: false });
    expect(sale!.position).toEqual({ asset: MEME, before: 3n * E18, after: (3n * E18) / 2n, firstBuy: false });
    expect(first!.sale).toBeNull();
  });

  it('behavior: a sale realizes against the first lot under FIFO: +$15 on half the position', async () => {
    const sale = (await contextsOf())[2]!.sale!;
    expect(sale.method).toBe('fifo');
    expect(sale.realizedUsd.toFixed(2)).toBe('15.00');
    expect(sale.unknownProceedsUsd.isZero()).toBe(true);
    expect(sale.soldShare!.toDecimalString(4)).toBe('0.5');
  });

  it('behavior: under average cost the same sale realizes +$5 (cost $50 for 3, so $25 for 1.5)', async () => {
    await updateWorkspaceSettings(database.db, { workspaceId: 'team', actor: 'cli:test', changes: { pnlMethod: 'average' } });
    const sale = (await contextsOf())[2]!.sale!;
    expect(sale.method).toBe('average');
    expect(sale.realizedUsd.toFixed(2)).toBe('5.00');
  });

  it('behavior: a sale from tokens the history never shows bought realizes only its known part and says what was not', async () => {
    // 2.5 MEME arrive from outside before the sale of 4.
    const position = { chain: 'base', blockNumber: 4n, blockHash: '0xb4', blockTime: new Date(Date.UTC(2025, 0, 4)), txIndex: 0 };
    await database.db.insert(trades).values({ ...position, txHash: '0xt4', wallet: WALLET, kind: 'transfer_in' });
    await database.db.insert(balanceChanges).values({ ...position, txHash: '0xt4', wallet: WALLET, asset: MEME, amount: (5n * E18) / 2n });
    await trade(5, -4n * E18, 80_000_000n, '80');
    const sale = (await contextsOf())[3]!;
    expect(sale.position).toMatchObject({ before: 4n * E18, after: 0n });
    // FIFO: 0.5 left of the first lot ($5) and the $30 lot: 1.5 of known cost for $30 realize +$(30 - 35) = -$5; 2.5 of unknown cost brought $50.
    expect(sale.sale!.realizedUsd.toFixed(2)).toBe('-5.00');
    expect(sale.sale!.unknownProceedsUsd.toFixed(2)).toBe('50.00');
    expect(sale.sale!.soldShare!.toDecimalString(4)).toBe('1');
  });

  it('behavior: tokens received are never a first buy; a later first buy of another token is', async () => {
    const place = { chain: 'base', blockNumber: 4n, blockHash: '0xb4', blockTime: new Date(Date.UTC(2025, 0, 4)), txHash: '0xt4', txIndex: 0 };
    const other = '0x00000000000000000000000000000000000000ee';
    const [received] = await database.db.insert(trades).values({ ...place, wallet: WALLET, kind: 'transfer_in' }).returning({ id: trades.id });
    await database.db.insert(balanceChanges).values({ ...place, wallet: WALLET, asset: other, amount: 7n });
    ids.push(received!.id);
    const context = (await contextsOf())[3]!;
    expect(context.position).toEqual({ asset: other, before: 0n, after: 7n, firstBuy: false });
  });

  it('behavior: an unpriced sale has a holding but no realized PnL', async () => {
    await trade(4, -E18 / 2n, 10_000_000n, null);
    const sale = (await contextsOf())[3]!;
    expect(sale.position).toMatchObject({ after: E18 });
    expect(sale.sale).toBeNull();
  });
});
