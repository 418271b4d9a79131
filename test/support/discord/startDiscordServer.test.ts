import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ApplicationCommandDataResolvable,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDiscordServer, type DiscordServer } from './startDiscordServer.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.simulated.bot-token';
const GUILD = '1100000000000000001';
const ALERTS = '1100000000000000011';
const GONE = '1100000000000000012';
const LOCKED = '1100000000000000013';
const CATEGORY = '1100000000000000014';
const MEMBER = { id: '1100000000000000101', username: 'trader' };
// Bytes that break any text-mode handling: a PNG signature, NULs, CR LF and 0xff.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0, 13, 10, 255]), randomBytes(8192)]);

const COMMANDS: ApplicationCommandDataResolvable[] = [
  {
    name: 'track',
    description: 'Track a wallet',
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
    options: [
      { type: ApplicationCommandOptionType.String, name: 'address', description: 'Wallet address', required: true },
      { type: ApplicationCommandOptionType.String, name: 'label', description: 'A name for it' },
      {
        type: ApplicationCommandOptionType.String,
        name: 'chain',
        description: 'Chain',
        choices: [
          { name: 'Base', value: 'base' },
          { name: 'Solana', value: 'solana' },
        ],
      },
    ],
  },
  {
    name: 'pnl',
    description: 'Profit and loss',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'target', description: 'Wallet or group', required: true, autocomplete: true },
      { type: ApplicationCommandOptionType.Integer, name: 'window', description: 'Days' },
    ],
  },
  {
    name: 'alerts',
    description: 'Alert routing',
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'route',
        description: 'Send alerts to a channel',
        options: [
          { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'Where', required: true, channelTypes: [ChannelType.GuildText] },
          { type: ApplicationCommandOptionType.Number, name: 'min_usd', description: 'Smallest trade' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'List routes' },
    ],
  },
];

let server: DiscordServer;
let client: Client;

/** Runs `handler` on the next interaction the client emits; resolves when it is done. */
function handleNext(handler: (interaction: Interaction) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => void handler(interaction).then(() => resolve(), reject));
  });
}

function textChannel(id: string): TextChannel {
  const channel = client.channels.cache.get(id);
  if (channel?.type !== ChannelType.GuildText) throw new Error(`channel ${id} is not a cached text channel`);
  return channel;
}

beforeAll(async () => {
  server = await startDiscordServer({ token: TOKEN, timeoutMs: 3000 });
  server.guild(GUILD, {
    name: 'Trading desk',
    channels: [
      { id: ALERTS, name: 'alerts' },
      { id: GONE, name: 'old-alerts' },
      { id: LOCKED, name: 'locked' },
      { id: CATEGORY, name: 'Bots', type: ChannelType.GuildCategory },
    ],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiUrl } });
  const ready = once(client, Events.ClientReady);
  await client.login(TOKEN);
  await ready;
  await client.application?.commands.set(COMMANDS, GUILD);
});

afterAll(async () => {
  await client?.destroy();
  await server?.stop();
});

describe('startDiscordServer: gateway', () => {
  it('behavior: the client logs in, turns ready and caches the guild, its channels and the bot member', async () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(server.applicationId);
    expect(client.application?.id).toBe(server.applicationId);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Trading desk');
    expect(guild?.available).toBe(true);
    expect(textChannel(ALERTS).name).toBe('alerts');
    expect(client.channels.cache.get(CATEGORY)?.type).toBe(ChannelType.GuildCategory);
    expect(guild?.members.me?.permissionsIn(ALERTS).has(PermissionFlagsBits.AttachFiles)).toBe(true);
    const [connection] = server.gatewayConnections();
    expect(connection).toMatchObject({ path: '/gateway', outcome: 'identified', intents: GatewayIntentBits.Guilds });
    expect(server.requests.some((request) => request.route === 'GET /gateway/bot' && request.status === 200)).toBe(true);
  });

  it('behavior: a guild defined after ready arrives as guildCreate', async () => {
    const joined = once(client, Events.GuildCreate);
    server.guild('1100000000000000002', { name: 'Second desk', channels: [{ id: '1100000000000000021', name: 'general' }] });
    const [guild] = await joined;
    expect(guild).toMatchObject({ id: '1100000000000000002', name: 'Second desk' });
    expect(client.channels.cache.has('1100000000000000021')).toBe(true);
  });

  it('error: a wrong token is refused at login, as Discord refuses it', async () => {
    const intruder = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiUrl } });
    try {
      await expect(intruder.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    } finally {
      await intruder.destroy();
    }
  });
});

