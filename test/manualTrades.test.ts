import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineEnv, runCli, tempFolder } from './support/lookoutProcess.js';

describe('lookout trade on the command line', () => {
  const cwd = tempFolder();
  const env = offlineEnv({ LOOKOUT_DATA_DIR: path.join(cwd, 'data') });
  const lookout = (...args: string[]) => runCli(args, { env, cwd });

  it('behavior: a manual wallet, buy 2 at 10, sell 1 at 15, buy 1 at 30: realized +5 by FIFO and average, a CSV, and remove', { timeout: 120_000 }, async () => {
    expect((await lookout('track', '--manual', 'desk')).code).toBe(0);
    const first = await lookout('trade', 'add', 'buy', '2', 'ETH', '--for', '20', 'USD', '--at', '2024-01-01T00:00:00Z', '--wallet', 'desk', '--json');
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ wallet: 'desk', side: 'buy', symbol: 'ETH', amount: '2', usdValue: '20' });
    expect((await lookout('trade', 'add', 'sell', '1', 'ETH', '--for', '15 USD', '--at', '2024-01-02T00:00:00Z')).code).toBe(0);
    const third = await lookout('trade', 'add', 'buy', '1', 'ETH', '--for', '30', 'USD', '--fee', '0.5', 'USD', '--at', '2024-01-03T00:00:00Z', '--note', 'otc, desk');
    expect(third.stdout).toMatch(/#3: BUY 1 ETH for 30 USD, fee 0\.5 USD on desk \[manual\]/);
    for (const method of ['fifo', 'average']) {
      const report = JSON.parse((await lookout('pnl', '--json', '--method', method)).stdout);
      expect(report, method).toMatchObject({ realizedUsd: '5.00', proceedsUsd: '15.00', investedUsd: '50.00' });
    }
    const csv = await lookout('trades', '--csv');
    expect(csv.stdout.split('\r\n')).toEqual([
      'date,chain,tx,wallet,kind,manual,amount,symbol,quote_amount,quote_symbol,usd_value,fee,fee_symbol,fee_usd,realized_pnl_usd,unknown_cost_proceeds_usd,note',
      '2024-01-01T00:00:00.000Z,manual,manual-1,desk,buy,yes,2,ETH,20,USD,20,,,,,,',
      '2024-01-02T00:00:00.000Z,manual,manual-2,desk,sell,yes,1,ETH,15,USD,15,,,,5.00,0.00,',
      '2024-01-03T00:00:00.000Z,manual,manual-3,desk,buy,yes,1,ETH,30,USD,30,0.5,USD,0.5,,,"otc, desk"',
      '',
    ]);
    expect((await lookout('trade', 'remove', '2')).stdout).toMatch(/Manual trade #2 is removed/);
    const after = JSON.parse((await lookout('pnl', '--json')).stdout);
    expect(after).toMatchObject({ realizedUsd: '0.00', proceedsUsd: '0.00', investedUsd: '50.00' });
    const again = await lookout('trade', 'remove', '2');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/There is no manual trade #2 in this workspace/);
  });
});
