import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramLookout } from './support/inProcessLookout.js';
import type { SentMessage } from './support/telegram/telegramTraffic.js';

const GROUP = { id: -1005550002, type: 'supergroup' as const, title: 'Desk' };
const ADMIN = { id: 41, first_name: 'Ada' };
const MEMBER = { id: 42, first_name: 'Bo' };

describe('Telegram: /alerts holds the settings and the routes, as on Discord', () => {
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  const say = async (from: typeof ADMIN, text: string): Promise<SentMessage> => {
    const before = lookout.telegram.messages(GROUP.id).length;
    lookout.telegram.sendText(GROUP, from, text);
    const [reply] = (await lookout.telegram.waitForMessages(GROUP.id, before + 1, 15_000)).slice(before);
    return reply!;
  };

  beforeAll(async () => {
    lookout = await startTelegramLookout();
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
    lookout.telegram.setMember(GROUP.id, MEMBER.id, 'member');
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: an admin routes a group’s alerts to this chat; anyone lists the routes; a member cannot change them', async () => {
    expect((await say(ADMIN, '/group new whales')).shownText).toMatch(/Created group whales/);
    const routed = await say(ADMIN, '/alerts route here whales 500 buy,sell');
    expect(routed.shownText).toMatch(/Alerts of group whales go to this chat \(from \$500\.00; only buy, sell\)/);
    expect((await say(MEMBER, '/alerts routes')).shownText).toMatch(/#\d+: group whales → this chat/);
    expect((await say(MEMBER, '/alerts route here')).shownText).toMatch(/Only this chat’s administrators/);
    expect((await say(MEMBER, '/alerts')).shownText).toMatch(/Alerts: on/);
  });

  it('error: a route number the chat does not have says where to see them; a route elsewhere says how to route here', async () => {
    expect((await say(ADMIN, '/alerts remove 999')).shownText).toBe('There is no alert route #999 in this workspace; see them with /alerts routes.');
    expect((await say(ADMIN, '/alerts route discord:1')).shownText).toMatch(/^Alerts are routed to the chat you type in: \/alerts route here/);
  });
});