describe('startDiscordServer: commands', () => {
  it('behavior: a guild bulk overwrite is recorded and returned with ids', () => {
    const registered = server.registeredCommands(GUILD);
    expect(registered.map((command) => command.name)).toEqual(['track', 'pnl', 'alerts']);
    expect(registered.find((command) => command.name === 'track')?.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    // Note: commands set through client.application.commands are cached there, guild ones included.
    const cached = client.application?.commands.cache.filter((command) => command.guildId === GUILD);
    expect([...(cached?.keys() ?? [])].sort()).toEqual(registered.map((command) => command.id).sort());
    expect(server.registeredCommands()).toEqual([]);
  });

  it('behavior: overwriting again keeps the ids of commands that stay', async () => {
    const before = server.registeredCommands(GUILD);
    await client.application?.commands.set(COMMANDS, GUILD);
    expect(server.registeredCommands(GUILD).map((command) => command.id)).toEqual(before.map((command) => command.id));
  });

  it('error: a command Discord would refuse is refused with 50035 Invalid Form Body', async () => {
    const bad = client.application?.commands.set(
      [{ name: 'Track', description: 'Upper case is not allowed', options: [] }, { name: 'pnl', description: '' }],
      GUILD,
    );
    await expect(bad).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(bad).rejects.toMatchObject({ code: 50035, status: 400 });
    await expect(bad).rejects.toThrow(/0\.name\[APPLICATION_COMMAND_INVALID_NAME\]/);
    expect(server.registeredCommands(GUILD)).toHaveLength(3);
  });
});

describe('startDiscordServer: interactions', () => {
  it('behavior: a slash command arrives as a ChatInputCommandInteraction and its ephemeral reply is recorded', async () => {
    let seen: Record<string, unknown> = {};
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`not a chat input command: ${interaction.type}`);
      seen = {
        command: interaction.commandName,
        address: interaction.options.getString('address'),
        label: interaction.options.getString('label'),
        chain: interaction.options.getString('chain'),
        manageGuild: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild),
        guild: interaction.guild?.name,
        channel: interaction.channel?.id,
        user: interaction.user.username,
        commandCached: interaction.command?.name,
      };
      await interaction.reply({ content: 'You need Manage Server to track wallets.', flags: MessageFlags.Ephemeral });
    });
    const sent = await server.sendInteraction({
      guildId: GUILD,
      channelId: ALERTS,
      user: MEMBER,
      memberPermissions: '0',
      commandName: 'track',
      options: [
        { name: 'address', value: '0x1111111111111111111111111111111111111111' },
        { name: 'chain', value: 'base' },
      ],
    });
    await handled;
    expect(seen).toEqual({
      command: 'track',
      address: '0x1111111111111111111111111111111111111111',
      label: null,
      chain: 'base',
      manageGuild: false,
      guild: 'Trading desk',
      channel: ALERTS,
      user: 'trader',
      commandCached: 'track',
    });
    const callback = await sent.callback();
    expect(callback).toMatchObject({ kind: 'callback', type: 4, ephemeral: true });
    expect(callback.data?.['content']).toBe('You need Manage Server to track wallets.');
    expect(await sent.replies(1)).toHaveLength(1);
  });

  it('behavior: memberPermissions reflects the bitfield sent, and a follow-up is recorded after the reply', async () => {
    let manageGuild: boolean | undefined;
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
      manageGuild = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild);
      await interaction.reply('Tracking 0x1111…1111 on Base.');
      await interaction.followUp({ content: 'Alerts go to #alerts.', flags: MessageFlags.Ephemeral });
    });
    const sent = await server.sendInteraction({
      guildId: GUILD,
      channelId: ALERTS,
      user: MEMBER,
      memberPermissions: String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages),
      commandName: 'track',
      options: [{ name: 'address', value: '0x1111111111111111111111111111111111111111' }],
    });
    await handled;
    expect(manageGuild).toBe(true);
    const [reply, followUp] = await sent.replies(2);
    expect(reply).toMatchObject({ kind: 'callback', type: 4, ephemeral: false, data: { content: 'Tracking 0x1111…1111 on Base.' } });
    expect(followUp).toMatchObject({ kind: 'followUp', ephemeral: true, data: { content: 'Alerts go to #alerts.' } });
  });

  it('behavior: subcommand options are nested as Discord nests them, with the channel resolved', async () => {
    let seen: Record<string, unknown> = {};
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
      seen = {
        subcommand: interaction.options.getSubcommand(),
        channel: interaction.options.getChannel('channel')?.id,
        minUsd: interaction.options.getNumber('min_usd'),
      };
      await interaction.reply({ content: 'Routed.', flags: MessageFlags.Ephemeral });
    });
    const sent = await server.sendInteraction({
      guildId: GUILD,
      channelId: ALERTS,
      user: MEMBER,
      commandName: 'alerts',
      subcommand: 'route',
      options: [
        { name: 'channel', value: ALERTS },
        { name: 'min_usd', value: 250.5 },
      ],
    });
    await handled;
    expect(seen).toEqual({ subcommand: 'route', channel: ALERTS, minUsd: 250.5 });
    expect(sent.payload.data).toMatchObject({
      name: 'alerts',
      type: 1,
      options: [{ name: 'route', type: 1, options: [{ name: 'channel', type: 7, value: ALERTS }, { name: 'min_usd', type: 10, value: 250.5 }] }],
    });
  });

  it('error: an interaction Discord could not send is refused before it is dispatched', async () => {
    const base = { guildId: GUILD, channelId: ALERTS, user: MEMBER };
    await expect(server.sendInteraction({ ...base, commandName: 'alerts', options: [] })).rejects.toThrow(/needs a subcommand: one of route, list/);
    await expect(server.sendInteraction({ ...base, commandName: 'track', options: [{ name: 'chain', value: 'base' }] })).rejects.toThrow(
      /required option 'address' is missing/,
    );
    await expect(
      server.sendInteraction({ ...base, commandName: 'track', options: [{ name: 'address', value: '0x1' }, { name: 'chain', value: 'eth' }] }),
    ).rejects.toThrow(/one of "base", "solana"/);
    await expect(server.sendInteraction({ ...base, commandName: 'pnl', options: [{ name: 'target', value: 7 }] })).rejects.toThrow(/takes a string/);
  });

  it('behavior: a deferred reply edited with an embed and a PNG arrives with the bytes intact', async () => {
    let edited: { attachmentUrl: string | undefined; size: number | undefined } = { attachmentUrl: undefined, size: undefined };
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
      await interaction.deferReply();
      const message = await interaction.editReply({
        embeds: [new EmbedBuilder().setTitle('PnL · whale · 30d').setColor(0x2ecc71).setImage('attachment://pnl.png')],
        files: [new AttachmentBuilder(PNG, { name: 'pnl.png' })],
      });
      const attachment = message.attachments.first();
      edited = { attachmentUrl: attachment?.url, size: attachment?.size };
    });
    const sent = await server.sendInteraction({
      guildId: GUILD,
      channelId: ALERTS,
      user: MEMBER,
      commandName: 'pnl',
      options: [{ name: 'target', value: 'whale' }, { name: 'window', value: 30 }],
    });
    await handled;
    const [deferral, edit] = await sent.replies(2);
    expect(deferral).toMatchObject({ kind: 'callback', type: 5, ephemeral: false });
    expect(edit).toMatchObject({ kind: 'edit', original: true });
    expect(edit?.data?.['embeds']).toEqual([{ title: 'PnL · whale · 30d', color: 0x2ecc71, image: { url: 'attachment://pnl.png' } }]);
    expect(edit?.files).toHaveLength(1);
    expect(edit?.files[0]).toMatchObject({ field: 'files[0]', filename: 'pnl.png', contentType: 'image/png' });
    expect(edit?.files[0]?.bytes.equals(PNG)).toBe(true);
    expect(edited.size).toBe(PNG.length);
    const served = Buffer.from(await (await fetch(edited.attachmentUrl ?? '')).arrayBuffer());
    expect(served.equals(PNG)).toBe(true);
  });

  it('behavior: an autocomplete request carries the focused text and its answer is recorded', async () => {
    let focused: unknown;
    const handled = handleNext(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('not an autocomplete interaction');
      focused = interaction.options.getFocused(true);
      await interaction.respond([
        { name: 'whale (0x1111…1111)', value: 'whale' },
        { name: 'whales group', value: 'group:whales' },
      ]);
    });
    const sent = await server.sendInteraction({
      type: 4,
      guildId: GUILD,
      channelId: ALERTS,
      user: MEMBER,
      commandName: 'pnl',
      options: [{ name: 'target', value: 'wha', focused: true }],
    });
    await handled;
    expect(focused).toMatchObject({ name: 'target', value: 'wha', focused: true });
    const callback = await sent.callback();
    expect(callback).toMatchObject({ type: 8, data: { choices: [{ name: 'whale (0x1111…1111)', value: 'whale' }, { value: 'group:whales' }] } });
  });

  it('error: an autocomplete answer with more than 25 choices is refused with 50035', async () => {
    let failure: unknown;
    const handled = handleNext(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('not an autocomplete interaction');
      const choices = Array.from({ length: 26 }, (_, index) => ({ name: `wallet ${index}`, value: `w${index}` }));
      failure = await interaction.respond(choices).catch((error: unknown) => error);
    });
    await server.sendInteraction({
      type: 4,
      guildId: GUILD,
      channelId: ALERTS,
      user: MEMBER,
      commandName: 'pnl',
      options: [{ name: 'target', value: '', focused: true }],
    });
    await handled;
    expect(failure).toBeInstanceOf(DiscordAPIError);
    expect(failure).toMatchObject({ code: 50035 });
  });

  it('behavior: a button on a bot message arrives as a ButtonInteraction on that message', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('pnl:whale').setLabel('PnL').setStyle(ButtonStyle.Primary),
    );
    const alert = await textChannel(ALERTS).send({ content: 'whale bought', components: [row] });
    let seen: Record<string, unknown> = {};
    const handled = handleNext(async (interaction) => {
      if (!interaction.isButton()) throw new Error('not a button');
      seen = { customId: interaction.customId, message: interaction.message.id };
      await interaction.reply({ content: 'PnL for whale', flags: MessageFlags.Ephemeral });
    });
    const sent = await server.sendInteraction({ type: 3, guildId: GUILD, channelId: ALERTS, user: MEMBER, customId: 'pnl:whale' });
    await handled;
    expect(seen).toEqual({ customId: 'pnl:whale', message: alert.id });
    expect(sent.payload.type).toBe(InteractionType.MessageComponent);
    expect(await sent.callback()).toMatchObject({ type: 4, ephemeral: true });
  });

  it('behavior: a reply with a file goes out as multipart and is recorded with its bytes', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
      await interaction.reply({ content: 'Chart', files: [new AttachmentBuilder(PNG, { name: 'pnl.png' })] });
    });
    const sent = await server.sendInteraction({ guildId: GUILD, channelId: ALERTS, user: MEMBER, commandName: 'pnl', options: [{ name: 'target', value: 'whale' }] });
    await handled;
    const callback = await sent.callback();
    expect(callback).toMatchObject({ type: 4, data: { content: 'Chart', attachments: [{ id: '0' }] } });
    expect(callback.files[0]?.bytes.equals(PNG)).toBe(true);
    const request = server.requests.find((entry) => entry.path.startsWith(`/interactions/${sent.id}/`));
    expect(request).toMatchObject({ fileCount: 1, status: 204 });
  });

  it('error: a second callback for one interaction answers 40060', async () => {
    let second: unknown;
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
      await interaction.reply('first');
      second = await client.rest
        .post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'again' } }, auth: false })
        .catch((error: unknown) => error);
    });
    await server.sendInteraction({ guildId: GUILD, channelId: ALERTS, user: MEMBER, commandName: 'alerts', subcommand: 'list' });
    await handled;
    expect(second).toMatchObject({ code: 40060 });
  });
});

