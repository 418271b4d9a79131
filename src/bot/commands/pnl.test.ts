import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import { createLocalChartRenderer } from '../../charts/createLocalChartRenderer.js';
import { loadConfig } from '../../config/loadConfig.js';
import type { Database } from '../../db/openDatabase.js';
import { balanceChanges, tokens, trades } from '../../db/schema.js';
import { trackWallet } from '../../db/walletQueries.js';
import { updateWorkspaceSettings } from '../../db/workspaceSettings.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { createEventBus } from '../../events/eventBus.js';
import type { PnlPrice } from '../../tracker/pnl/types.js';
import { NATIVE } from '../../tracker/walletDeltas.js';
import type { CommandContext } from '../commandContext.js';
import type { Line } from '../reply.js';
import { pnl } from './pnl.js';

const WALLET = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const MEME = '0x00000000000000000000000000000000000000aa';
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const WETH = '0x4200000000000000000000000000000000000006';
const NOW = new Date('2025-06-01T12:00:00Z');
const e18 = 10n ** 18n;

const text = (lines: readonly Line[]) =>
  lines.map((line) => (typeof line === 'string' ? line : line.map((part) => part.text).join(''))).join('\n');

describe('pnl command', () => {
  let database: Database;
  let ctx: CommandContext;
  let block = 0n;
  const latest = new Map<string, PnlPrice>();

  /** Stores one trade of the wallet on base with its legs, as the follower would. */
  async function trade(kind: 'buy' | 'sell', legs: [string, bigint][], usdValue: string | null, fee = 0n): Promise<void> {
    block += 1n;
    const position = { chain: 'base', blockNumber: block, blockHash: `0xb${block}`, blockTime: new Date(NOW.getTime() - 86_400_000 * (10 - Number(block))), txHash: `0xt${block}` };
    await database.db.insert(trades).values({ ...position, wallet: WALLET, kind, usdValue, fee });
    await database.db.insert(balanceChanges).values(legs.map(([asset, amount]) => ({ ...position, wallet: WALLET, asset, amount })));
  }

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    await trackWallet(database.db, { workspaceId: 'team', actor: 'cli:test', address: WALLET, chains: ['base'], label: 'desk' });
    await database.db.insert(tokens).values([
      { chain: 'base', address: NATIVE, symbol: 'ETH', decimals: 18, isNative: true },
      { chain: 'base', address: MEME, symbol: 'MEME', decimals: 18 },
      { chain: 'base', address: USDC, symbol: 'USDC', decimals: 6, isStablecoin: true },
      { chain: 'base', address: WETH, symbol: 'WETH', decimals: 18, isWrappedNative: true },
    ]);
    latest.clear();
    block = 0n;
    ctx = {
      db: database.db,
      config: loadConfig({}, mkdtempSync(path.join(tmpdir(), 'lookout-pnl-'))),
      events: createEventBus(),
      workspaceId: 'team',
      actor: 'cli:test',
      prices: async (chain, asset) => latest.get(`${chain}:${asset}`) ?? null,
      charts: createLocalChartRenderer(),
    };
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: after a buy paid in ETH without a USD price, USDC buys and a $600 sale, the answer adds up and says what is unpriced', async () => {
    await trade('buy', [[MEME, 1000n * e18], [NATIVE, -e18 / 2n]], null);
    await trade('buy', [[MEME, 1000n * e18], [USDC, -300_000_000n]], '300');
    await trade('sell', [[MEME, -800n * e18], [USDC, 600_000_000n]], '600');
    latest.set(`base:${MEME}`, { priceUsd: '0.4', at: NOW });
    const reply = await pnl(ctx, { method: 'fifo' }, NOW);
    const shown = text(reply.lines);
    expect(shown).not.toMatch(/Realized: 🟢 \+\$0\.00/);
    expect(shown).not.toMatch(/received, not bought/);
    expect(shown).toMatch(/Realized: not measured: the \$600\.00 sold came from lots of unknown cost/);
    expect(shown).toMatch(/MEME \[base\]: 200 bought in a trade without a USD value \(worth \$80\.00\)/);
    expect(shown).toMatch(/1 trade without a USD value[\s\S]*BUY 0xt1: no USD price for either side at the time/);
    const data = reply.data as { realizedUsd: string; unrealizedUsd: string; proceedsUsd: string; valueUsd: string; investedUsd: string; unknownProceedsUsd: string };
    expect(data).toMatchObject({ realizedUsd: '0.00', proceedsUsd: '0.00', unknownProceedsUsd: '600.00', investedUsd: '300.00', valueUsd: '400.00', unrealizedUsd: '100.00' });

    const average = await pnl(ctx, { method: 'average' }, NOW);
    expect(average.data).toMatchObject({ realizedUsd: '180.00', proceedsUsd: '300.00', unknownProceedsUsd: '300.00' });
    expect(text(average.lines)).toMatch(/Realized: 🟢 \+\$180\.00 \(plus \$300\.00 sold from lots of unknown cost, gain not measured\)/);
  });

  it('behavior: a USDC to WETH buy is a WETH position valued at the native price', async () => {
    await trade('buy', [[WETH, 3312n * 10n ** 14n], [USDC, -1_000_000_000n]], '1000');
    latest.set(`base:${NATIVE}`, { priceUsd: '3000', at: NOW });
    const reply = await pnl(ctx, { method: 'fifo' }, NOW);
    const data = reply.data as { positions: { symbol: string; amount: string; valueUsd: string }[]; investedUsd: string };
    expect(data.investedUsd).toBe('1000.00');
    expect(data.positions).toMatchObject([{ symbol: 'WETH', amount: '0.3312', valueUsd: '993.60' }]);
  });

  it('behavior: with the fee setting on, the fee priced at its block goes into the cost basis', async () => {
    await trade('buy', [[MEME, 1000n * e18], [USDC, -100_000_000n]], '100', 10n ** 15n);
    await database.db.execute(
      `insert into prices (chain, asset, block_number, price_usd, source, observed_at) values ('base', 'native', 1, '2000', 'chainlink', now())`,
    );
    const off = await pnl(ctx, {}, NOW);
    expect(off.data).toMatchObject({ investedUsd: '100.00', feesInBasis: false });
    expect(text(off.lines)).toMatch(/Fees: not counted/);
    await updateWorkspaceSettings(database.db, { workspaceId: 'team', actor: 'cli:test', changes: { feesInBasis: true } });
    const on = await pnl(ctx, {}, NOW);
    expect(on.data).toMatchObject({ investedUsd: '102.00', feesUsd: '2.00', feesInBasis: true });
  });

  it('behavior: a price older than an hour is marked stale with its age in the position line; a fresh one only shows its age', async () => {
    await trade('buy', [[MEME, 1000n * e18], [USDC, -300_000_000n]], '300');
    await trade('buy', [[WETH, e18], [USDC, -3_000_000_000n]], '3000');
    latest.set(`base:${MEME}`, { priceUsd: '0.000123456', at: new Date(NOW.getTime() - 3 * 3_600_000) });
    latest.set(`base:${NATIVE}`, { priceUsd: '3100.123456', at: new Date(NOW.getTime() - 20 * 60_000) });
    const shown = text((await pnl(ctx, {}, NOW)).lines);
    expect(shown).toMatch(/MEME \[base\]: 1,000 held, worth \$0\.12 · realized \+\$0\.00 · unrealized -\$299\.88 · price \$0\.0001234 \(stale: 3h old\)/);
    expect(shown).toMatch(/WETH \[base\]: 1 held, worth \$3,100\.12 · realized \+\$0\.00 · unrealized \+\$100\.12 · price \$3100\.1234 \(20m old\)/);
  });
});
