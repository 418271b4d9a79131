import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../support/testDatabase.js';
import { formatChaosReport, runChaos } from './runChaos.js';

// Note: the embedded database allows one process, so several instances run on the Postgres of DATABASE_URL only (CI sets it).
describe.skipIf(!postgresUrl)('several lookout run on one Postgres', () => {
  it('behavior: three instances while the chain follower is SIGKILLed again and again: every alert once, the chain taken over within 15 s each time', { timeout: 240_000 }, async () => {
    const report = await runChaos({ trades: 12, kills: 3, instances: 3, moments: ['alert', 'block', 'random'], seed: 5 });
    console.log(formatChaosReport('three instances', report));
    expect(report.missed).toEqual([]);
    expect(report.wrong).toEqual([]);
    expect(report.corrections).toBe(0);
    // Note: an alert handed to the console just before a kill, and not yet marked sent, is the one repeat allowed.
    expect(report.repeated.length).toBeLessThanOrEqual(report.inFlightAtKills);
    expect(report.takeoverMs).toHaveLength(3);
    for (const ms of report.takeoverMs) expect(ms).toBeLessThan(15_000);
  });
});
