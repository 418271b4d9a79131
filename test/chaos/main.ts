/**
 * The full chaos run: many SIGKILLs of `lookout run` at chosen moments during a trading run on anvil, then the
 * same behind an RPC that fails 30% of its calls with long hangs, then Telegram and Discord answering 429 for a
 * long stretch while killed during delivery; prints missed, repeated and wrong alerts. On the embedded database,
 * and (kills and RPC faults) on Postgres too when DATABASE_URL is set. Exits 1 when a promise is broken.
 *
 * Run: npm run chaos      (TRADES, KILLS and SEED change the sizes; CHAOS_ONLY=kills,telegram picks scenarios)
 */
import { formatChaosReport, runChaos, type ChaosOptions, type ChaosReport } from './runChaos.js';

const trades = Number(process.env.TRADES ?? 100);
const kills = Number(process.env.KILLS ?? 20);
const seed = Number(process.env.SEED ?? 17);
const only = process.env.CHAOS_ONLY?.split(',');
const progress = (line: string) => console.log(`  ${line}`);

const scenarios: { name: string; postgres: boolean; options: ChaosOptions }[] = [
  { name: 'kills', postgres: true, options: { trades, kills, seed, progress } },
  { name: 'rpc faults', postgres: true, options: { trades: Math.ceil(trades / 2), kills: 0, rpcFaultRate: 0.3, rpcHangMs: 20_000, seed, progress } },
  { name: 'telegram', postgres: false, options: { platform: 'telegram', trades: 30, kills: 6, moments: ['alert', 'random'], rateLimitStorm: 12, seed, progress } },
  { name: 'discord', postgres: false, options: { platform: 'discord', trades: 30, kills: 6, moments: ['alert', 'random'], rateLimitStorm: 12, seed, progress } },
];

/** Whether a report keeps the promise: nothing missed or wrong, a repeat only for a kill mid-send, none on Discord. */
function broken(report: ChaosReport): boolean {
  const killed = Object.values(report.kills).some((count) => count > 0);
  return (
    report.missed.length > 0 ||
    report.wrong.length > 0 ||
    report.corrections > 0 ||
    report.repeated.length > report.inFlightAtKills ||
    (!killed && report.repeated.length > 0) ||
    (report.platform === 'discord' && report.repeated.length > 0)
  );
}

let failed = false;
const servers: (string | null)[] = [null, ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])];
for (const postgresUrl of servers) {
  for (const scenario of scenarios) {
    if (only && !only.includes(scenario.name)) continue;
    if (postgresUrl && !scenario.postgres) continue;
    const report = await runChaos({ ...scenario.options, postgresUrl });
    console.log(formatChaosReport(scenario.name, report));
    if (broken(report)) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
