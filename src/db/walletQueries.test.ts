import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { DbConflict, DbNotFound } from './DbError.js';
import { addToGroup, createGroup, deleteGroup, listGroups, removeFromGroup } from './groupQueries.js';
import type { Database } from './openDatabase.js';
import { auditLog, groupMembers, wallets } from './schema.js';
import { followedAddresses, listWallets, trackWallet, untrackWallet } from './walletQueries.js';
import { ensureWorkspace } from './workspaceQueries.js';

const A = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const B = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';

describe('wallet and group queries', () => {
  let database: Database;
  const team = { workspaceId: 'team', actor: 'cli:alice' };
  const other = { workspaceId: 'telegram:-100', actor: 'telegram:7' };

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    await ensureWorkspace(database.db, { id: 'telegram:-100', platform: 'telegram', externalId: '-100' });
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: tracks an address on several chains under one label and audits it', async () => {
    const added = await trackWallet(database.db, { ...team, address: A, chains: ['base', 'ethereum'], label: 'Whale' });
    expect(added.map((wallet) => wallet.chain)).toEqual(['base', 'ethereum']);
    const listed = await listWallets(database.db, 'team');
    expect(listed.map((wallet) => [wallet.label, wallet.chain])).toEqual([
      ['Whale', 'base'],
      ['Whale', 'ethereum'],
    ]);
    const audit = await database.db.select().from(auditLog);
    expect(audit).toMatchObject([{ workspaceId: 'team', actor: 'cli:alice', action: 'track' }]);
  });

  it('error: a label already used for another address, in any case, is refused and nothing is written', async () => {
    await trackWallet(database.db, { ...team, address: A, chains: ['base'], label: 'whale' });
    await expect(
      trackWallet(database.db, { ...team, address: B, chains: ['base', 'sonic'], label: 'WHALE' }),
    ).rejects.toMatchObject({ code: 'conflict', facts: { entity: 'wallet', reason: 'label_taken', label: 'WHALE', address: A, chain: 'base' } });
    expect(await database.db.$count(wallets)).toBe(1);
    expect(await database.db.$count(auditLog)).toBe(1);
  });

  it('error: tracking into an unknown group writes nothing', async () => {
    await expect(
      trackWallet(database.db, { ...team, address: A, chains: ['base'], label: 'whale', group: 'nope' }),
    ).rejects.toMatchObject(new DbNotFound({ entity: 'group', name: 'nope' }));
    expect(await database.db.$count(wallets)).toBe(0);
  });

  it('behavior: workspaces are isolated: the same address and label live apart, and queries never cross', async () => {
    await trackWallet(database.db, { ...team, address: A, chains: ['base'], label: 'whale' });
    await trackWallet(database.db, { ...other, address: A, chains: ['base'], label: 'whale' });
    await trackWallet(database.db, { ...other, address: B, chains: ['base'], label: 'shrimp' });
    expect((await listWallets(database.db, 'team')).map((w) => w.label)).toEqual(['whale']);
    expect((await listWallets(database.db, 'telegram:-100')).map((w) => w.label)).toEqual(['shrimp', 'whale']);
    await expect(untrackWallet(database.db, { ...team, ref: 'shrimp' })).rejects.toMatchObject({ facts: { entity: 'wallet', ref: 'shrimp' } });
    await createGroup(database.db, { ...team, name: 'whales' });
    await expect(addToGroup(database.db, { ...team, name: 'whales', refs: ['shrimp'] })).rejects.toThrow(DbNotFound);
    expect(await listGroups(database.db, 'telegram:-100')).toEqual([]);
    // Note: the chain is followed once for both workspaces.
    expect(await followedAddresses(database.db, 'base')).toEqual([A, B]);
  });

  it('behavior: groups hold wallets by label or address, and deleting a group keeps its wallets', async () => {
    await trackWallet(database.db, { ...team, address: A, chains: ['base', 'sonic'], label: 'whale' });
    await trackWallet(database.db, { ...team, address: B, chains: ['base'], label: 'shrimp' });
    await createGroup(database.db, { ...team, name: 'Fish' });
    await expect(createGroup(database.db, { ...team, name: 'fish' })).rejects.toThrow(DbConflict);
    await addToGroup(database.db, { ...team, name: 'fish', refs: ['WHALE', B] });
    const [fish] = await listGroups(database.db, 'team');
    expect(fish?.members.map((m) => `${m.label}@${m.chain}`)).toEqual(['shrimp@base', 'whale@base', 'whale@sonic']);

    await expect(removeFromGroup(database.db, { ...team, name: 'fish', refs: ['shrimp', 'nobody'] })).rejects.toMatchObject({
      facts: { entity: 'wallet', ref: 'nobody' },
    });
    expect(await database.db.$count(groupMembers)).toBe(3);
    await removeFromGroup(database.db, { ...team, name: 'fish', refs: ['shrimp'] });
    await expect(removeFromGroup(database.db, { ...team, name: 'fish', refs: ['shrimp'] })).rejects.toMatchObject({
      facts: { entity: 'group_member', ref: 'shrimp', group: 'Fish' },
    });

    await deleteGroup(database.db, { ...team, name: 'FISH' });
    expect(await listGroups(database.db, 'team')).toEqual([]);
    expect(await database.db.$count(wallets)).toBe(3);
  });

  it('behavior: untracking by address removes every chain and its group memberships', async () => {
    await trackWallet(database.db, { ...team, address: A, chains: ['base', 'sonic'], label: 'whale' });
    await createGroup(database.db, { ...team, name: 'g' });
    await addToGroup(database.db, { ...team, name: 'g', refs: ['whale'] });
    const removed = await untrackWallet(database.db, { ...team, ref: A.toUpperCase().replace('0X', '0x') });
    expect(removed).toHaveLength(2);
    expect(await database.db.$count(wallets)).toBe(0);
    expect(await database.db.$count(groupMembers)).toBe(0);
  });
});
