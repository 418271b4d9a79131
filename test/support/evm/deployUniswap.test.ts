import {
  decodeEventLog,
  encodePacked,
  getAddress,
  getContractAddress,
  isAddressEqual,
  keccak256,
  parseEther,
  parseUnits,
  type Address,
  type Hash,
  type Log,
} from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testTokenAbi } from './compileTestToken.js';
import { deployUniswap, seededPools, type UniswapWorld } from './deployUniswap.js';
import { startAnvil, type Anvil } from './startAnvil.js';
import { uniswapV2PairAbi, uniswapV2RouterAbi, weth9Abi } from './uniswapV2Abis.js';
import { loadUniswapV2Artifacts } from './uniswapV2Artifacts.js';

let anvil: Anvil;
let world: UniswapWorld;
let deployMs: number;
let snapshot: string;

beforeAll(async () => {
  const started = Date.now();
  anvil = await startAnvil();
  world = await deployUniswap(anvil);
  deployMs = Date.now() - started;
});

afterAll(async () => {
  await anvil?.stop();
});

// Every test starts from the freshly deployed world, and the chain never grows past a few blocks.
beforeEach(async () => {
  snapshot = await anvil.snapshot();
});

afterEach(async () => {
  await anvil.setAutomine(true);
  await anvil.revert(snapshot);
});

const mined = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });
const eth = (address: Address) => world.publicClient.getBalance({ address });
const balance = (token: Address, owner: Address) =>
  world.publicClient.readContract({ address: token, abi: testTokenAbi, functionName: 'balanceOf', args: [owner] });
const quote = async (amountIn: bigint, path: Address[]) => {
  const amounts = await world.publicClient.readContract({
    address: world.router,
    abi: uniswapV2RouterAbi,
    functionName: 'getAmountsOut',
    args: [amountIn, path],
  });
  return amounts[amounts.length - 1]!;
};
const account = (index: number) => world.accounts[index]!;
// viem caches the block number for a polling interval; these reads follow blocks mined a moment ago.
const blockNumber = () => world.publicClient.getBlockNumber({ cacheTime: 0 });
/** Gas fees `from` paid in blocks `fromBlock`..latest, approves included. */
const feesPaid = async (from: Address, fromBlock: bigint) => {
  let fees = 0n;
  for (let number = fromBlock; number <= (await blockNumber()); number++) {
    const block = await world.publicClient.getBlock({ blockNumber: number, includeTransactions: true });
    for (const tx of block.transactions.filter((tx) => isAddressEqual(tx.from, from))) {
      const receipt = await world.publicClient.getTransactionReceipt({ hash: tx.hash });
      fees += receipt.gasUsed * receipt.effectiveGasPrice;
    }
  }
  return fees;
};
/** The Swap events of the world's pairs, in log order. */
const swapsIn = (logs: Log[]) =>
  logs
    .filter((log) => Object.values(world.pairs).some((pair) => isAddressEqual(pair, log.address)))
    .map((log) => ({ pair: getAddress(log.address), ...decodeEventLog({ abi: uniswapV2PairAbi, ...log }) }))
    .filter((event) => event.eventName === 'Swap');

