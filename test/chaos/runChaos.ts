import { PermissionFlagsBits } from 'discord.js';
import { parseEther, type Address, type Hash } from 'viem';
import { startRpcFaultProxy, type RpcFault, type RpcFaultProxy } from '../support/evm/startRpcFaultProxy.js';
import { startLookout, type RunningLookout } from '../support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from '../support/prepareLocalChain.js';
import { startDiscordServer, type DiscordServer } from '../support/discord/startDiscordServer.js';
import { startTelegramServer, type TelegramServer } from '../support/telegram/startTelegramServer.js';
import { seededRandom } from '../support/seededRandom.js';

/** Where the alerts go: the console of `lookout run --json`, a Telegram group, or a Discord channel. */
export type ChaosPlatform = 'console' | 'telegram' | 'discord';

/** Where a SIGKILL lands: right at an alert line, just after a block with a trade, during a catch-up, or anywhere. */
export type KillMoment = 'alert' | 'block' | 'catchup' | 'random';

export type ChaosOptions = {
  platform?: ChaosPlatform;
  /** The Postgres server to run on; null for the embedded database. Default: DATABASE_URL. */
  postgresUrl?: string | null;
  /** The platform answers 429 to this many sends in a row, starting with the first kill. */
  rateLimitStorm?: number;
  /** Trades made on the chain during the run. */
  trades: number;
  /** SIGKILLs of `lookout run`, at the moments in `moments`, taken in turn. */
  kills: number;
  moments?: KillMoment[];
  /** Random faults in front of the RPC while trading: the share of calls that fail. */
  rpcFaultRate?: number;
  /** The longest hang of an RPC fault. */
  rpcHangMs?: number;
  seed?: number;
  /**
   * How many `lookout run` share the database (Postgres only): each kill then hits the instance following the
   * chain, and the report says how long the others took to take the chain over.
   */
  instances?: number;
  /** Progress lines, for the full form. */
  progress?: (line: string) => void;
};

/** What the alerts printed over every run amount to, against what the chain says happened. */
export type ChaosReport = {
  platform: ChaosPlatform;
  database: 'pglite' | 'postgres';
  trades: number;
  expectedAlerts: number;
  printedAlerts: number;
  missed: string[];
  /** Alerts printed more than once: one entry per extra copy. */
  repeated: string[];
  /** Alerts for a wallet the transaction did not touch, of the wrong kind, or corrections. */
  wrong: string[];
  corrections: number;
  kills: Record<KillMoment, number>;
  /** Alerts that a restart found in flight (handed to the console, not yet marked sent): the repeats allowed. */
  inFlightAtKills: number;
  rpcFaultsInjected: number;
  /** Seconds from a trade's block to its alert line, over the whole run. */
  latencyP50Ms: number;
  latencyMaxMs: number;
  /** With several instances: milliseconds from each kill of the chain's follower to another instance taking the chain over. */
  takeoverMs: number[];
};

