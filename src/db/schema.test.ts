import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { appendAudit } from './auditLog.js';
import type { Database } from './openDatabase.js';
import { auditLog, balanceChanges, chainCursors, trades } from './schema.js';

describe('schema and migrations', () => {
  let database: Database;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: migrating twice is a no-op', async () => {
    await database.migrate();
    const tables = await database.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rowsOf<{ table_name: string }>(tables).map((row) => row.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        'alert_outbox',
        'alert_routes',
        'audit_log',
        'balance_changes',
        'chain_cursors',
        'group_members',
        'groups',
        'tokens',
        'trades',
        'transfers',
        'wallets',
        'workspaces',
      ]),
    );
  });

  it('behavior: raw amounts keep every digit of a uint256 and of a negative delta', async () => {
    const max = 2n ** 256n - 1n;
    const position = { chain: 'base', blockNumber: 1n, blockHash: '0xaa', txHash: '0x01', txIndex: 0 };
    await database.db.insert(balanceChanges).values([
      { ...position, wallet: '0xw', asset: '0xtoken', amount: max },
      { ...position, wallet: '0xw', asset: 'native', amount: -(10n ** 30n) - 1n },
    ]);
    const rows = await database.db.select().from(balanceChanges).orderBy(balanceChanges.amount);
    expect(rows.map((row) => row.amount)).toEqual([-(10n ** 30n) - 1n, max]);
  });

  it('behavior: a trade is unique per (chain, tx, wallet), so re-processing inserts nothing', async () => {
    const trade = {
      chain: 'base',
      blockNumber: 10n,
      blockHash: '0xbb',
      txHash: '0x02',
      txIndex: 3,
      wallet: '0xw',
      kind: 'buy' as const,
    };
    await database.db.insert(trades).values(trade);
    const again = await database.db.insert(trades).values(trade).onConflictDoNothing().returning();
    expect(again).toHaveLength(0);
    await database.db.insert(trades).values({ ...trade, wallet: '0xother' });
    expect(await database.db.$count(trades)).toBe(2);
  });

  it('behavior: a chain cursor holds block numbers beyond 2^53', async () => {
    await database.db.insert(chainCursors).values({ chain: 'solana', blockNumber: 2n ** 60n, blockHash: 'x' });
    const [cursor] = await database.db.select().from(chainCursors);
    expect(cursor?.blockNumber).toBe(2n ** 60n);
  });

  it('error: the audit log refuses updates and deletes', async () => {
    await appendAudit(database.db, { workspaceId: 'local', actor: 'cli:test', action: 'track', details: { a: 1 } });
    const appendOnly = (error: unknown) => /append-only/.test(String((error as Error).cause ?? error));
    await expect(database.db.update(auditLog).set({ action: 'changed' })).rejects.toSatisfy(appendOnly);
    await expect(database.db.delete(auditLog)).rejects.toSatisfy(appendOnly);
    expect(await database.db.$count(auditLog)).toBe(1);
  });
});

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