describe('startDiscordServer: channel messages', () => {
  it('behavior: channel.send records embeds and answers with a message by the bot', async () => {
    const embed = new EmbedBuilder()
      .setTitle('BUY · whale')
      .setColor(0x2ecc71)
      .addFields({ name: 'Amount', value: '1.5 WETH', inline: true }, { name: 'USD', value: '$4,500.00', inline: true })
      .setTimestamp(new Date('2025-01-02T03:04:05Z'));
    const message = await textChannel(ALERTS).send({ embeds: [embed] });
    expect(message.author.id).toBe(client.user?.id);
    expect(message.embeds[0]?.title).toBe('BUY · whale');
    const recorded = server.channelMessages(ALERTS).at(-1);
    expect(recorded).toMatchObject({ id: message.id, channelId: ALERTS, interaction: null });
    expect(recorded?.embeds).toEqual([embed.toJSON()]);
  });

  it('behavior: a second send with the same nonce and enforceNonce answers the first message instead of posting again', async () => {
    const before = server.channelMessages(ALERTS).length;
    const first = await textChannel(ALERTS).send({ content: 'once', nonce: 'lookout-a42', enforceNonce: true });
    const again = await textChannel(ALERTS).send({ content: 'once', nonce: 'lookout-a42', enforceNonce: true });
    expect(again.id).toBe(first.id);
    expect(server.channelMessages(ALERTS).length).toBe(before + 1);
    // Without enforce_nonce Discord does not deduplicate.
    const unenforced = await textChannel(ALERTS).send({ content: 'twice', nonce: 'lookout-a42' });
    expect(unenforced.id).not.toBe(first.id);
  });

  it('error: a nonce longer than 25 characters is refused with 50035', async () => {
    await expect(textChannel(ALERTS).send({ content: 'x', nonce: 'n'.repeat(26), enforceNonce: true })).rejects.toMatchObject({ code: 50035 });
  });

  it('behavior: channel.send with files[n] keeps every file and its bytes', async () => {
    const csv = Buffer.from('time,usd\n1,2\n');
    await textChannel(ALERTS).send({
      content: 'export',
      files: [new AttachmentBuilder(PNG, { name: 'pnl.png' }), new AttachmentBuilder(csv, { name: 'trades.csv', description: 'All trades' })],
    });
    const recorded = server.channelMessages(ALERTS).at(-1);
    expect(recorded?.attachments.map((attachment) => [attachment.filename, attachment.description])).toEqual([
      ['pnl.png', null],
      ['trades.csv', 'All trades'],
    ]);
    expect(recorded?.attachments[0]?.bytes.equals(PNG)).toBe(true);
    expect(recorded?.attachments[1]?.bytes.equals(csv)).toBe(true);
  });

  it('error: an embed field Discord would refuse is refused with 50035', async () => {
    const send = textChannel(ALERTS).send({ embeds: [{ title: 'x', fields: [{ name: 'Venue', value: '' }] }] });
    await expect(send).rejects.toMatchObject({ code: 50035 });
    await expect(send).rejects.toThrow(/embeds\[0\]\.fields\[0\]\.value/);
  });

  it('behavior: a 429 is waited out by discord.js and the message arrives once', async () => {
    const before = server.channelMessages(ALERTS).length;
    const limit = server.rateLimitNext(`POST /channels/${ALERTS}/messages`, { retryAfter: 0.4 });
    await textChannel(ALERTS).send('after the rate limit');
    await limit.retried;
    expect(server.channelMessages(ALERTS)).toHaveLength(before + 1);
    expect(limit.limited).toMatchObject({ method: 'POST', path: `/channels/${ALERTS}/messages` });
    expect((limit.retriedAt ?? 0) - (limit.limited?.at ?? 0)).toBeGreaterThanOrEqual(400);
    const attempts = server.requests.filter((request) => request.path === `/channels/${ALERTS}/messages` && request.at >= (limit.limited?.at ?? 0));
    expect(attempts.map((request) => request.status)).toEqual([429, 200]);
  });

  it('behavior: a global 429 is waited out too', async () => {
    const limit = server.rateLimitNext('GET /channels/', { retryAfter: 0.3, global: true });
    const channel = (await client.rest.get(Routes.channel(ALERTS))) as { name: string };
    expect(channel.name).toBe('alerts');
    expect((limit.retriedAt ?? 0) - (limit.limited?.at ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('error: a deleted channel answers Unknown Channel (10003)', async () => {
    const channel = textChannel(GONE);
    const deleted = once(client, Events.ChannelDelete);
    server.deleteChannel(GONE);
    await deleted;
    expect(client.channels.cache.has(GONE)).toBe(false);
    const send = channel.send({ embeds: [{ title: 'SELL · whale' }] });
    await expect(send).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(send).rejects.toMatchObject({ code: 10003, status: 404 });
    await expect(client.channels.fetch(GONE)).rejects.toMatchObject({ code: 10003 });
  });

  it('error: a denied channel answers Missing Permissions (50013) until allowed again', async () => {
    const updated = once(client, Events.ChannelUpdate);
    server.denyChannel(LOCKED);
    await updated;
    const me = client.guilds.cache.get(GUILD)?.members.me;
    expect(me?.permissionsIn(LOCKED).has(PermissionFlagsBits.SendMessages)).toBe(false);
    await expect(textChannel(LOCKED).send('hello')).rejects.toMatchObject({ code: 50013, status: 403 });
    server.allowChannel(LOCKED, { silent: true });
    await textChannel(LOCKED).send('hello again');
    expect(server.channelMessages(LOCKED).map((message) => message.content)).toEqual(['hello again']);
  });

  it('error: a category is not a text channel (50008)', async () => {
    await expect(client.rest.post(Routes.channelMessages(CATEGORY), { body: { content: 'x' } })).rejects.toMatchObject({ code: 50008 });
  });
});

describe('startDiscordServer: reconnection', () => {
  it('behavior: after the gateway closes with 4000 the client resumes and gets what was dispatched meanwhile', async () => {
    const resumed = once(client, Events.ShardResume);
    server.closeGateway(4000);
    let answered = false;
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
      await interaction.reply({ content: 'still here', flags: MessageFlags.Ephemeral });
      answered = true;
    });
    // Sent while the socket is down: Discord keeps it for the session and replays it on resume.
    const sent = await server.sendInteraction({ guildId: GUILD, channelId: ALERTS, user: MEMBER, commandName: 'alerts', subcommand: 'list' });
    await resumed;
    await handled;
    expect(answered).toBe(true);
    expect(await sent.callback()).toMatchObject({ type: 4, data: { content: 'still here' } });
    const connections = server.gatewayConnections();
    expect(connections.at(-2)).toMatchObject({ outcome: 'identified', closeCode: 4000 });
    expect(connections.at(-1)).toMatchObject({ path: '/gateway-resume', outcome: 'resumed' });
  });

  it('behavior: after the gateway closes with 1000 the client identifies again and turns ready', async () => {
    const before = server.gatewayConnections().length;
    server.closeGateway(1000);
    await expect.poll(() => server.gatewayConnections().slice(before).some((c) => c.outcome === 'identified'), { timeout: 5000 }).toBe(true);
    const handled = handleNext(async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply('back');
    });
    const sent = await server.sendInteraction({ guildId: GUILD, channelId: ALERTS, user: MEMBER, commandName: 'alerts', subcommand: 'list' });
    await handled;
    expect(await sent.callback()).toMatchObject({ type: 4 });
  });

  it('behavior: no request hit a missing route or failed inside the server', () => {
    expect(server.requests.filter((request) => request.route === null || request.status >= 500)).toEqual([]);
  });
});