type Alert = { type: string; tx: string; wallet: string; kind: string | null; at: number };
type Expected = { tx: Hash; wallet: string; kind: string | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const GROUP = { id: -1009001, type: 'supergroup' as const, title: 'Chaos' };
const ADMIN_TG = { id: 11, first_name: 'Ada', username: 'ada' };
const GUILD = '910000000000000001';
const CHANNEL = '910000000000000010';
const ADMIN_DC = { id: '810000000000000001', username: 'ada' };
const HASH = /0x[0-9a-f]{64}/;

/** The side of a chat platform the run needs: its environment, the workspace to track in, and the alerts it shows. */
type PlatformSide = {
  env: Record<string, string>;
  workspace: string;
  /** Once the first run is up: routes and the like. */
  setUp(run: RunningLookout): Promise<void>;
  /** Every alert shown so far; `labels` maps a label to its wallet. */
  seen(runs: RunningLookout[], labels: Map<string, string>): Alert[];
  /** From now on, the next `count` sends are answered 429. */
  storm(count: number): void;
  stop(): Promise<void>;
};

async function platformSide(platform: ChaosPlatform): Promise<PlatformSide> {
  if (platform === 'telegram') {
    const telegram: TelegramServer = await startTelegramServer();
    telegram.setMember(GROUP.id, ADMIN_TG.id, 'administrator');
    return {
      env: { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot },
      workspace: `telegram:${GROUP.id}`,
      setUp: (run) => run.waitFor(/telegram bot polling/, 'stderr', 60_000),
      seen: (_runs, labels) =>
        telegram.messages(GROUP.id).flatMap((message) => {
          const text = message.text ?? '';
          // A summary has one alert a line; a single alert names its wallet first and its transaction in the links.
          const rows = /^<b>\d+ new trades?<\/b>/.test(text) ? text.split('\n').slice(1) : [text];
          return rows.flatMap((row) => {
            const tx = row.match(HASH)?.[0];
            const label = row.match(/<b>(w\d+)<\/b>/)?.[1];
            const wallet = label && labels.get(label);
            if (!tx || !wallet) return [];
            return [{ type: /Correction|dropped by a reorg/.test(row) ? 'correction' : 'trade', tx, wallet, kind: null, at: message.time }];
          });
        }),
      storm: (count) => telegram.failNext('sendMessage', count, { error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 }),
      stop: () => telegram.stop(),
    };
  }
  if (platform === 'discord') {
    const discord: DiscordServer = await startDiscordServer();
    discord.guild(GUILD, { name: 'Chaos', channels: [{ id: CHANNEL, name: 'trades' }] });
    let routed = false;
    return {
      env: { DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: GUILD },
      workspace: `discord:${GUILD}`,
      async setUp(run) {
        await run.waitFor(/discord bot connected/, 'stderr', 60_000);
        if (routed) return;
        const sent = await discord.sendInteraction({
          guildId: GUILD,
          channelId: CHANNEL,
          user: ADMIN_DC,
          memberPermissions: String(PermissionFlagsBits.ManageGuild),
          commandName: 'alerts',
          subcommand: 'route',
          options: [{ name: 'channel', value: CHANNEL }],
        });
        await sent.replies(1, 30_000);
        routed = true;
      },
      seen: (_runs, labels) =>
        discord.channelMessages(CHANNEL).flatMap((message) =>
          message.embeds.flatMap((embed) => {
            const tx = embed.url?.match(HASH)?.[0];
            // The headline is `<icon> <label> <action>`, escaped for Discord: the label is the word that names a tracked wallet.
            const words = (embed.title ?? '').replaceAll('\\', '').split(/\s+/);
            const wallet = words.map((word) => labels.get(word)).find((found) => found !== undefined);
            if (!tx || !wallet) return [];
            return [{ type: embed.title?.includes('reorg') ? 'correction' : 'trade', tx, wallet, kind: null, at: message.at }];
          }),
        ),
      storm(count) {
        for (let i = 0; i < count; i++) discord.rateLimitNext(`POST /channels/${CHANNEL}/messages`, { retryAfter: 2 });
      },
      stop: () => discord.stop(),
    };
  }
  return {
    env: {},
    workspace: 'local',
    setUp: async () => {},
    seen: (runs) =>
      runs.flatMap((run) =>
        run.stdoutLines().flatMap(({ at, line }) => {
          const alert = parseAlert(line);
          return alert ? [{ ...alert, at }] : [];
        }),
      ),
    storm: () => {},
    stop: async () => {},
  };
}

/**
 * A trading run on anvil with six tracked wallets (some transactions touch two of them) while `lookout run` is
 * SIGKILLed at chosen moments and restarted, optionally behind an RPC that fails at random and a chat platform
 * that answers 429 for a long stretch. Counts missed, repeated and wrong alerts against the chain's receipts.
 * Embedded database, or Postgres when DATABASE_URL is set.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  // Note: seeded, so that a run's kill moments and trades repeat.
  const random = seededRandom(options.seed ?? 17);
  const platform = options.platform ?? 'console';
  const moments = options.moments ?? ['alert', 'block', 'catchup', 'random'];
  const progress = options.progress ?? (() => {});
  let proxy: RpcFaultProxy | undefined;
  const side = await platformSide(platform);
  const local: LocalChain = await prepareLocalChain({
    chain: async (_world, anvil) => {
      proxy = await startRpcFaultProxy(anvil.url);
      return { blockTimeMs: 300, maxBlockRange: 5, rpcUrls: [proxy.url] };
    },
    env: side.env,
    postgresUrl: options.postgresUrl,
  });
  const runs: RunningLookout[] = [];
  try {
    const { world } = local;
    const wallets = world.accounts.slice(0, 6) as Address[];
    const labels = new Map(wallets.map((wallet, i) => [`w${i}`, wallet.toLowerCase()]));
    for (const [i, wallet] of wallets.entries()) {
      const tracked = await local.lookout('track', wallet, '--label', `w${i}`, '--workspace', side.workspace);
      if (tracked.code !== 0) throw new Error(`track failed: ${tracked.stderr}`);
    }
    const instances = options.instances ?? 1;
    if (instances > 1 && !local.env.DATABASE_URL) throw new Error('several instances need Postgres (DATABASE_URL)');
    /** The run in each instance's slot, named lookout-<slot> when there are several. */
    const slots: RunningLookout[] = [];
    const start = (slot = 0) => {
      const name: Record<string, string> = instances > 1 ? { LOOKOUT_INSTANCE: `lookout-${slot}` } : {};
      const run = startLookout(['--json'], { env: { ...local.env, LOG_LEVEL: 'info', ...name }, cwd: local.cwd });
      runs.push(run);
      slots[slot] = run;
      return run;
    };
    const seen = () => side.seen(runs, labels);
    /** When each run took the chain's lease: `took the lease chain:<name>` lines with their log time. */
    const chainTakes = (run: RunningLookout) =>
      [...run.stderr().matchAll(/"time":(\d+)[^\n]*took the lease chain:/g)].map((match) => Number(match[1]));
    const follower = () =>
      slots
        .filter((each) => each.child.exitCode === null && each.child.signalCode === null)
        .map((each) => ({ run: each, at: chainTakes(each).at(-1) ?? 0 }))
        .sort((a, b) => b.at - a.at)[0]?.run;
    // A first run saves the cursor, so that every trade below is followed.
    const first = start();
    await first.waitFor(/starting to follow/, 'stderr', 60_000);
    await side.setUp(first);
    for (let slot = 1; slot < instances; slot++) await start(slot).waitFor(/Lookout is running/, 'stderr', 60_000);
    const takeoverMs: number[] = [];

    // Trading: buys, and swaps paid by one tracked wallet for another, at random pauses.
    const sent: { hash: Hash; kind: 'buy' | 'two'; from: Address; to: Address }[] = [];
    const blockTimes = new Map<string, number>();
    let tradingDone = false;
    const trading = (async () => {
      for (let i = 0; i < options.trades; i++) {
        const from = wallets[Math.floor(random() * wallets.length)]!;
        const two = i % 4 === 3;
        const to = two ? wallets[(wallets.indexOf(from) + 1 + Math.floor(random() * (wallets.length - 1))) % wallets.length]! : from;
        const amount = parseEther('0.001') * BigInt(1 + Math.floor(random() * 50));
        const hash = two ? await world.swapForTwo(from, to, world.meme, amount) : await world.buyWithEth(from, world.meme, amount);
        await world.publicClient.waitForTransactionReceipt({ hash });
        blockTimes.set(hash.toLowerCase(), Date.now());
        sent.push({ hash, kind: two ? 'two' : 'buy', from, to });
        await sleep(100 + random() * 500);
      }
      tradingDone = true;
    })();
    const faults =
      options.rpcFaultRate && proxy
        ? proxy.chaos({
            rate: options.rpcFaultRate,
            random,
            faults: [
              { type: 'http_status', status: 500 },
              { type: 'http_status', status: 429 },
              { type: 'malformed' },
              { type: 'rpc_error', code: -32603 },
              { type: 'null_result' },
              { type: 'drop' },
              { type: 'hang', ms: options.rpcHangMs ?? 3_000 },
            ] satisfies RpcFault[],
          })
        : undefined;
    if (options.rateLimitStorm) side.storm(options.rateLimitStorm);

    // Kills, each at its moment; the first run is the first victim.
    const kills: Record<KillMoment, number> = { alert: 0, block: 0, catchup: 0, random: 0 };
    let run = first;
    for (let k = 0; k < options.kills; k++) {
      const moment = moments[k % moments.length]!;
      if (instances > 1) run = follower() ?? run;
      const alertsBefore = seen().length;
      const tradesBefore = sent.length;
      const deadline = Date.now() + 20_000;
      if (moment === 'alert') {
        while (seen().length === alertsBefore && Date.now() < deadline && run.child.exitCode === null) await sleep(5);
      } else if (moment === 'block') {
        while (sent.length === tradesBefore && Date.now() < deadline && !tradingDone) await sleep(10);
        await sleep(random() * 300);
      } else if (moment === 'catchup') {
        await run.waitFor(/Lookout is running/, 'stderr', 30_000).catch(() => {});
        await sleep(random() * 400);
      } else {
        await sleep(500 + random() * 4_000);
      }
      const killedAt = Date.now();
      await run.stop('SIGKILL');
      kills[moment]++;
      progress(`kill ${k + 1}/${options.kills} at ${moment}: ${seen().length} alerts shown, ${sent.length} trades so far`);
      const slot = slots.indexOf(run);
      if (instances > 1) {
        // Another instance takes the chain over once the killed one's lease runs out; only then is the killed one restarted.
        const takeoverBy = Date.now() + 30_000;
        let taken: number | undefined;
        while (taken === undefined && Date.now() < takeoverBy) {
          taken = slots.filter((each) => each !== run).flatMap(chainTakes).find((at) => at >= killedAt);
          if (taken === undefined) await sleep(100);
        }
        takeoverMs.push(taken === undefined ? Number.POSITIVE_INFINITY : taken - killedAt);
        start(slot);
        continue;
      }
      // Before a catch-up kill, trades pile up while Lookout is down.
      if (moments[(k + 1) % moments.length] === 'catchup') await sleep(2_000);
      run = start(slot);
      await side.setUp(run).catch(() => {});
    }
    await trading;
    faults?.remove();

    // Truth from the chain: which tracked wallets each transaction touched.
    const expected: Expected[] = [];
    const tracked = new Set(labels.values());
    for (const trade of sent) {
      const receipt = await world.publicClient.getTransactionReceipt({ hash: trade.hash });
      const touched = new Set<string>([receipt.from.toLowerCase()]);
      for (const log of receipt.logs) {
        for (const topic of log.topics.slice(1, 3)) if (topic) touched.add(`0x${topic.slice(26)}`.toLowerCase());
      }
      for (const wallet of touched) {
        if (tracked.has(wallet)) expected.push({ tx: trade.hash, wallet, kind: trade.kind === 'buy' ? 'buy' : null });
      }
    }
    const keyOf = (tx: string, wallet: string) => `${tx.toLowerCase()}|${wallet.toLowerCase()}`;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const shown = new Set(seen().map((alert) => keyOf(alert.tx, alert.wallet)));
      if (expected.every((entry) => shown.has(keyOf(entry.tx, entry.wallet)))) break;
      await sleep(200);
    }
    // Anything that would still repeat shows up in a short while more.
    await sleep(2_000);
    for (const each of slots) await each.stop('SIGTERM');

    const alerts = seen();
    const counts = new Map<string, number>();
    for (const alert of alerts) counts.set(keyOf(alert.tx, alert.wallet), (counts.get(keyOf(alert.tx, alert.wallet)) ?? 0) + 1);
    const expectedKeys = new Map(expected.map((entry) => [keyOf(entry.tx, entry.wallet), entry]));
    const missed = expected.filter((entry) => !counts.has(keyOf(entry.tx, entry.wallet))).map((entry) => keyOf(entry.tx, entry.wallet));
    const repeated = [...counts].flatMap(([key, count]) => Array.from({ length: count - 1 }, () => key));
    const wrong = alerts
      .filter((alert) => {
        const entry = expectedKeys.get(keyOf(alert.tx, alert.wallet));
        return alert.type !== 'trade' || !entry || (entry.kind !== null && alert.kind !== null && entry.kind !== alert.kind);
      })
      .map((alert) => `${alert.type} ${alert.kind ?? ''} ${keyOf(alert.tx, alert.wallet)}`);
    const inFlightAtKills = runs
      .flatMap((each) => [...each.stderr().matchAll(/resending (\d+) alerts that were in flight at a crash/g)])
      .reduce((sum, match) => sum + Number(match[1]), 0);
    const firstShown = new Map<string, number>();
    for (const alert of alerts) if (!firstShown.has(alert.tx.toLowerCase())) firstShown.set(alert.tx.toLowerCase(), alert.at);
    const latencies = [...firstShown]
      .flatMap(([tx, at]) => {
        const mined = blockTimes.get(tx);
        return mined ? [at - mined] : [];
      })
      .sort((a, b) => a - b);
    return {
      platform,
      database: local.env.DATABASE_URL ? 'postgres' : 'pglite',
      trades: sent.length,
      expectedAlerts: expected.length,
      printedAlerts: alerts.length,
      missed,
      repeated,
      wrong,
      corrections: alerts.filter((alert) => alert.type === 'correction').length,
      kills,
      inFlightAtKills,
      rpcFaultsInjected: faults?.fired() ?? 0,
      latencyP50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
      latencyMaxMs: latencies.at(-1) ?? 0,
      takeoverMs,
    };
  } finally {
    for (const each of runs) await each.stop('SIGKILL');
    await proxy?.stop();
    await side.stop();
    await local.cleanup();
  }
}

