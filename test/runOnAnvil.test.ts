import { formatUnits, parseEther, parseUnits, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployPriceFeed } from './support/evm/deployPriceFeed.js';
import type { UniswapWorld } from './support/evm/deployUniswap.js';
import { startLookout, type RunningLookout } from './support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';

type Alert = { type: string; chain: string; tx: string; wallet: string; label: string; kind: string; usd: string | null };

const alertsIn = (stdout: string): Alert[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Alert);

describe('lookout run on a local chain configured like the example', () => {
  let local: LocalChain;
  let world: UniswapWorld;
  let alice: Address;
  let bob: Address;
  let env: Record<string, string>;
  let cwd: string;
  const lookout = (...args: string[]) => local.lookout(...args);
  const mined = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });

  beforeAll(async () => {
    local = await prepareLocalChain({
      chain: async (_world, anvil) => {
        const feed = await deployPriceFeed(anvil, { decimals: 8, description: 'ETH / USD' });
        await feed.setAnswer(3_300n * 10n ** 8n);
        return { blockTimeMs: 500, maxBlockRange: 1, nativeUsdFeed: feed.address };
      },
    });
    ({ world, env, cwd } = local);
    [alice, bob] = world.accounts as [Address, Address];
    expect((await lookout('track', alice, '--label', 'whale1')).code).toBe(0);
    expect((await lookout('track', bob, '--label', 'whale2')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await local?.cleanup();
  });

  it('behavior: prints each trade of a tracked wallet once, priced from the ETH/USD feed, as a line and as JSON', { timeout: 120_000 }, async () => {
    const text = startLookout([], { env, cwd });
    let json: RunningLookout | undefined;
    try {
      await text.waitFor(/starting to follow|following again|Lookout is running/);
      await text.waitFor(/starting to follow/);
      const buy = await world.buyWithEth(alice, world.meme, parseEther('2.5'));
      await mined(buy);
      const started = Date.now();
      await text.waitFor(/whale1 BUY [\d,.]+ MEME for 2\.5 ETH \(\$8,250\.00\) · 0x/, 'stdout', 20_000);
      const latencyMs = Date.now() - started;
      // Note: two block times of this chain are 1 s; the bound leaves room for a loaded test machine.
      expect(latencyMs).toBeLessThan(10_000);
      expect(await text.stop()).toBe(0);

      json = startLookout(['--json'], { env, cwd });
      await json.waitFor(/Lookout is running/);
      await mined(await world.fundToken(world.usdc, bob, parseUnits('500', 6)));
      const usdcBuy = await world.buyWithUsdc(bob, world.meme, parseUnits('120', 6));
      await mined(usdcBuy);
      await json.waitFor(new RegExp(usdcBuy), 'stdout', 20_000);
      const alert = alertsIn(json.stdout()).find((entry) => entry.tx === usdcBuy && entry.kind === 'buy');
      expect(alert).toMatchObject({ type: 'trade', chain: 'localbase', label: 'whale2', usd: '120' });
      expect(alert).toHaveProperty('sent');
      expect(alertsIn(json.stdout()).filter((entry) => entry.tx === buy)).toEqual([]);
    } finally {
      await text.stop();
      await json?.stop();
    }
  });

  it('behavior: a USDC→WETH buy names WETH, a buy paid in WETH is priced from the ETH/USD feed, a MEME→PEPE swap through the traded MEME price, and explain names both tokens', { timeout: 120_000 }, async () => {
    const balanceOf = (token: Address) =>
      world.publicClient.readContract({
        address: token,
        abi: [{ type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ type: 'address' }], outputs: [{ type: 'uint256' }] }],
        functionName: 'balanceOf',
        args: [alice],
      });
    const text = startLookout([], { env, cwd });
    let wethBuy: Hash | undefined;
    let weth = 0n;
    try {
      await text.waitFor(/Lookout is running/);
      await mined(await world.fundToken(world.usdc, alice, parseUnits('1000', 6)));
      wethBuy = await world.swapTokens(alice, [world.usdc, world.weth], parseUnits('1000', 6));
      await mined(wethBuy);
      // The WETH/USDC pool holds 100 WETH and 300,000 USDC: 1,000 USDC buy 99,700 / 300,997 = 0.33123 WETH.
      await text.waitFor(/whale1 BUY 0\.3312 WETH for 1,000 USDC \(\$1,000\.00\) · 0x/, 'stdout', 20_000);
      weth = await balanceOf(world.weth);
      expect(weth).toBe((parseUnits('1000', 6) * 997n * parseEther('100')) / (parseUnits('300000', 6) * 1000n + parseUnits('1000', 6) * 997n));
      const memeBefore = await balanceOf(world.meme);
      const memeBuy = await world.swapTokens(alice, [world.weth, world.meme], weth);
      await mined(memeBuy);
      // 0.331232537 WETH × $3,300 = $1,093.07
      await text.waitFor(/whale1 BUY [\d,.]+ MEME for 0\.3312 WETH \(\$1,093\.07\) · 0x/, 'stdout', 20_000);
      // Half the MEME just bought, swapped for PEPE, is worth half that buy at MEME's traded price.
      const bought = (await balanceOf(world.meme)) - memeBefore;
      const memeSwap = await world.swapTokens(alice, [world.meme, world.pepe], bought / 2n);
      await mined(memeSwap);
      await text.waitFor(/whale1 SWAP [\d,.]+ MEME for [\d,.]+ PEPE \(\$546\.53\) · 0x/, 'stdout', 20_000);
      expect(await text.stop()).toBe(0);
    } finally {
      await text.stop();
    }

    const explained = await lookout('explain', wethBuy!);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain(`-1000 USDC (${world.usdc.toLowerCase()})`);
    expect(explained.stdout).toContain(`+${formatUnits(weth, 18)} WETH (${world.weth.toLowerCase()})`);
    expect(explained.stdout).not.toContain('(raw)');
  });

  it('behavior: killed in the middle of a sync, it resumes at the cursor with no gap and no duplicate', { timeout: 240_000 }, async () => {
    // Note: a first run saves the chain cursor, so the trades below are history to catch up on.
    const warmup = startLookout([], { env, cwd });
    await warmup.waitFor(/starting to follow|Lookout is running/);
    await warmup.waitFor(/"chain":"localbase".*"msg":"(starting to follow at block|connected)"|starting to follow|sync/, 'stderr', 5_000).catch(() => {});
    expect(await warmup.stop()).toBe(0);
    const hashes: Hash[] = [];
    for (let i = 0; i < 40; i++) {
      hashes.push(await world.buyWithEth(i % 2 ? alice : bob, world.meme, parseEther('0.01') * BigInt(i + 1)));
      await mined(hashes[hashes.length - 1]!);
    }
    const first = startLookout(['--json'], { env, cwd });
    await first.waitFor(/"tx":"0x/, 'stdout', 60_000);
    expect(await first.stop('SIGKILL')).toBeNull();
    const before = alertsIn(first.stdout());
    expect(before.length).toBeLessThan(hashes.length);

    const second = startLookout(['--json'], { env, cwd });
    const seen = (hash: Hash) => first.stdout().includes(hash) || second.stdout().includes(hash);
    try {
      for (const hash of hashes) {
        const deadline = Date.now() + 60_000;
        while (!seen(hash) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(seen(hash), hash).toBe(true);
      }
    } catch (error) {
      throw new Error(`${String(error)}\nfirst run stdout:\n${first.stdout()}\nfirst stderr:\n${first.stderr()}\nsecond stderr:\n${second.stderr()}`);
    } finally {
      expect(await second.stop()).toBe(0);
    }
    const all = [...before, ...alertsIn(second.stdout())].filter((alert) => hashes.includes(alert.tx as Hash));
    for (const hash of hashes) expect(all.filter((alert) => alert.tx === hash).length).toBeGreaterThanOrEqual(1);
    // Note: the one window for a repeat is a kill between printing an alert and marking it sent.
    expect(all.length - hashes.length).toBeLessThanOrEqual(1);

    const stored = JSON.parse((await lookout('trades', '--json')).stdout) as { tx: string }[];
    for (const hash of hashes) expect(stored.filter((trade) => trade.tx === hash)).toHaveLength(1);
  });
});
