import { parseEther, type Address, type Hash } from 'viem';
import { startRpcFaultProxy, type RpcFault, type RpcFaultProxy } from '../support/evm/startRpcFaultProxy.js';
import { startLookout, type RunningLookout } from '../support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from '../support/prepareLocalChain.js';

/** Where a SIGKILL lands: right at an alert line, just after a block with a trade, during a catch-up, or anywhere. */
export type KillMoment = 'alert' | 'block' | 'catchup' | 'random';

export type ChaosOptions = {
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
  /** Progress lines, for the full form. */
  progress?: (line: string) => void;
};

/** What the alerts printed over every run amount to, against what the chain says happened. */
export type ChaosReport = {
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
};

type Alert = { type: string; tx: string; wallet: string; kind: string };
type Expected = { tx: Hash; wallet: string; kind: string | null };

/** A seeded generator, so that a run's kill moments and trades repeat. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A trading run on anvil with six tracked wallets (some transactions touch two of them) while `lookout run --json`
 * is SIGKILLed at chosen moments and restarted, optionally behind an RPC that fails at random. Counts missed,
 * repeated and wrong alerts against the chain's receipts. Embedded database, or Postgres when DATABASE_URL is set.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const random = mulberry32(options.seed ?? 17);
  const moments = options.moments ?? ['alert', 'block', 'catchup', 'random'];
  const progress = options.progress ?? (() => {});
  let proxy: RpcFaultProxy | undefined;
  const local: LocalChain = await prepareLocalChain({
    chain: async (_world, anvil) => {
      proxy = await startRpcFaultProxy(anvil.url);
      return { blockTimeMs: 300, maxBlockRange: 5, rpcUrls: [proxy.url] };
    },
  });
  const runs: RunningLookout[] = [];
  try {
    const { world } = local;
    const wallets = world.accounts.slice(0, 6) as Address[];
    for (const [i, wallet] of wallets.entries()) {
      const tracked = await local.lookout('track', wallet, '--label', `w${i}`);
      if (tracked.code !== 0) throw new Error(`track failed: ${tracked.stderr}`);
    }
    const start = () => {
      const run = startLookout(['--json'], { env: { ...local.env, LOG_LEVEL: 'info' }, cwd: local.cwd });
      runs.push(run);
      return run;
    };
    // A first run saves the cursor, so that every trade below is followed.
    const first = start();
    await first.waitFor(/starting to follow/, 'stderr', 60_000);

    // Trading: buys, and swaps paid by one tracked wallet for another, at random pauses.
    const sent: { hash: Hash; kind: 'buy' | 'two'; from: Address; to: Address }[] = [];
    const blockTimes = new Map<Hash, number>();
    let tradingDone = false;
    const trading = (async () => {
      for (let i = 0; i < options.trades; i++) {
        const from = wallets[Math.floor(random() * wallets.length)]!;
        const two = i % 4 === 3;
        const to = two ? wallets[(wallets.indexOf(from) + 1 + Math.floor(random() * (wallets.length - 1))) % wallets.length]! : from;
        const amount = parseEther('0.001') * BigInt(1 + Math.floor(random() * 50));
        const hash = two ? await world.swapForTwo(from, to, world.meme, amount) : await world.buyWithEth(from, world.meme, amount);
        await world.publicClient.waitForTransactionReceipt({ hash });
        blockTimes.set(hash, Date.now());
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

    // Kills, each at its moment; the first run is the first victim.
    const kills: Record<KillMoment, number> = { alert: 0, block: 0, catchup: 0, random: 0 };
    let run = first;
    for (let k = 0; k < options.kills; k++) {
      const moment = moments[k % moments.length]!;
      const alertsBefore = countAlerts(run.stdout());
      const tradesBefore = sent.length;
      const deadline = Date.now() + 20_000;
      if (moment === 'alert') {
        while (countAlerts(run.stdout()) === alertsBefore && Date.now() < deadline && run.child.exitCode === null) await sleep(5);
      } else if (moment === 'block') {
        while (sent.length === tradesBefore && Date.now() < deadline && !tradingDone) await sleep(10);
        await sleep(random() * 300);
      } else if (moment === 'catchup') {
        await run.waitFor(/Lookout is running/, 'stderr', 30_000).catch(() => {});
        await sleep(random() * 400);
      } else {
        await sleep(500 + random() * 4_000);
      }
      await run.stop('SIGKILL');
      kills[moment]++;
      progress(`kill ${k + 1}/${options.kills} at ${moment}: ${countAlerts(run.stdout())} alerts in that run, ${sent.length} trades so far`);
      // Before a catch-up kill, trades pile up while Lookout is down.
      if (moments[(k + 1) % moments.length] === 'catchup') await sleep(2_000);
      run = start();
    }
    await trading;
    faults?.remove();

    // Truth from the chain: which tracked wallets each transaction touched.
    const expected: Expected[] = [];
    const tracked = new Set(wallets.map((wallet) => wallet.toLowerCase()));
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
    const printed = () => runs.flatMap((each) => alertsIn(each.stdout()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const seen = new Set(printed().map((alert) => keyOf(alert.tx, alert.wallet)));
      if (expected.every((entry) => seen.has(keyOf(entry.tx, entry.wallet)))) break;
      await sleep(200);
    }
    // Anything that would still repeat shows up in a short while more.
    await sleep(2_000);
    await run.stop('SIGTERM');

    const alerts = printed();
    const counts = new Map<string, number>();
    for (const alert of alerts) counts.set(keyOf(alert.tx, alert.wallet), (counts.get(keyOf(alert.tx, alert.wallet)) ?? 0) + 1);
    const expectedKeys = new Map(expected.map((entry) => [keyOf(entry.tx, entry.wallet), entry]));
    const missed = expected.filter((entry) => !counts.has(keyOf(entry.tx, entry.wallet))).map((entry) => keyOf(entry.tx, entry.wallet));
    const repeated = [...counts].flatMap(([key, count]) => Array.from({ length: count - 1 }, () => key));
    const wrong = alerts
      .filter((alert) => {
        const entry = expectedKeys.get(keyOf(alert.tx, alert.wallet));
        return alert.type !== 'trade' || !entry || (entry.kind !== null && entry.kind !== alert.kind);
      })
      .map((alert) => `${alert.type} ${alert.kind} ${keyOf(alert.tx, alert.wallet)}`);
    const inFlightAtKills = runs
      .flatMap((each) => [...each.stderr().matchAll(/resending (\d+) alerts that were in flight at a crash/g)])
      .reduce((sum, match) => sum + Number(match[1]), 0);
    const latencies = runs
      .flatMap((each) => each.stdoutLines())
      .flatMap(({ at, line }) => {
        const alert = parseAlert(line);
        const mined = alert && blockTimes.get(alert.tx as Hash);
        return mined ? [at - mined] : [];
      })
      .sort((a, b) => a - b);
    return {
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
    };
  } finally {
    for (const each of runs) await each.stop('SIGKILL');
    await proxy?.stop();
    await local.cleanup();
  }
}

function parseAlert(line: string): Alert | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as Alert;
    return typeof value.tx === 'string' && typeof value.wallet === 'string' ? value : null;
  } catch {
    // Note: a kill can cut the last line short; a cut line is no alert the user could read.
    return null;
  }
}

function alertsIn(stdout: string): Alert[] {
  return stdout.split('\n').flatMap((line) => parseAlert(line) ?? []);
}

function countAlerts(stdout: string): number {
  return alertsIn(stdout).length;
}

/** One line per figure, for the log of a run. */
export function formatChaosReport(name: string, report: ChaosReport): string {
  return [
    `chaos ${name} (${report.database}): ${report.trades} trades, ${report.expectedAlerts} alerts expected, ${report.printedAlerts} printed`,
    `  kills: ${Object.entries(report.kills).map(([moment, count]) => `${moment} ${count}`).join(', ')}; in flight at a kill: ${report.inFlightAtKills}`,
    `  missed ${report.missed.length}, repeated ${report.repeated.length}, wrong ${report.wrong.length}, corrections ${report.corrections}`,
    `  rpc faults injected: ${report.rpcFaultsInjected}; alert latency after its block: p50 ${report.latencyP50Ms} ms, max ${report.latencyMaxMs} ms`,
    ...report.missed.map((key) => `  missed ${key}`),
    ...report.repeated.map((key) => `  repeated ${key}`),
    ...report.wrong.map((key) => `  wrong ${key}`),
  ].join('\n');
}
