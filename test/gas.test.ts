import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatGwei, parseEther, parseGwei, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployPriceFeed } from './support/evm/deployPriceFeed.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';
import { encodePriceUpdateV2, PYTH_RECEIVER } from './support/prices/encodePythPriceAccount.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';

const SOL_USD_FEED = '7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE';

type Levels = { slow: string; normal: string; fast: string };
type GasJson = {
  chain: string;
  status: 'ok' | 'unreachable' | 'unsupported';
  reason?: string;
  unit?: string;
  levels?: Levels;
  baseFee?: string | null;
  nativeUsd?: string | null;
  costs?: { action: string; units: string; native: Levels; usd: Levels | null }[];
};

describe('lookout gas on a local EVM chain, a local Solana node and a chain whose RPC does not answer', () => {
  let local: LocalChain;
  let solana: SolanaRpcServer;

  beforeAll(async () => {
    solana = await startSolanaRpcServer();
    solana.setAccount(SOL_USD_FEED, {
      owner: PYTH_RECEIVER,
      lamports: 1n,
      data: encodePriceUpdateV2({ price: 15_000_000_000n, exponent: -8, publishTime: BigInt(Math.floor(Date.now() / 1000)), postedSlot: BigInt(solana.slot()) }),
    });
    solana.setPrioritizationFees([0, 0, 1_000, 5_000, 10_000, 20_000, 50_000, 100_000]);
    local = await prepareLocalChain({
      chain: async (_world, anvil) => {
        const feed = await deployPriceFeed(anvil, { decimals: 8, description: 'ETH / USD' });
        await feed.setAnswer(3_000n * 10n ** 8n);
        return { nativeUsdFeed: feed.address };
      },
      env: { LOOKOUT_CHAINS: 'localbase,solana,deadbase', SOLANA_RPC_URL: solana.url, SOLANA_WS_URL: solana.wsUrl },
    });
    // A third chain whose node is gone: nothing listens on port 9.
    const file = path.join(local.cwd, 'lookout.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { chains: Record<string, unknown>[] };
    config.chains.push({ ...config.chains[0], name: 'deadbase', chainId: 1_234_567, rpcUrls: ['http://127.0.0.1:9'], nativeUsdFeed: undefined });
    writeFileSync(file, JSON.stringify(config));
    // Transactions paying 1, 2 and 3 gwei of priority fee, one a block, so that the fee history holds tips.
    const [payer] = local.world.accounts as [Address];
    for (const tip of ['1', '2', '3']) {
      const hash = await local.world.walletClient(payer).sendTransaction({
        to: payer,
        value: parseEther('0.001'),
        maxPriorityFeePerGas: parseGwei(tip),
        maxFeePerGas: parseGwei('50'),
      });
      await local.world.publicClient.waitForTransactionReceipt({ hash });
    }
  }, 180_000);

  afterAll(async () => {
    await local?.cleanup();
    await solana?.stop();
  });

  it('behavior: --json gives each chain its levels and costs as exact decimals, from the nodes\' own answers; the dead chain says it did not answer', { timeout: 120_000 }, async () => {
    const result = await local.lookout('gas', '--json');
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as GasJson[];
    expect(answer.map((entry) => [entry.chain, entry.status])).toEqual([
      ['localbase', 'ok'],
      ['solana', 'ok'],
      ['deadbase', 'unreachable'],
    ]);

    // What anvil says now; no block was mined since lookout asked.
    const history = await local.anvil.rpc<{ baseFeePerGas: string[]; reward: string[][] }>('eth_feeHistory', ['0x14', 'latest', [10, 50, 90]]);
    const nextBase = BigInt(history.baseFeePerGas.at(-1)!);
    const meanTip = (column: number) => history.reward.reduce((sum, block) => sum + BigInt(block[column]!), 0n) / BigInt(history.reward.length);
    expect(history.reward.some((block) => BigInt(block[2]!) >= parseGwei('1'))).toBe(true);
    const evm = answer[0]!;
    expect(evm).toMatchObject({ unit: 'gwei', baseFee: formatGwei(nextBase), nativeUsd: '3000' });
    expect(evm.levels).toEqual({
      slow: formatGwei(nextBase + meanTip(0)),
      normal: formatGwei(nextBase + meanTip(1)),
      fast: formatGwei(nextBase + meanTip(2)),
    });
    const fastTransferWei = 21_000n * (nextBase + meanTip(2));
    const transfer = evm.costs!.find((cost) => cost.action === 'transfer')!;
    expect(parseEther(transfer.native.fast)).toBe(fastTransferWei);
    // USD: the exact cost in ETH times $3,000.
    expect(parseEther(transfer.usd!.fast)).toBe(fastTransferWei * 3_000n);
    expect(evm.costs!.map((cost) => cost.units)).toEqual(['21000 gas', '150000 gas']);

    expect(answer[1]).toMatchObject({
      unit: 'micro-lamports/CU',
      levels: { slow: '0', normal: '5000', fast: '20000' },
      baseFee: '5000',
      nativeUsd: '150',
    });
    // Swap, fast: 20,000 micro-lamports × 200,000 CU = 4,000 lamports, plus 5,000 a signature = 0.000009 SOL = $0.00135.
    expect(answer[1]!.costs!.find((cost) => cost.action === 'swap')).toEqual({
      action: 'swap',
      units: '200000 CU',
      native: { slow: '0.000005', normal: '0.000006', fast: '0.000009' },
      usd: { slow: '0.00075', normal: '0.0009', fast: '0.00135' },
    });
    expect(answer[2]).toEqual({ chain: 'deadbase', status: 'unreachable', reason: 'its RPC did not answer' });
  });

  it('behavior: the text answer has one block per chain and one line for the chain that did not answer', { timeout: 120_000 }, async () => {
    const result = await local.lookout('gas');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/localbase: slow [\d.]+ · normal [\d.]+ · fast [\d.]+ gwei \(base [\d.]+ gwei\)/);
    expect(result.stdout).toMatch(/ {2}transfer \(21000 gas\): \$[\d.,]+ \/ \$[\d.,]+ \/ \$[\d.,]+/);
    expect(result.stdout).toContain('solana: slow 0 · normal 5000 · fast 20000 micro-lamports/CU (+ 5000 lamports a signature)');
    expect(result.stdout).toContain('  swap (200000 CU): $0.00075 / $0.0009 / $0.0014');
    expect(result.stdout).toContain('deadbase: no fee estimate, its RPC did not answer.');
  });
});