describe('deployUniswap', () => {
  it('behavior: deploys the world in under 20 s and in two blocks', async () => {
    expect(deployMs).toBeLessThan(20_000);
    expect(await blockNumber()).toBe(2n);
    expect(world.chain.id).toBe(31337);
    expect(world.accounts).toHaveLength(9);
    expect(world.accounts).not.toContain(world.deployer);
    for (const address of [world.weth, world.usdc, world.meme, world.pepe, world.factory, world.router]) {
      expect(await world.publicClient.getCode({ address })).toMatch(/^0x[0-9a-f]{20,}$/);
    }
    const decimals = (address: Address) =>
      world.publicClient.readContract({ address, abi: testTokenAbi, functionName: 'decimals' });
    expect(await decimals(world.usdc)).toBe(6);
    expect(await decimals(world.meme)).toBe(18);
    expect(await decimals(world.pepe)).toBe(18);
    expect(await decimals(world.weth)).toBe(18);
  });

  it('behavior: seeds the four pools with the advertised reserves', async () => {
    const reserves = async (pair: Address, tokenA: Address, tokenB: Address) => {
      const read = { address: pair, abi: uniswapV2PairAbi } as const;
      const token0 = await world.publicClient.readContract({ ...read, functionName: 'token0' });
      const token1 = await world.publicClient.readContract({ ...read, functionName: 'token1' });
      const [r0, r1] = await world.publicClient.readContract({ ...read, functionName: 'getReserves' });
      const aIsFirst = isAddressEqual(tokenA, token0);
      expect(isAddressEqual(aIsFirst ? token1 : token0, tokenB)).toBe(true);
      return aIsFirst ? [r0, r1] : [r1, r0];
    };
    const { pairs, weth, usdc, meme, pepe } = world;
    const seeded = seededPools;
    expect(await reserves(pairs.wethUsdc, weth, usdc)).toEqual([seeded.wethUsdc.weth, seeded.wethUsdc.usdc]);
    expect(await reserves(pairs.memeWeth, meme, weth)).toEqual([seeded.memeWeth.meme, seeded.memeWeth.weth]);
    expect(await reserves(pairs.memeUsdc, meme, usdc)).toEqual([seeded.memeUsdc.meme, seeded.memeUsdc.usdc]);
    expect(await reserves(pairs.pepeMeme, pepe, meme)).toEqual([seeded.pepeMeme.pepe, seeded.pepeMeme.meme]);
    // 1 ETH is worth about 3,000 USDC.
    expect(await quote(parseEther('1'), [weth, usdc])).toBeGreaterThan(parseUnits('2900', 6));
  });

  it('behavior: pairs sit where the npm Pair bytecode puts them, the address Router02 computes', async () => {
    const initCodeHash = keccak256(loadUniswapV2Artifacts().pair.bytecode);
    for (const [tokenA, tokenB, pair] of [
      [world.weth, world.usdc, world.pairs.wethUsdc],
      [world.pepe, world.meme, world.pairs.pepeMeme],
    ] as const) {
      const [token0, token1] = BigInt(tokenA) < BigInt(tokenB) ? [tokenA, tokenB] : [tokenB, tokenA];
      const salt = keccak256(encodePacked(['address', 'address'], [token0, token1]));
      const computed = getContractAddress({ opcode: 'CREATE2', from: world.factory, salt, bytecodeHash: initCodeHash });
      expect(computed).toBe(pair);
    }
  });

  it('behavior: buyWithEth pays exactly the ETH given plus gas and receives the quoted tokens', async () => {
    const buyer = account(0);
    const ethBefore = await eth(buyer);
    const expected = await quote(parseEther('1'), [world.weth, world.meme]);
    const receipt = await mined(await world.buyWithEth(buyer, world.meme, parseEther('1')));
    expect(receipt.status).toBe('success');
    expect(receipt.to).toBe(world.router.toLowerCase());
    expect(await eth(buyer)).toBe(ethBefore - parseEther('1') - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await balance(world.meme, buyer)).toBe(expected);
    expect(swapsIn(receipt.logs).map((swap) => swap.pair)).toEqual([world.pairs.memeWeth]);
  });

  it('behavior: buyWithUsdc approves in its own transaction, then swaps the USDC given', async () => {
    const buyer = account(1);
    await mined(await world.fundToken(world.usdc, buyer, parseUnits('1000', 6)));
    const nonceBefore = await world.publicClient.getTransactionCount({ address: buyer });
    const expected = await quote(parseUnits('500', 6), [world.usdc, world.meme]);
    const receipt = await mined(await world.buyWithUsdc(buyer, world.meme, parseUnits('500', 6)));
    expect(receipt.status).toBe('success');
    expect(await world.publicClient.getTransactionCount({ address: buyer })).toBe(nonceBefore + 2);
    expect(await balance(world.usdc, buyer)).toBe(parseUnits('500', 6));
    expect(await balance(world.meme, buyer)).toBe(expected);
    expect(swapsIn(receipt.logs).map((swap) => swap.pair)).toEqual([world.pairs.memeUsdc]);
  });

  it('behavior: sellForEth pays out ETH through the router, which unwraps WETH', async () => {
    const seller = account(2);
    await mined(await world.fundToken(world.meme, seller, parseEther('50000')));
    const expected = await quote(parseEther('50000'), [world.meme, world.weth]);
    const [ethBefore, blockBefore] = [await eth(seller), await blockNumber()];
    const receipt = await mined(await world.sellForEth(seller, world.meme, parseEther('50000')));
    expect(receipt.status).toBe('success');
    expect(await eth(seller)).toBe(ethBefore + expected - (await feesPaid(seller, blockBefore + 1n)));
    expect(await balance(world.meme, seller)).toBe(0n);
    expect(await balance(world.weth, seller)).toBe(0n);
    const withdrawals = receipt.logs
      .filter((log) => isAddressEqual(log.address, world.weth))
      .map((log) => decodeEventLog({ abi: weth9Abi, ...log }))
      .filter((event) => event.eventName === 'Withdrawal');
    expect(withdrawals).toEqual([{ eventName: 'Withdrawal', args: { src: world.router, wad: expected } }]);
  });

  it('behavior: sellForUsdc receives the quoted USDC', async () => {
    const seller = account(3);
    await mined(await world.fundToken(world.meme, seller, parseEther('10000')));
    const expected = await quote(parseEther('10000'), [world.meme, world.usdc]);
    const receipt = await mined(await world.sellForUsdc(seller, world.meme, parseEther('10000')));
    expect(receipt.status).toBe('success');
    expect(await balance(world.usdc, seller)).toBe(expected);
    expect(await balance(world.meme, seller)).toBe(0n);
  });

  it('behavior: multiHop swaps through every pool of the path in one transaction', async () => {
    const trader = account(4);
    const path = [world.pepe, world.meme, world.usdc];
    await mined(await world.fundToken(world.pepe, trader, parseEther('100000')));
    const expected = await quote(parseEther('100000'), path);
    const receipt = await mined(await world.multiHop(trader, path, parseEther('100000')));
    expect(receipt.status).toBe('success');
    expect(await balance(world.usdc, trader)).toBe(expected);
    expect(await balance(world.pepe, trader)).toBe(0n);
    expect(await balance(world.meme, trader)).toBe(0n);
    expect(swapsIn(receipt.logs).map((swap) => swap.pair)).toEqual([world.pairs.pepeMeme, world.pairs.memeUsdc]);
  });

  it('behavior: multiHop from WETH pays ETH and into WETH pays out ETH', async () => {
    const trader = account(4);
    const ethBefore = await eth(trader);
    const bought = await mined(await world.multiHop(trader, [world.weth, world.meme, world.pepe], parseEther('0.1')));
    expect(bought.status).toBe('success');
    const pepe = await balance(world.pepe, trader);
    expect(pepe).toBeGreaterThan(0n);
    const sold = await mined(await world.multiHop(trader, [world.pepe, world.meme, world.weth], pepe));
    expect(sold.status).toBe('success');
    expect(await balance(world.pepe, trader)).toBe(0n);
    expect(await balance(world.weth, trader)).toBe(0n);
    const ethAfter = await eth(trader);
    // Two round-trip fees of 0.3% per hop and gas: a little less back than paid.
    expect(ethAfter).toBeLessThan(ethBefore);
    expect(ethAfter).toBeGreaterThan(ethBefore - parseEther('0.01'));
  });

  it('behavior: transferToken moves tokens between two wallets', async () => {
    const [from, to] = [account(5), account(6)];
    await mined(await world.fundToken(world.usdc, from, parseUnits('42', 6)));
    const receipt = await mined(await world.transferToken(from, world.usdc, to, parseUnits('40', 6)));
    expect(receipt.status).toBe('success');
    expect(await balance(world.usdc, from)).toBe(parseUnits('2', 6));
    expect(await balance(world.usdc, to)).toBe(parseUnits('40', 6));
  });

  it('behavior: sendEth moves ETH and the sender also pays gas', async () => {
    const [from, to] = [account(5), account(6)];
    const [fromBefore, toBefore] = [await eth(from), await eth(to)];
    const receipt = await mined(await world.sendEth(from, to, parseEther('1.5')));
    expect(receipt.status).toBe('success');
    expect(receipt.gasUsed).toBe(21_000n);
    expect(await eth(to)).toBe(toBefore + parseEther('1.5'));
    expect(await eth(from)).toBe(fromBefore - parseEther('1.5') - receipt.gasUsed * receipt.effectiveGasPrice);
  });

  it('behavior: failedSwap is mined as reverted and costs the sender only gas', async () => {
    const trader = account(7);
    const ethBefore = await eth(trader);
    const receipt = await mined(await world.failedSwap(trader, world.meme, parseEther('1')));
    expect(receipt.status).toBe('reverted');
    expect(receipt.blockNumber).toBe(3n);
    expect(receipt.logs).toEqual([]);
    expect(await eth(trader)).toBe(ethBefore - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await balance(world.meme, trader)).toBe(0n);
  });

  it('behavior: fundToken mints test tokens and hands out WETH', async () => {
    const wallet = account(8);
    expect((await mined(await world.fundToken(world.pepe, wallet, parseEther('7')))).status).toBe('success');
    expect(await balance(world.pepe, wallet)).toBe(parseEther('7'));
    const ethBefore = await eth(wallet);
    expect((await mined(await world.fundToken(world.weth, wallet, parseEther('2')))).status).toBe('success');
    expect(await balance(world.weth, wallet)).toBe(parseEther('2'));
    expect(await eth(wallet)).toBe(ethBefore);
  });

  it('behavior: swapForTwo makes one transaction where one wallet pays and another receives', async () => {
    const [payer, receiver] = [account(0), account(1)];
    const [payerBefore, receiverBefore] = [await eth(payer), await eth(receiver)];
    const expected = await quote(parseEther('2'), [world.weth, world.meme]);
    const receipt = await mined(await world.swapForTwo(payer, receiver, world.meme, parseEther('2')));
    expect(receipt.status).toBe('success');
    expect(receipt.from).toBe(payer.toLowerCase());
    expect(await eth(payer)).toBe(payerBefore - parseEther('2') - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await eth(receiver)).toBe(receiverBefore);
    expect(await balance(world.meme, payer)).toBe(0n);
    expect(await balance(world.meme, receiver)).toBe(expected);
    expect(swapsIn(receipt.logs)[0]?.args.to).toBe(receiver);
  });

  it('behavior: with automine off, helpers batch into the next block in call order', async () => {
    const [a, b] = [account(2), account(3)];
    await mined(await world.fundToken(world.usdc, a, parseUnits('100', 6)));
    await anvil.setAutomine(false);
    const first = await world.buyWithUsdc(a, world.meme, parseUnits('100', 6));
    const second = await world.buyWithEth(b, world.meme, parseEther('0.5'));
    const third = await world.sendEth(a, b, 1n);
    await anvil.mine();
    const receipts = await Promise.all([first, second, third].map(mined));
    expect(receipts.map((r) => r.status)).toEqual(['success', 'success', 'success']);
    const block = await world.publicClient.getBlock({ blockNumber: receipts[0]!.blockNumber });
    // The approve comes first, then the three helpers' transactions in the order they were called.
    expect(block.transactions).toHaveLength(4);
    expect(block.transactions.slice(1)).toEqual([first, second, third]);
    expect(await balance(world.meme, a)).toBeGreaterThan(0n);
  });

  it('error: rejects a swap through a pool that does not exist, before sending anything', async () => {
    const trader = account(4);
    await mined(await world.fundToken(world.pepe, trader, parseEther('1')));
    const nonce = await world.publicClient.getTransactionCount({ address: trader });
    await expect(world.sellForEth(trader, world.pepe, parseEther('1'))).rejects.toThrow(/no Uniswap V2 pool/);
    expect(await world.publicClient.getTransactionCount({ address: trader })).toBe(nonce);
  });
});
