/**
 * The full chaos run: many SIGKILLs of `lookout run` at chosen moments during a trading run on anvil, then the
 * same behind an RPC that fails 30% of its calls with long hangs, then Telegram and Discord answering 429 for a
 * long stretch while killed during delivery; prints missed, repeated and wrong alerts. On the embedded database,
 * and (kills and RPC faults) on Postgres too when DATABASE_URL is set. Exits 1 when a promise is broken.
 *
 * Run: npm run chaos      (TRADES, KILLS and SEED override the sizes)
 */
import { formatChaosReport, runChaos, type ChaosReport } from './runChaos.js';

const trades = Number(process.env.TRADES ?? 100);
const kills = Number(process.env.KILLS ?? 20);
const seed = Number(process.env.SEED ?? 17);
const progress = (line: string) => console.log(`  ${line}`);

const databases = process.env.DATABASE_URL ? [undefined, process.env.DATABASE_URL] : [undefined];
let failed = false;
for (const url of databases) {
  if (url) process.env.DATABASE_URL = url;
  else delete process.env.DATABASE_URL;
  const runs: [string, ChaosReport][] = [
    ['kills', await runChaos({ trades, kills, seed, progress })],
    ['rpc faults', await runChaos({ trades: Math.ceil(trades / 2), kills: 0, rpcFaultRate: 0.3, rpcHangMs: 20_000, seed, progress })],
    ...(url
      ? []
      : ([
          ['telegram', await runChaos({ platform: 'telegram', trades: 30, kills: 6, moments: ['alert', 'random'], rateLimitStorm: 12, seed, progress })],
          ['discord', await runChaos({ platform: 'discord', trades: 30, kills: 6, moments: ['alert', 'random'], rateLimitStorm: 12, seed, progress })],
        ] as [string, ChaosReport][])),
  ];
  for (const [name, report] of runs) {
    console.log(formatChaosReport(name, report));
    const killed = report.kills.alert + report.kills.block + report.kills.catchup + report.kills.random > 0;
    const tooManyRepeats =
      report.repeated.length > report.inFlightAtKills || (!killed && report.repeated.length > 0) || (report.platform === 'discord' && report.repeated.length > 0);
    if (report.missed.length > 0 || report.wrong.length > 0 || report.corrections > 0 || tooManyRepeats) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
