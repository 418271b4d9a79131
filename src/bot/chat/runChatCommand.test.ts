import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import { createLocalChartRenderer } from '../../charts/createLocalChartRenderer.js';
import { loadConfig } from '../../config/loadConfig.js';
import type { Database } from '../../db/openDatabase.js';
import { manualTrades } from '../../db/schema.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { createEventBus } from '../../events/eventBus.js';
import type { CommandContext } from '../commandContext.js';
import { trackManual } from '../commands/manualWallet.js';
import { changesWorkspace } from '../chatCommands.js';
import { runChatCommand } from './runChatCommand.js';

describe('runChatCommand', () => {
  let database: Database;
  let ctx: CommandContext;

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'telegram:-100', platform: 'telegram', externalId: '-100' });
    ctx = {
      db: database.db,
      config: loadConfig({}, mkdtempSync(path.join(tmpdir(), 'lookout-chat-'))),
      events: createEventBus(),
      workspaceId: 'telegram:-100',
      actor: 'telegram:7',
      prices: async () => null,
      charts: createLocalChartRenderer(),
    };
    await trackManual(ctx, { label: 'desk' });
  });
  afterEach(async () => {
    await database.close();
  });

  it('behavior: /trade add takes the command line arguments, a dash typed by a chat app included, and /trade remove undoes it', async () => {
    expect(changesWorkspace('trade', 'add')).toBe(true);
    const added = await runChatCommand(ctx, 'trade', 'add buy 2 ETH --for 20 USD —fee 0.5 USD --at 2024-01-01T00:00:00Z --wallet desk --note otc with Bob');
    expect(added.data).toMatchObject({ wallet: 'desk', side: 'buy', amount: '2', usdValue: '20', feeUsd: '0.5', note: 'otc with Bob', at: '2024-01-01T00:00:00.000Z' });
    const [row] = await database.db.select().from(manualTrades);
    expect(row).toMatchObject({ createdBy: 'telegram:7', amount: 2n * 10n ** 18n });
    await runChatCommand(ctx, 'trade', `remove ${row!.id}`);
    expect(await database.db.select().from(manualTrades)).toEqual([]);
  });

  it.each([
    ['no action', '', /Use \/trade add/],
    ['an unknown option', 'add buy 1 ETH --for 1 USD --price 3', /has no option --price/],
    ['a total without its asset', 'add buy 1 ETH --for 20', /--for needs an amount and an asset/],
  ])('error: %s is one sentence', async (_case, text, pattern) => {
    await expect(runChatCommand(ctx, 'trade', text)).rejects.toThrow(pattern);
  });

  it('behavior: /alerts holds the settings and the routes; a route goes to the chat it is typed in', async () => {
    const here = { destination: 'telegram:-100', name: 'this chat' };
    expect((await runChatCommand(ctx, 'alerts', 'min 250', here)).lines.join('\n')).toMatch(/Minimum: \$250/);
    await runChatCommand(ctx, 'group', 'new whales', here);
    const routed = await runChatCommand(ctx, 'alerts', 'route here whales 500 buy,sell', here);
    expect(routed.lines[0]).toMatch(/Alerts of group whales go to this chat \(from \$500(\.00)?; only buy, sell; signal when 3 wallets buy one token within 1h\)/);
    const tuned = await runChatCommand(ctx, 'alerts', 'route here whales 5/30m', here);
    expect(tuned.data).toMatchObject({ group: 'whales', signal: { minWallets: 5, windowSeconds: 1_800 } });
    const off = await runChatCommand(ctx, 'alerts', 'route here signal off whales', here);
    expect(off.lines[0]).toMatch(/Alerts of group whales go to this chat \(signal off\)/);
    const listed = await runChatCommand(ctx, 'alerts', 'routes', here);
    expect(listed.lines).toHaveLength(1);
    expect(String(listed.lines[0])).toMatch(/^#\d+: group whales → this chat/);
    const id = (listed.data as { id: number }[])[0]!.id;
    await expect(runChatCommand(ctx, 'alerts', `remove ${id + 1}`, here)).rejects.toThrow(/There is no alert route #\d+ in this workspace; see them with \/alerts routes\.$/);
    expect((await runChatCommand(ctx, 'alerts', `remove ${id}`, here)).lines).toEqual([`Removed alert route #${id}.`]);
  });

  it('behavior: /gas answers for every followed chain, one line for a chain whose RPC does not answer; it takes no words', async () => {
    const evm = ctx.config.chains.find((chain) => chain.kind === 'evm')!;
    // Note: nothing listens on port 9 of this machine.
    const dead = { ...evm, name: 'deadbase', rpcUrls: ['http://127.0.0.1:9'], wsUrl: null };
    const reply = await runChatCommand({ ...ctx, config: { ...ctx.config, followed: [dead] } }, 'gas', '');
    expect(reply.title).toBe('Network fees now');
    expect(reply.lines.map((line) => (typeof line === 'string' ? line : line.map((span) => span.text).join('')))).toEqual([
      'deadbase: no fee estimate, its RPC did not answer.',
    ]);
    expect(reply.data).toEqual([{ chain: 'deadbase', status: 'unreachable', reason: 'its RPC did not answer' }]);
    expect(changesWorkspace('gas', null)).toBe(false);
    await expect(runChatCommand(ctx, 'gas', 'now')).rejects.toThrow(/Unexpected 'now'; the command is \/gas/);
  });

  it.each([
    ['a route without here', 'route -100', /routed to the chat you type in/],
    ['a route with two groups', 'route here whales sharks', /Unexpected 'sharks'/],
    ['a route number that is no number', 'remove x', /Give the number of the route/],
    ['an unknown action', 'mute', /'mute' is not an alerts action/],
    ['a signal without a group', 'route here 3/1h', /A signal counts the wallets of a group/],
    ['a signal of one wallet', 'route here whales signal 1/1h', /between 2 and 100 wallets, not 1/],
    ['the word signal alone', 'route here whales signal', /Say the signal after the word signal/],
  ])('error: /alerts with %s is one sentence', async (_case, text, pattern) => {
    await expect(runChatCommand(ctx, 'alerts', text, { destination: 'telegram:-100', name: 'this chat' })).rejects.toThrow(pattern);
  });
});
