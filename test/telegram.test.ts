import { parseEther, parseUnits, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployFixedPriceDesk } from './support/evm/deployFixedPriceDesk.js';
import type { UniswapWorld } from './support/evm/deployUniswap.js';
import type { Anvil } from './support/evm/startAnvil.js';
import { startLookout, type RunningLookout } from './support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';
import { startTelegramServer, type TelegramServer } from './support/telegram/startTelegramServer.js';

const GROUP = { id: -1001234, type: 'supergroup' as const, title: 'Whale Watchers' };
const ADMIN = { id: 11, first_name: 'Ada', username: 'ada' };
const MEMBER = { id: 22, first_name: 'Bo', username: 'bo' };

describe('Telegram bot end to end through the real grammY client', () => {
  let anvil: Anvil;
  let world: UniswapWorld;
  let telegram: TelegramServer;
  let lookout: RunningLookout;
  let env: Record<string, string>;
  let local: LocalChain;
  let cwd: string;
  let whale: Address;
  const mined = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });
  const chatMessages = () => telegram.messages(GROUP.id);
  // Note: alerts of earlier trades may arrive between a command and its answer; answers are the messages that link no transaction.
  const answers = () => chatMessages().filter((message) => !(message.text ?? '').includes('/tx/'));
  const say = async (from: typeof ADMIN, text: string, count = 1) => {
    const before = answers().length;
    telegram.sendText(GROUP, from, text);
    await vi.waitFor(
      () => {
        // Note: a Lookout that is gone will never answer; its logs say why.
        if (lookout.child.exitCode !== null) throw new Error(`lookout run exited (${lookout.child.exitCode}):\n${lookout.stderr()}`);
        expect(answers().length).toBeGreaterThanOrEqual(before + count);
      },
      { timeout: 30_000, interval: 50 },
    );
    return answers().slice(before, before + count);
  };
  const alertsAbout = (hash: string) => chatMessages().filter((message) => (message.text ?? '').includes(hash));

  beforeAll(async () => {
    telegram = await startTelegramServer();
    telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
    telegram.setMember(GROUP.id, MEMBER.id, 'member');
    local = await prepareLocalChain({ env: { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot } });
    ({ anvil, world, env, cwd } = local);
    whale = world.accounts[3]! as Address;
    lookout = startLookout([], { env, cwd });
    await lookout.waitFor(/telegram bot polling/);
    await lookout.waitFor(/starting to follow/);
  }, 180_000);

  afterAll(async () => {
    await lookout?.stop();
    await telegram?.stop();
    await local?.cleanup();
  });

  it('behavior: sets the command menu at start', () => {
    expect(telegram.commands()?.map((command) => command.command)).toEqual(
      expect.arrayContaining(['start', 'help', 'track', 'untrack', 'wallets', 'group', 'pnl', 'trades', 'alerts']),
    );
  });

  it('error: a member typing /track in a group is refused; an admin succeeds, and a label with <b> is shown literally', { timeout: 60_000 }, async () => {
    const [refused] = await say(MEMBER, `/track ${whale} whale localbase`);
    expect(refused!.shownText).toMatch(/Only this chat’s administrators/);
    const [tracked] = await say(ADMIN, `/track ${whale} <b>whale</b> localbase`);
    expect(tracked!.parseMode).toBe('HTML');
    expect(tracked!.shownText).toContain('Tracking <b>whale</b>');
    expect(tracked!.text).toContain('&lt;b&gt;whale&lt;/b&gt;');
    const [listed] = await say(MEMBER, '/wallets');
    expect(listed!.shownText).toContain('<b>whale</b>');
    const [renamed] = await say(ADMIN, `/untrack <b>whale</b>`);
    expect(renamed!.shownText).toContain('Stopped tracking');
    const [again] = await say(ADMIN, `/track ${whale} whale localbase`);
    expect(again!.shownText).toContain('Tracking whale');
    const [badAddress] = await say(ADMIN, '/track 0x123 nope');
    expect(badAddress!.shownText).toMatch(/not an EVM address/);
  });

  it('behavior: a trade on anvil arrives once as an alert with a PnL button and an explorer link', { timeout: 60_000 }, async () => {
    const buy = await world.buyWithEth(whale, world.meme, parseEther('1'));
    await mined(buy);
    const deadline = Date.now() + 30_000;
    while (alertsAbout(buy).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const alerts = alertsAbout(buy);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    // One headline, the kind said once; the token's address to copy; the holding after a first buy.
    expect(alert.shownText.split('\n')[0]).toMatch(/^🟢 whale BUY [\d,.]+ MEME for 1 ETH$/);
    expect(alert.shownText.match(/BUY/g)).toHaveLength(1);
    expect(alert.text).toContain(`🪙 MEME <code>${world.meme.toLowerCase()}</code>`);
    // Note: this chain has no USD feed, so the trade and the holding carry no $ figure and say so.
    expect(alert.shownText).toContain('💵 unpriced: no USD price was found for this trade');
    expect(alert.shownText).toMatch(/💼 Holds [\d,.]+ MEME · 🆕 first buy/);
    expect(alert.text).toContain(`https://basescan.org/tx/${buy}`);
    expect(JSON.stringify(alert.replyMarkup)).toContain(`pnl:${whale.toLowerCase()}`);
  });

  it('behavior: /group and /pnl answer with a summary and the chart as a photo; the PnL button works', { timeout: 90_000 }, async () => {
    const desk = await deployFixedPriceDesk(world);
    await mined(await world.fundToken(world.usdc, whale, parseUnits('1000', 6)));
    await desk.trade(whale, world.usdc, parseUnits('100', 6), world.pepe, parseEther('1000'));
    await desk.trade(whale, world.pepe, parseEther('500'), world.usdc, parseUnits('80', 6));
    expect((await say(ADMIN, '/group new fish'))[0]!.shownText).toContain('Created group fish');
    expect((await say(ADMIN, '/group add fish whale'))[0]!.shownText).toContain('Added whale to group fish');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const [summary, photo] = await say(MEMBER, '/pnl fish all', 2);
    expect(summary!.shownText).toMatch(/PnL · group fish · all/);
    expect(summary!.shownText).toMatch(/Realized: 🟢 \+\$30\.00/);
    expect(photo!.method).toBe('sendPhoto');
    expect(photo!.photo && 'bytes' in photo!.photo ? photo!.photo.bytes.subarray(1, 4).toString() : '').toBe('PNG');

    const alert = chatMessages().find((message) => JSON.stringify(message.replyMarkup ?? '').includes('pnl:'))!;
    const before = chatMessages().length;
    telegram.pressButton(GROUP, MEMBER, alert.messageId, `pnl:${whale.toLowerCase()}`);
    const [fromButton] = (await telegram.waitForMessages(GROUP.id, before + 2, 30_000)).slice(before);
    expect(fromButton!.shownText).toMatch(/PnL · whale/);
  });

  it('behavior: a 429 is waited out and the alert arrives once', { timeout: 60_000 }, async () => {
    telegram.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 });
    const buy = await world.buyWithEth(whale, world.meme, parseEther('0.3'));
    await mined(buy);
    const deadline = Date.now() + 30_000;
    while (alertsAbout(buy).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(alertsAbout(buy)).toHaveLength(1);
  });

  it('behavior: a burst of 100 trades respects the limits and reaches the chat complete, across a kill and restart', { timeout: 240_000 }, async () => {
    const rule = telegram.rateLimit();
    const burstStart = Date.now();
    await anvil.setAutomine(false);
    const hashes: Hash[] = [];
    for (let i = 0; i < 100; i++) hashes.push(await world.buyWithEth(whale, world.meme, parseEther('0.001') * BigInt(i + 1)));
    await anvil.mine(1);
    await anvil.setAutomine(true);
    for (const hash of hashes) expect((await mined(hash)).status).toBe('success');

    // Kill Lookout while it delivers, then start it again.
    const firstSummary = Date.now() + 60_000;
    while (!hashes.some((hash) => alertsAbout(hash).length > 0) && Date.now() < firstSummary) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await lookout.stop('SIGKILL')).toBeNull();
    lookout = startLookout([], { env, cwd });
    await lookout.waitFor(/telegram bot polling/);

    const deadline = Date.now() + 120_000;
    while (hashes.some((hash) => alertsAbout(hash).length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const counts = hashes.map((hash) => alertsAbout(hash).length);
    expect(counts.every((count) => count >= 1)).toBe(true);
    // Note: the one window for a repeat is a kill between Telegram's answer and the commit of "sent".
    const repeatedMessages = new Set(hashes.flatMap((hash) => alertsAbout(hash).slice(1).map((message) => message.messageId)));
    expect(repeatedMessages.size).toBeLessThanOrEqual(1);
    expect(telegram.violations().filter((violation) => violation.time >= burstStart)).toEqual([]);
    rule();
  });

  it('behavior: a chat that blocked the bot has its alerts paused, not retried forever', { timeout: 60_000 }, async () => {
    telegram.blockBot(GROUP.id, { notify: false });
    const buy = await world.buyWithEth(whale, world.meme, parseEther('0.2'));
    await mined(buy);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const attempts = telegram.callLog.filter((call) => call.method === 'sendMessage' && call.status === 403).length;
    expect(attempts).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(telegram.callLog.filter((call) => call.method === 'sendMessage' && call.status === 403).length).toBe(attempts);
    await lookout.waitFor(/destination refuses alerts; pausing it/);

    telegram.unblockBot(GROUP.id, { notify: true });
    const deadline = Date.now() + 30_000;
    while (alertsAbout(buy).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alertsAbout(buy)).toHaveLength(1);
  });
});
