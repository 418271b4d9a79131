import { describe, expect, it } from 'vitest';
import { formatChaosReport, runChaos } from './runChaos.js';

// The shortened form; `npm run chaos` runs the full one.
describe('chaos: chat platforms answering 429 for a long stretch while lookout run is killed during delivery', () => {
  it('behavior: on Telegram nothing is missed or wrong, and only the message in flight at a kill repeats', { timeout: 180_000 }, async () => {
    const report = await runChaos({ platform: 'telegram', trades: 10, kills: 3, moments: ['alert', 'random', 'alert'], rateLimitStorm: 4, seed: 3 });
    console.log(formatChaosReport('telegram', report));
    expect(report.missed).toEqual([]);
    expect(report.wrong).toEqual([]);
    expect(report.repeated.length).toBeLessThanOrEqual(report.inFlightAtKills);
  });

  it('behavior: on Discord the nonce makes a resend after a kill no repeat at all', { timeout: 180_000 }, async () => {
    const report = await runChaos({ platform: 'discord', trades: 10, kills: 3, moments: ['alert', 'random', 'alert'], rateLimitStorm: 4, seed: 4 });
    console.log(formatChaosReport('discord', report));
    expect(report.missed).toEqual([]);
    expect(report.wrong).toEqual([]);
    expect(report.repeated).toEqual([]);
  });
});
