import { parseEther, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployPriceFeed } from './support/evm/deployPriceFeed.js';
import type { UniswapWorld } from './support/evm/deployUniswap.js';
import { startLookout, type RunningLookout } from './support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';

type Leg = { asset: string; symbol: string; amount: string };
type TradeJson = { type: 'trade'; tx: string; label: string; kind: string; received: Leg[]; usd: string | null };
type SignalJson = {
  type: 'signal';
  chain: string;
  group: string;
  token: { asset: string; symbol: string };
  wallets: { label: string; wallet: string; amount: string; usd: string | null }[];
  totalUsd: string | null;
  minWallets: number;
  window: { start: string; end: string; seconds: number };
  tx: string;
};

const linesOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TradeJson | SignalJson);
const signalsIn = (stdout: string) => linesOf(stdout).filter((line): line is SignalJson => line.type === 'signal');
const tradesIn = (stdout: string) => linesOf(stdout).filter((line): line is TradeJson => line.type === 'trade');

describe('the multi-wallet buy signal on a local chain', () => {
  let local: LocalChain;
  let world: UniswapWorld;
  let wallets: Address[];
  let run: RunningLookout | undefined;
  const lookout = (...args: string[]) => local.lookout(...args);
  const mined = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });

  beforeAll(async () => {
    local = await prepareLocalChain({
      chain: async (_world, anvil) => {
        const feed = await deployPriceFeed(anvil, { decimals: 8, description: 'ETH / USD' });
        await feed.setAnswer(3_000n * 10n ** 8n);
        return { blockTimeMs: 300, maxBlockRange: 5, nativeUsdFeed: feed.address };
      },
    });
    world = local.world;
    wallets = world.accounts.slice(0, 4);
    for (const [index, wallet] of wallets.entries()) expect((await lookout('track', wallet, '--label', `whale${index + 1}`)).code).toBe(0);
    expect((await lookout('group', 'create', 'whales')).code).toBe(0);
    expect((await lookout('group', 'add', 'whales', 'whale1', 'whale2', 'whale3', 'whale4')).code).toBe(0);
    expect((await lookout('group', 'create', 'quiet')).code).toBe(0);
    expect((await lookout('group', 'add', 'quiet', 'whale1', 'whale2', 'whale3')).code).toBe(0);
    const routed = await lookout('alerts', 'route', 'console', '--group', 'whales');
    expect(routed.stdout).toContain('signal when 3 wallets buy one token within 1h');
    expect((await lookout('alerts', 'route', 'console', '--group', 'quiet', '--signal', 'off')).code).toBe(0);
    const routes = await lookout('alerts', 'routes', '--json');
    expect(JSON.parse(routes.stdout)).toMatchObject([
      { signalMinWallets: 3, signalWindowSeconds: 3_600 },
      { signalMinWallets: null, signalWindowSeconds: null },
    ]);
  }, 180_000);

  afterAll(async () => {
    await run?.stop();
    await local?.cleanup();
  });

  it('behavior: three wallets of a group buying one token raise one signal with their amounts and USD; a fourth within the hour raises none; three after it raise a new one; a route with --signal off raises none', { timeout: 180_000 }, async () => {
    run = startLookout(['--json'], { env: local.env, cwd: local.cwd });
    await run.waitFor(/Lookout is running/, 'stderr', 60_000);
    await run.waitFor(/starting to follow/, 'stderr', 60_000);

    // Three buys of MEME for 1, 2 and 3 ETH at $3,000: $3,000, $6,000 and $9,000.
    const first: Hash[] = [];
    for (const [index, wallet] of wallets.slice(0, 3).entries()) {
      first.push(await world.buyWithEth(wallet, world.meme, parseEther(String(index + 1))));
      await mined(first[index]!);
    }
    await run.waitFor(/"type":"signal"/, 'stdout', 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nstderr:\n${run!.stderr().slice(-4_000)}`);
    });
    const [signal] = signalsIn(run.stdout());
    const trades = tradesIn(run.stdout());
    const bought = (tx: Hash) => trades.find((trade) => trade.tx === tx)!.received.find((leg) => leg.symbol === 'MEME')!.amount;
    expect(signal).toMatchObject({
      type: 'signal',
      chain: 'localbase',
      group: 'whales',
      token: { asset: world.meme.toLowerCase(), symbol: 'MEME' },
      minWallets: 3,
      totalUsd: '18000',
      tx: first[2],
      window: { seconds: 3_600 },
    });
    expect(signal!.wallets).toEqual([
      { label: 'whale1', wallet: wallets[0]!.toLowerCase(), amount: bought(first[0]!), usd: '3000' },
      { label: 'whale2', wallet: wallets[1]!.toLowerCase(), amount: bought(first[1]!), usd: '6000' },
      { label: 'whale3', wallet: wallets[2]!.toLowerCase(), amount: bought(first[2]!), usd: '9000' },
    ]);
    const firstBlock = await world.publicClient.getBlock({ blockNumber: (await mined(first[0]!)).blockNumber });
    expect(signal!.window.start).toBe(new Date(Number(firstBlock.timestamp) * 1_000).toISOString());

    // A fourth wallet within the hour: its trade alert, and no second signal.
    const fourth = await world.buyWithEth(wallets[3]!, world.meme, parseEther('0.5'));
    await mined(fourth);
    await run.waitFor(new RegExp(`"type":"trade"[^\\n]*"tx":"${fourth}"`), 'stdout', 30_000);

    // An hour and a minute later, three wallets again: a new signal, counting only the new buys.
    await local.anvil.rpc('evm_increaseTime', [3_660]);
    await local.anvil.mine();
    const second: Hash[] = [];
    for (const wallet of [wallets[3]!, wallets[0]!, wallets[1]!]) {
      second.push(await world.buyWithEth(wallet, world.meme, parseEther('1')));
      await mined(second[second.length - 1]!);
    }
    await run.waitFor(new RegExp(`"type":"signal"[^\\n]*"tx":"${second[2]}"`), 'stdout', 30_000);
    // Note: every trade alert of the run is in before the signal count is read; a late second signal would follow its trade.
    await run.waitFor(new RegExp(`"type":"trade"[^\\n]*"tx":"${second[2]}"`), 'stdout', 30_000);

    const signals = signalsIn(run.stdout());
    expect(signals).toHaveLength(2);
    expect(signals.every((entry) => entry.group === 'whales')).toBe(true);
    expect(signals[1]!.wallets.map((wallet) => wallet.label)).toEqual(['whale4', 'whale1', 'whale2']);
    expect(signals[1]!.wallets.map((wallet) => wallet.usd)).toEqual(['3000', '3000', '3000']);
    expect(Date.parse(signals[1]!.window.start) - Date.parse(signals[0]!.window.start)).toBeGreaterThanOrEqual(3_600_000);
    expect(await run.stop()).toBe(0);

    // Restarted, it raises nothing again for buys already stored.
    const again = startLookout(['--json'], { env: local.env, cwd: local.cwd });
    try {
      await again.waitFor(/Lookout is running/, 'stderr', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(signalsIn(again.stdout())).toEqual([]);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});