function parseAlert(line: string): Omit<Alert, 'at'> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as Omit<Alert, 'at'>;
    return typeof value.tx === 'string' && typeof value.wallet === 'string' ? value : null;
  } catch {
    // Note: a kill can cut the last line short; a cut line is no alert the user could read.
    return null;
  }
}

/** One line per figure, for the log of a run. */
export function formatChaosReport(name: string, report: ChaosReport): string {
  return [
    `chaos ${name} (${report.platform}, ${report.database}): ${report.trades} trades, ${report.expectedAlerts} alerts expected, ${report.printedAlerts} printed`,
    `  kills: ${Object.entries(report.kills).map(([moment, count]) => `${moment} ${count}`).join(', ')}; in flight at a kill: ${report.inFlightAtKills}`,
    `  missed ${report.missed.length}, repeated ${report.repeated.length}, wrong ${report.wrong.length}, corrections ${report.corrections}`,
    `  rpc faults injected: ${report.rpcFaultsInjected}; alert latency after its block: p50 ${report.latencyP50Ms} ms, max ${report.latencyMaxMs} ms`,
    ...(report.takeoverMs.length > 0 ? [`  takeover after each kill of the chain's follower: ${report.takeoverMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`] : []),
    ...report.missed.map((key) => `  missed ${key}`),
    ...report.repeated.map((key) => `  repeated ${key}`),
    ...report.wrong.map((key) => `  wrong ${key}`),
  ].join('\n');
}
