import { PermissionFlagsBits } from 'discord.js';
import { parseEther, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordServer, type DiscordServer } from './support/discord/startDiscordServer.js';
import type { UniswapWorld } from './support/evm/deployUniswap.js';
import { runCli, startLookout, type RunningLookout } from './support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';

const GUILD = '900000000000000001';
const TRADES = '900000000000000010';
const DOOMED = '900000000000000011';
const ADMIN = { id: '800000000000000001', username: 'ada' };
const MEMBER = { id: '800000000000000002', username: 'bo' };
const MANAGE = String(PermissionFlagsBits.ManageGuild);

describe('Discord bot end to end through the real discord.js client', () => {
  let local: LocalChain;
  let world: UniswapWorld;
  let discord: DiscordServer;
  let lookout: RunningLookout;
  let env: Record<string, string>;
  let cwd: string;
  let whale: Address;
  const mined = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });
  const run = async (
    user: typeof ADMIN,
    commandName: string,
    options: { name: string; value: string | number; focused?: boolean }[] = [],
    extra: { subcommand?: string; type?: 2 | 4; permissions?: string; replies?: number } = {},
  ) => {
    const sent = await discord.sendInteraction({
      guildId: GUILD,
      channelId: TRADES,
      user,
      memberPermissions: extra.permissions ?? (user === ADMIN ? MANAGE : '0'),
      commandName,
      ...(extra.subcommand ? { subcommand: extra.subcommand } : {}),
      ...(extra.type ? { type: extra.type } : {}),
      options,
    });
    return sent.replies(extra.replies ?? 1, 30_000);
  };
  const embedsIn = (channelId: string) => discord.channelMessages(channelId).flatMap((message) => message.embeds);
  const waitForEmbed = async (channelId: string, tx: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = embedsIn(channelId).filter((embed) => embed.url?.includes(tx));
      if (found.length) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return [];
  };

  beforeAll(async () => {
    discord = await startDiscordServer();
    discord.guild(GUILD, {
      name: 'Whale Watchers',
      channels: [
        { id: TRADES, name: 'trades' },
        { id: DOOMED, name: 'doomed' },
      ],
    });
    local = await prepareLocalChain({
      env: { DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: GUILD },
    });
    ({ world, env, cwd } = local);
    whale = world.accounts[6]! as Address;
    lookout = startLookout([], { env, cwd });
    await lookout.waitFor(/discord bot connected/);
    await lookout.waitFor(/starting to follow/);
  }, 180_000);

  afterAll(async () => {
    await lookout?.stop();
    await discord?.stop();
    await local?.cleanup();
  });

  it('behavior: registers the slash commands at start and with lookout discord register', async () => {
    const names = discord.registeredCommands(GUILD).map((command) => command.name);
    expect(names).toEqual(expect.arrayContaining(['track', 'untrack', 'wallets', 'group', 'pnl', 'trades', 'trade', 'alerts', 'gas', 'exchange']));
    const track = discord.registeredCommands(GUILD).find((command) => command.name === 'track')!;
    expect(track.default_member_permissions).toBe(MANAGE);
    const result = await runCli(['discord', 'register'], { env, cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Registered 10 slash commands to guild/);
  });

  it('error: a member without Manage Server is refused, ephemerally, and nothing is tracked', { timeout: 60_000 }, async () => {
    const [reply] = await run(MEMBER, 'track', [{ name: 'address', value: whale }, { name: 'label', value: 'whale' }]);
    expect(reply).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(String(reply!.data?.content)).toMatch(/Manage Server/);
    const [wallets] = await run(MEMBER, 'wallets');
    expect(JSON.stringify(wallets!.data)).toMatch(/No wallets are tracked yet/);
  });

  it('behavior: a slash command gets its reply, and autocomplete answers from the guild\'s data', { timeout: 60_000 }, async () => {
    const [tracked] = await run(ADMIN, 'track', [{ name: 'address', value: whale }, { name: 'label', value: 'whale' }, { name: 'chain', value: 'localbase' }]);
    expect(tracked).toMatchObject({ kind: 'callback', ephemeral: false });
    expect(JSON.stringify(tracked!.data)).toMatch(/Tracking \*\*whale\*\*/);
    await run(ADMIN, 'group', [{ name: 'name', value: 'whales' }], { subcommand: 'create' });
    const [choices] = await run(ADMIN, 'untrack', [{ name: 'wallet', value: 'wh', focused: true }], { type: 4 });
    expect(choices!.data).toMatchObject({ choices: [{ name: 'whale', value: 'whale' }] });
    const [targets] = await run(MEMBER, 'pnl', [{ name: 'target', value: '', focused: true }], { type: 4 });
    expect((targets!.data as { choices: { name: string }[] }).choices.map((choice) => choice.name)).toEqual(['whales', 'whale']);
  });

  it('behavior: a trade on anvil arrives once as an embed in the routed channel, green for a buy, with a PnL button', { timeout: 60_000 }, async () => {
    const [routed] = await run(ADMIN, 'alerts', [{ name: 'channel', value: TRADES }], { subcommand: 'route' });
    expect(JSON.stringify(routed!.data)).toMatch(/Alerts of all wallets go to <#900000000000000010>/);
    const buy = await world.buyWithEth(whale, world.meme, parseEther('1'));
    await mined(buy);
    const found = await waitForEmbed(TRADES, buy);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(embedsIn(TRADES).filter((embed) => embed.url?.includes(buy))).toHaveLength(1);
    expect(found[0]).toMatchObject({ color: 0x2ecc71, url: `https://basescan.org/tx/${buy}` });
    expect(found[0]!.title).toMatch(/^🟢 whale BUY [\d,.]+ MEME for 1 ETH$/);
    expect(found[0]!.description).toContain(`🪙 MEME \`${world.meme.toLowerCase()}\``);
    expect(found[0]!.description).toContain('🆕 First buy');
    expect(found[0]!.fields?.map((field) => field.name)).toEqual(['USD', 'Price', 'Holding after', 'Chain', 'Venue']);
    const message = discord.channelMessages(TRADES).find((candidate) => candidate.embeds[0]?.url?.includes(buy))!;
    expect(JSON.stringify(message.components)).toContain(`pnl:${whale.toLowerCase()}`);
  });

  it('behavior: /pnl defers, then replies with an embed and the chart as an attachment', { timeout: 60_000 }, async () => {
    const sell = await world.sellForEth(whale, world.meme, parseEther('100'));
    await mined(sell);
    await waitForEmbed(TRADES, sell);
    const replies = await run(MEMBER, 'pnl', [{ name: 'target', value: 'whale' }, { name: 'window', value: '7d' }], { replies: 2 });
    expect(replies[0]).toMatchObject({ kind: 'callback', type: 5 });
    const edit = replies[1]!;
    expect(edit.kind).toBe('edit');
    expect(JSON.stringify(edit.data)).toMatch(/PnL · whale · 7d/);
    expect(edit.files[0]?.filename).toBe('pnl.png');
    expect(edit.files[0]!.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('behavior: a 429 is waited out by discord.js and the alert arrives once', { timeout: 60_000 }, async () => {
    const limit = discord.rateLimitNext(`POST /channels/${TRADES}/messages`, { retryAfter: 1 });
    const buy = await world.buyWithEth(whale, world.meme, parseEther('0.1'));
    await mined(buy);
    await waitForEmbed(TRADES, buy);
    await limit.retried;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(embedsIn(TRADES).filter((embed) => embed.url?.includes(buy))).toHaveLength(1);
  });

  it('behavior: a missing channel pauses its route and the next admin is told', { timeout: 60_000 }, async () => {
    await run(ADMIN, 'group', [{ name: 'group', value: 'whales' }, { name: 'wallet', value: 'whale' }], { subcommand: 'add' });
    await run(ADMIN, 'alerts', [{ name: 'channel', value: DOOMED }, { name: 'group', value: 'whales' }], { subcommand: 'route' });
    discord.deleteChannel(DOOMED, { silent: true });
    const buy = await world.buyWithEth(whale, world.meme, parseEther('0.2'));
    await mined(buy);
    await lookout.waitFor(/destination refuses alerts; pausing it/, 'stderr', 30_000);
    const attempts = () => discord.requests.filter((request) => request.path.includes(DOOMED) && request.method === 'POST').length;
    const before = attempts();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(attempts()).toBe(before);
    const [list] = await run(ADMIN, 'alerts', [], { subcommand: 'list' });
    expect(JSON.stringify(list!.data)).toMatch(/paused: the channel was deleted/);
    expect(JSON.stringify(list!.data)).toMatch(/Alerts to <#900000000000000011> are paused/);
  });
});
