import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEther, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixedPriceDesk } from './support/evm/deployFixedPriceDesk.js';
import { startLookout, type RunningLookout } from './support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';

describe('lookout pnl on a local chain', () => {
  let local: LocalChain;
  let running: RunningLookout;
  const lookout = (...args: string[]) => local.lookout(...args);

  beforeAll(async () => {
    // Note: snapshots every two seconds instead of hourly, so the value-over-time series fills during the test.
    local = await prepareLocalChain({ env: { LOOKOUT_SNAPSHOT_CRON: '*/2 * * * * *' } });
    const { world } = local;
    const desk = await deployFixedPriceDesk(world);
    const trader = world.accounts[5]! as Address;
    expect((await lookout('track', trader, '--label', 'trader')).code).toBe(0);
    running = startLookout(['--json'], { env: local.env, cwd: local.cwd });
    await running.waitFor(/starting to follow/);
    await world.publicClient.waitForTransactionReceipt({ hash: await world.fundToken(world.usdc, trader, parseUnits('1000', 6)) });
    const usdc = (amount: string) => parseUnits(amount, 6);
    await desk.trade(trader, world.usdc, usdc('100'), world.meme, parseEther('1000'));
    await desk.trade(trader, world.usdc, usdc('300'), world.meme, parseEther('1000'));
    const sell = await desk.trade(trader, world.meme, parseEther('1500'), world.usdc, usdc('600'));
    await running.waitFor(new RegExp(sell), 'stdout', 30_000);
  }, 180_000);

  afterAll(async () => {
    await running?.stop();
    await local?.cleanup();
  });

  it('behavior: realized PnL is 350 with FIFO and 300 with average cost', { timeout: 60_000 }, async () => {
    const fifo = JSON.parse((await lookout('pnl', '--json', '--method', 'fifo')).stdout);
    expect(fifo).toMatchObject({ method: 'fifo', window: 'all', realizedUsd: '350.00', investedUsd: '400.00', unpricedTrades: 0 });
    const meme = fifo.positions.find((position: { symbol: string }) => position.symbol === 'MEME');
    // Half of the second lot is left: 500 MEME at 0.30, priced at the last trade (0.40).
    expect(meme).toMatchObject({ chain: 'localbase', amount: '500', costBasisUsd: '150.00', unrealizedUsd: '50.00', realizedUsd: '350.00' });
    expect(meme.priceUsd).toBe('0.4');

    const average = JSON.parse((await lookout('pnl', '--json', '--method', 'average')).stdout);
    expect(average).toMatchObject({ method: 'average', realizedUsd: '300.00' });
    expect(average.positions.find((position: { symbol: string }) => position.symbol === 'MEME')).toMatchObject({ costBasisUsd: '100.00', unrealizedUsd: '100.00' });
  });

  it('behavior: prints a readable summary and writes the chart as a PNG of the requested size', { timeout: 60_000 }, async () => {
    const result = await lookout('pnl', '--window', '7d', '--chart', 'pnl.png', '--size', '640x360');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Realized: 🟢 \+\$350\.00/);
    expect(result.stdout).toMatch(/Win rate:/);
    expect(result.stdout).toMatch(/MEME \[localbase\]: 500 held/);
    const png = readFileSync(path.join(local.cwd, 'pnl.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(640);
    expect(png.readUInt32BE(20)).toBe(360);
  });

  it('behavior: the scheduled snapshots give a value-over-time chart and an allocation chart', { timeout: 60_000 }, async () => {
    await running.waitFor(/holdings snapshot stored/);
    await running.waitFor(/holdings snapshot stored[\s\S]*holdings snapshot stored/);
    const value = await lookout('pnl', '--chart', 'value.png', '--chart-type', 'value');
    expect(value.stderr).toBe('');
    expect(readFileSync(path.join(local.cwd, 'value.png')).subarray(1, 4).toString()).toBe('PNG');
    const allocation = await lookout('pnl', '--chart', 'allocation.png', '--chart-type', 'allocation');
    expect(allocation.code).toBe(0);
    const wrong = await lookout('pnl', '--chart', 'x.png', '--chart-type', 'pie');
    expect(wrong.stderr).toMatch(/not a chart type; use pnl, allocation or value/);
  });

  it('error: a bad window or method gets one sentence', async () => {
    const window = await lookout('pnl', '--window', '1y');
    expect(window.code).toBe(1);
    expect(window.stderr).toMatch(/not a window; use 24h, 7d, 30d or all/);
    const method = await lookout('pnl', '--method', 'lifo');
    expect(method.stderr).toMatch(/not a PnL method; use fifo or average/);
  });
});
