import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { loadConfig } from '../config/loadConfig.js';
import type { Database } from '../db/openDatabase.js';
import { balanceChanges, holdingSnapshots, tokens, trades } from '../db/schema.js';
import { trackWallet } from '../db/walletQueries.js';
import { ensureWorkspace } from '../db/workspaceQueries.js';
import { createEventBus } from '../events/eventBus.js';
import { Rational } from '../tracker/pnl/Rational.js';
import type { PnlPrice } from '../tracker/pnl/types.js';
import { portfolioPnl } from './portfolioPnl.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

const WALLET = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const NOW = new Date('2025-06-01T12:00:00Z');
const TOKENS = Array.from({ length: 9 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);

describe('portfolioPnl', () => {
  let database: Database;
  let deps: UseCaseDeps;
  let inFlight = 0;
  let mostInFlight = 0;
  const asked: string[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    await trackWallet(database.db, { workspaceId: 'team', actor: 'cli:test', address: WALLET, chains: ['base'], label: 'desk' });
    await database.db.insert(tokens).values([
      { chain: 'base', address: USDC, symbol: 'USDC', decimals: 6, isStablecoin: true },
      ...TOKENS.map((address, i) => ({ chain: 'base', address, symbol: `T${i}`, decimals: 18 })),
    ]);
    // One buy of each token for 3 USDC: 1 token, or 3 of the last.
    for (const [i, token] of TOKENS.entries()) {
      const position = { chain: 'base', blockNumber: BigInt(i + 1), blockHash: `0xb${i}`, blockTime: new Date(NOW.getTime() - 86_400_000), txHash: `0xt${i}` };
      await database.db.insert(trades).values({ ...position, wallet: WALLET, kind: 'buy', usdValue: '3' });
      await database.db.insert(balanceChanges).values([
        { ...position, wallet: WALLET, asset: token, amount: 10n ** 18n },
        { ...position, wallet: WALLET, asset: USDC, amount: -3_000_000n },
      ]);
    }
    inFlight = 0;
    mostInFlight = 0;
    asked.length = 0;
    deps = {
      db: database.db,
      config: loadConfig({}, mkdtempSync(path.join(tmpdir(), 'lookout-usecase-pnl-'))),
      events: createEventBus(),
      workspaceId: 'team',
      actor: 'cli:test',
      prices: async (chain, asset): Promise<PnlPrice | null> => {
        asked.push(`${chain}:${asset}`);
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        // Every token but the first is worth $1 less than it cost; the first has no price.
        return asset === TOKENS[0] ? null : { priceUsd: '2', at: NOW };
      },
    };
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: asks the price of each token once, a few at a time, never the stablecoin', async () => {
    await portfolioPnl(deps, {}, NOW);
    expect([...asked].sort()).toEqual(TOKENS.map((token) => `base:${token}`).sort());
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  });

  it('behavior: answers with the exact report, its scope and method, not display strings', async () => {
    const result = await portfolioPnl(deps, { wallet: 'DESK', method: 'average' }, NOW);
    expect(result.scope).toEqual({ kind: 'wallet', label: 'desk' });
    expect(result.method).toBe('average');
    expect(result.window).toBe('all');
    expect(result.trades).toBe(9);
    expect(result.report.investedUsd.eq(Rational.of(27n))).toBe(true);
    // Eight priced tokens lost $1 each; the unpriced one is held at cost.
    expect(result.report.unrealizedUsd.eq(Rational.of(-8n))).toBe(true);
    expect(result.report.heldAtCostUsd.eq(Rational.of(3n))).toBe(true);
    const first = result.report.positions.find((position) => position.token === TOKENS[0]);
    expect(first).toMatchObject({ amount: 10n ** 18n, priceUsd: null, priceAt: null });
  });

  it('behavior: the value over time counts the same holdings as the report: positions, not the stablecoins held as money', async () => {
    const at = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
    await database.db.insert(holdingSnapshots).values([
      { takenAt: at(2), chain: 'base', wallet: WALLET, asset: TOKENS[1]!, amount: 10n ** 18n, valueUsd: '2.5' },
      { takenAt: at(2), chain: 'base', wallet: WALLET, asset: USDC, amount: 9_000_000_000n, valueUsd: '9000' },
      { takenAt: at(1), chain: 'base', wallet: WALLET, asset: TOKENS[1]!, amount: 10n ** 18n, valueUsd: '2' },
      { takenAt: at(1), chain: 'base', wallet: WALLET, asset: USDC, amount: 9_000_000_000n, valueUsd: '9000' },
    ]);
    const result = await portfolioPnl(deps, {}, NOW);
    expect(result.valueSeries.map((point) => [point.at.toISOString(), point.valueUsd.toFixed(2)])).toEqual([
      [at(2).toISOString(), '2.50'],
      [at(1).toISOString(), '2.00'],
    ]);
  });

  it('error: a wallet and a group together, or an unknown group, are refused before any price is asked', async () => {
    await expect(portfolioPnl(deps, { wallet: 'desk', group: 'x' }, NOW)).rejects.toThrow('Give either a wallet or a group, not both.');
    await expect(portfolioPnl(deps, { group: 'nope' }, NOW)).rejects.toMatchObject({ code: 'not_found', facts: { entity: 'group', name: 'nope' } });
    expect(asked).toEqual([]);
  });
});
