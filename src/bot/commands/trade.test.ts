import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import { createLocalChartRenderer } from '../../charts/createLocalChartRenderer.js';
import { loadConfig } from '../../config/loadConfig.js';
import type { Database } from '../../db/openDatabase.js';
import { auditLog, balanceChanges, manualTrades, tokens, trades } from '../../db/schema.js';
import { trackWallet } from '../../db/walletQueries.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { createEventBus } from '../../events/eventBus.js';
import type { CommandContext } from '../commandContext.js';
import { trackManual } from './manualWallet.js';
import { pnl } from './pnl.js';
import { trade } from './trade.js';
import { tradesCsv } from './tradesCsv.js';
import { trades as listTradesCommand } from './trades.js';
import { lineText } from '../reply.js';

const WALLET = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const MEME = '0x00000000000000000000000000000000000000aa';
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const NOW = new Date('2025-06-01T12:00:00Z');

describe('manual trades', () => {
  let database: Database;
  let ctx: CommandContext;
  const add = (side: 'buy' | 'sell', amount: string, token: string, total: string, extra: Record<string, string> = {}) =>
    trade(ctx, { action: 'add', side, amount, token, for: total, ...extra }, NOW);

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    ctx = {
      db: database.db,
      config: loadConfig({}, mkdtempSync(path.join(tmpdir(), 'lookout-trade-'))),
      events: createEventBus(),
      workspaceId: 'team',
      actor: 'cli:test',
      prices: async () => null,
      charts: createLocalChartRenderer(),
    };
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: buy 2 at 10, sell 1 at 15, buy 1 at 30 on a manual wallet realize +5 under FIFO and average', async () => {
    await trackManual(ctx, { label: 'desk' });
    await add('buy', '2', 'ETH', '20 USD', { at: '2024-01-01T00:00:00Z', wallet: 'desk' });
    await add('sell', '1', 'eth', '15 USD', { at: '2024-01-02T00:00:00Z' });
    await add('buy', '1', 'ETH', '30 USD', { at: '2024-01-03T00:00:00Z', note: 'otc' });
    const stored = await database.db.select().from(manualTrades);
    // Stored exactly: raw integers with their decimals, the USD value as typed.
    expect(stored.map((row) => [row.side, row.asset, row.amount, row.usdValue])).toEqual([
      ['buy', 'ETH', 2n * 10n ** 18n, '20'],
      ['sell', 'ETH', 10n ** 18n, '15'],
      ['buy', 'ETH', 10n ** 18n, '30'],
    ]);
    for (const method of ['fifo', 'average']) {
      const report = await pnl(ctx, { method }, NOW);
      expect(report.data, method).toMatchObject({ realizedUsd: '5.00', investedUsd: '50.00', proceedsUsd: '15.00', unpricedTrades: 0 });
    }
    const listed = await listTradesCommand(ctx, {}, NOW);
    expect(listed.title).toBe('Trades (3)');
    expect(listed.lines.map((line) => lineText(line))).toEqual([
      'Manual trades (3):',
      '2024-01-03 00:00 [manual] desk BUY 1 ETH for 30 USD ($30.00) · manual #3 · otc',
      '2024-01-02 00:00 [manual] desk SELL 1 ETH for 15 USD ($15.00) · manual #2',
      '2024-01-01 00:00 [manual] desk BUY 2 ETH for 20 USD ($20.00) · manual #1',
    ]);
    const audit = await database.db.select().from(auditLog);
    expect(audit.filter((row) => row.action === 'trade_add')).toHaveLength(3);
  });

  it('behavior: manual trades of a tracked token mix with its on-chain trades in one set of lots, and remove undoes one', async () => {
    await trackWallet(database.db, { workspaceId: 'team', actor: 'cli:test', address: WALLET, chains: ['base'], label: 'whale' });
    await database.db.insert(tokens).values([
      { chain: 'base', address: MEME, symbol: 'MEME', decimals: 18 },
      { chain: 'base', address: USDC, symbol: 'USDC', decimals: 6, isStablecoin: true },
    ]);
    const onChain = { chain: 'base', blockNumber: 5n, blockHash: '0xb5', blockTime: new Date('2024-02-01T00:00:00Z'), txHash: '0xsale', wallet: WALLET };
    await database.db.insert(trades).values({ ...onChain, kind: 'sell', usdValue: '600', baseAsset: MEME, baseAmount: 1500n * 10n ** 18n });
    await database.db.insert(balanceChanges).values([
      { ...onChain, asset: MEME, amount: -1500n * 10n ** 18n },
      { ...onChain, asset: USDC, amount: 600_000_000n },
    ]);
    // Bought over the counter before the on-chain sale, with a stablecoin and in USD.
    const first = await add('buy', '1000', MEME.toUpperCase().replace('0X', '0x'), `100 ${USDC}`, { at: '2024-01-01T00:00:00Z' });
    await add('buy', '1000', MEME, '300 USD', { at: '2024-01-02T00:00:00Z', fee: '1 USD' });
    const fifo = await pnl(ctx, { method: 'fifo' }, NOW);
    expect(fifo.data).toMatchObject({ realizedUsd: '350.00', unknownProceedsUsd: '0.00' });
    const average = await pnl(ctx, { method: 'average' }, NOW);
    expect(average.data).toMatchObject({ realizedUsd: '300.00' });

    const csv = await tradesCsv(ctx, {}, NOW);
    const lines = csv.file.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'date,chain,tx,wallet,kind,manual,amount,symbol,quote_amount,quote_symbol,usd_value,fee,fee_symbol,fee_usd,realized_pnl_usd,unknown_cost_proceeds_usd,note',
    );
    expect(lines.slice(1)).toEqual([
      `2024-01-01T00:00:00.000Z,base,manual-${(first.data as { id: number }).id},whale,buy,yes,1000,MEME,100,USDC,100,,,,,,`,
      expect.stringMatching(/^2024-01-02T00:00:00\.000Z,base,manual-\d+,whale,buy,yes,1000,MEME,300,USD,300,1,USD,1,,,$/),
      '2024-02-01T00:00:00.000Z,base,0xsale,whale,sell,no,1500,MEME,,,600,0,ETH,,350.00,0.00,',
    ]);

    await trade(ctx, { action: 'remove', id: String((first.data as { id: number }).id) }, NOW);
    const after = await pnl(ctx, { method: 'fifo' }, NOW);
    // Without the first lot, 1,000 of the 1,500 sold have a known cost (300) and 500 are beyond the history.
    expect(after.data).toMatchObject({ realizedUsd: '100.00', unknownProceedsUsd: '200.00' });
  });

  it('behavior: a total in a token without a USD value is recorded and its purchase held at an unknown cost', async () => {
    await trackManual(ctx, { label: 'desk' });
    const reply = await add('buy', '100', 'MEME', '0.5 ETH');
    expect(reply.lines.join('\n')).toMatch(/ETH has no USD price for that time/);
    const report = await pnl(ctx, {}, NOW);
    expect(report.data).toMatchObject({ unpricedTrades: 1, investedUsd: '0.00' });
    expect(report.lines.join('\n')).toMatch(/manual #\d+: no USD price for either side/);
  });

  it.each([
    ['an unknown token on a tracked chain', async () => {
      await trackWallet(database.db, { workspaceId: 'team', actor: 'cli:test', address: WALLET, chains: ['base'], label: 'whale' });
      await add('buy', '1', MEME, '1 USD');
    }, /Lookout does not know the token 0x0+aa on base/],
    ['no wallet at all', () => add('buy', '1', 'ETH', '1 USD'), /No wallet is tracked yet; add one with lookout track --manual/],
    ['several wallets and none named', async () => {
      await trackManual(ctx, { label: 'desk' });
      await trackManual(ctx, { label: 'otc' });
      await add('buy', '1', 'ETH', '1 USD');
    }, /Name the wallet with --wallet <label>/],
    ['a stablecoin as the token', async () => {
      await trackManual(ctx, { label: 'desk' });
      await add('buy', '1', 'USDC', '1 USD');
    }, /USDC is money in Lookout, not a position/],
    ['removing a trade that does not exist', () => trade(ctx, { action: 'remove', id: '99' }, NOW), /There is no manual trade #99/],
  ])('error: %s is one sentence and writes nothing', async (_case, run, pattern) => {
    const attempt = run();
    await expect(attempt).rejects.toBeInstanceOf(UserInputError);
    await expect(attempt).rejects.toThrow(pattern);
    expect(await database.db.select().from(manualTrades)).toEqual([]);
  });
});
