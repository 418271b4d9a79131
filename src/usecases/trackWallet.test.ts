import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { loadConfig } from '../config/loadConfig.js';
import type { Database } from '../db/openDatabase.js';
import { wallets } from '../db/schema.js';
import { ensureWorkspace } from '../db/workspaceQueries.js';
import { createEventBus } from '../events/eventBus.js';
import type { LookoutEvent } from '../events/eventBus.js';
import { createGroup } from './createGroup.js';
import { resolveTarget } from './resolveTarget.js';
import { suggestNames } from './suggestNames.js';
import { trackWallet } from './trackWallet.js';
import { untrackWallet } from './untrackWallet.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

const WHALE = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('trackWallet and untrackWallet', () => {
  let database: Database;
  let deps: UseCaseDeps;
  const events: LookoutEvent[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    const bus = createEventBus();
    events.length = 0;
    bus.on('wallets_changed', (event) => events.push(event));
    deps = {
      db: database.db,
      config: loadConfig({ LOOKOUT_CHAINS: 'base,sonic,solana' }, mkdtempSync(path.join(tmpdir(), 'lookout-usecase-track-'))),
      events: bus,
      workspaceId: 'team',
      actor: 'cli:test',
      prices: async () => null,
    };
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: an EVM address is tracked on every followed EVM chain, stored in lower case, and the followers are told', async () => {
    const tracked = await trackWallet(deps, { address: WHALE, label: 'whale' });
    expect(tracked).toMatchObject({ address: WHALE.toLowerCase(), label: 'whale', group: null, history: null });
    expect(tracked.chains.map((chain) => chain.name)).toEqual(['base', 'sonic']);
    expect(events).toEqual([{ type: 'wallets_changed', workspaceId: 'team', chains: ['base', 'sonic'] }]);

    const removed = await untrackWallet(deps, { wallet: 'WHALE', chain: 'Sonic' });
    expect(removed.map((wallet) => wallet.chain)).toEqual(['sonic']);
    expect(events.at(-1)).toEqual({ type: 'wallets_changed', workspaceId: 'team', chains: ['sonic'] });
  });

  it('error: history without a backfiller, or a group that does not exist, is refused and nothing is stored or announced', async () => {
    await expect(trackWallet(deps, { address: WHALE, since: '7d' })).rejects.toThrow(/History can only be read where the chains are reachable/);
    await expect(trackWallet(deps, { address: WHALE, group: 'nope' })).rejects.toMatchObject({ code: 'not_found', facts: { entity: 'group', name: 'nope' } });
    expect(await database.db.$count(wallets)).toBe(0);
    expect(events).toEqual([]);
  });

  it('error: an address of one chain kind on a chain of another is refused in one sentence naming both kinds', async () => {
    await expect(trackWallet(deps, { address: WHALE, chain: 'solana' })).rejects.toThrow(
      'solana is a Solana chain but the address is an EVM address; pick an EVM chain or give a base58 Solana address.',
    );
    await expect(trackWallet(deps, { address: 'So11111111111111111111111111111111111111112', chain: 'base' })).rejects.toThrow(
      /^base is an EVM chain but the address is a Solana address; pick a Solana chain or give a 0x address/,
    );
    expect(await database.db.select().from(wallets)).toEqual([]);
    expect(events).toEqual([]);
  });

  it('behavior: resolveTarget reads a name as a group when one has it, in any case, else as a wallet', async () => {
    await createGroup(deps, 'Whales');
    expect(await resolveTarget(deps, 'whales')).toEqual({ group: 'whales' });
    expect(await resolveTarget(deps, 'whale')).toEqual({ wallet: 'whale' });
    expect(await resolveTarget(deps, undefined)).toEqual({});
  });

  it('behavior: suggestNames offers groups then wallet labels containing what was typed, LIKE characters taken literally', async () => {
    await createGroup(deps, 'Whales');
    await trackWallet(deps, { address: WHALE, label: 'whale_1', chain: 'base' });
    await trackWallet(deps, { address: '0x0000000000000000000000000000000000000001', label: 'whaleX1', chain: 'base' });
    const both = await suggestNames(deps, { kind: 'target', typed: 'WHAL', limit: 25 });
    expect(both[0]).toBe('Whales');
    expect(both.slice(1).sort()).toEqual(['whaleX1', 'whale_1']);
    expect(await suggestNames(deps, { kind: 'wallet', typed: 'e_', limit: 25 })).toEqual(['whale_1']);
    expect(await suggestNames(deps, { kind: 'group', typed: '', limit: 25 })).toEqual(['Whales']);
    expect(await suggestNames(deps, { kind: 'target', typed: 'wh', limit: 2 })).toHaveLength(2);
    expect(await suggestNames(deps, { kind: 'target', typed: 'a\u0000b', limit: 25 })).toEqual([]);
  });
});
