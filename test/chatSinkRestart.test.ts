import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordLookout, startTelegramLookout } from './support/inProcessLookout.js';

// Note: with several instances, the one that loses the lease on a chat platform stops its bot, and starts the same
// bot object again when it takes the lease back (src/cli/runLookout.ts, whileHeld). These tests stop and start the
// real clients against the local platform servers, as a lost and regained lease does.

const GROUP = { id: -1005550077, type: 'supergroup' as const, title: 'Handover' };
const ADMIN = { id: 41, first_name: 'Ada' };

describe('Telegram: the bot serves again after it was stopped and started, as on a lease lost and taken back', () => {
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  const say = async (text: string): Promise<string> => {
    const before = lookout.telegram.messages(GROUP.id).length;
    lookout.telegram.sendText(GROUP, ADMIN, text);
    const [reply] = (await lookout.telegram.waitForMessages(GROUP.id, before + 1, 15_000)).slice(before);
    return reply!.shownText;
  };

  beforeAll(async () => {
    lookout = await startTelegramLookout();
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: a command is answered before the stop, none while stopped, and again after the start, twice over', { timeout: 90_000 }, async () => {
    expect(await say('/group new before')).toMatch(/Created group before/);
    for (const round of [1, 2]) {
      await lookout.service.stop();
      const before = lookout.telegram.messages(GROUP.id).length;
      lookout.telegram.sendText(GROUP, ADMIN, `/group new while${round}`);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(lookout.telegram.messages(GROUP.id).length).toBe(before);
      await lookout.service.start();
      // The update sent while stopped waits at the Bot API and is answered once the bot polls again.
      const [late] = (await lookout.telegram.waitForMessages(GROUP.id, before + 1, 15_000)).slice(before);
      expect(late!.shownText).toMatch(new RegExp(`Created group while${round}`));
      expect(await say(`/group new after${round}`)).toMatch(new RegExp(`Created group after${round}`));
    }
  });
});

const GUILD = '910000000000000077';
const CHANNEL = '910000000000000078';
const MANAGER = { id: '810000000000000077', username: 'ada' };

describe('Discord: the bot serves again after it was stopped and started, as on a lease lost and taken back', () => {
  let lookout: Awaited<ReturnType<typeof startDiscordLookout>>;
  const run = async (name: string) => {
    const sent = await lookout.discord.sendInteraction({
      guildId: GUILD,
      channelId: CHANNEL,
      user: MANAGER,
      memberPermissions: String(PermissionFlagsBits.ManageGuild),
      commandName: 'group',
      subcommand: 'create',
      options: [{ name: 'name', value: name }],
    });
    const [reply] = await sent.replies(1, 15_000);
    return JSON.stringify(reply?.data ?? {});
  };

  beforeAll(async () => {
    lookout = await startDiscordLookout({ id: GUILD, channels: [{ id: CHANNEL, name: 'trades' }] });
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: slash commands are answered before the stop and after the start, on a new gateway session each time', { timeout: 90_000 }, async () => {
    expect(await run('before')).toMatch(/before/);
    for (const round of [1, 2]) {
      await lookout.service.stop();
      await lookout.service.start();
      expect(await run(`after${round}`)).toMatch(new RegExp(`after${round}`));
    }
  });
});
