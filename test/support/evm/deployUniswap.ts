import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  getContractAddress,
  http,
  isAddressEqual,
  maxUint256,
  parseEther,
  parseUnits,
  zeroAddress,
  type Address,
  type Chain,
  type Hash,
  type HttpTransport,
  type JsonRpcAccount,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from 'viem';
import { compileTestToken, testTokenAbi } from './compileTestToken.js';
import type { Anvil } from './startAnvil.js';
import { uniswapV2FactoryAbi, uniswapV2RouterAbi, weth9Abi } from './uniswapV2Abis.js';
import { loadUniswapV2Artifacts } from './uniswapV2Artifacts.js';

/** The reserves every world starts with: ETH at $3,000, MEME at $0.03, PEPE at 0.1 MEME. */
export const seededPools = {
  wethUsdc: { weth: parseEther('100'), usdc: parseUnits('300000', 6) },
  memeWeth: { meme: parseEther('1000000'), weth: parseEther('10') },
  memeUsdc: { meme: parseEther('1000000'), usdc: parseUnits('30000', 6) },
  pepeMeme: { pepe: parseEther('10000000'), meme: parseEther('1000000') },
} as const;

/** A wallet client bound to one of anvil's unlocked accounts. */
export type UniswapWorldClient = WalletClient<HttpTransport, Chain, JsonRpcAccount>;

/**
 * Uniswap V2 on anvil with WETH, a 6-decimals USDC and two 18-decimals tokens, MEME and PEPE.
 * Pools: WETH/USDC, MEME/WETH, MEME/USDC and PEPE/MEME (PEPE reaches WETH or USDC only through MEME).
 *
 * Every helper sends one transaction (plus an approve, mined just before it, ahead of a token-in swap) with an
 * explicit gas limit and returns its hash without waiting. With automine on each is mined right after it is sent,
 * but anvil may answer before the block exists: wait for the receipt. With automine off, helpers land in the next
 * `anvil.mine()` block in call order. A path that starts at WETH is paid in ETH, and one that ends at WETH pays
 * out ETH, as the router's ETH functions do. Addresses are checksummed.
 */
export type UniswapWorld = {
  anvil: Anvil;
  chain: Chain;
  weth: Address;
  usdc: Address;
  meme: Address;
  pepe: Address;
  factory: Address;
  router: Address;
  pairs: { wethUsdc: Address; memeWeth: Address; memeUsdc: Address; pepeMeme: Address };
  /** anvil's account 0: deployed everything and holds the liquidity. */
  deployer: Address;
  /** anvil's accounts 1..9: 10,000 ETH each and no tokens and no history. */
  accounts: Address[];
  publicClient: PublicClient<HttpTransport, Chain>;
  /** A wallet client that sends as `account` through anvil's unlocked accounts. */
  walletClient(account: Address): UniswapWorldClient;

  /** Buys `token` with exactly `ethAmount` wei (swapExactETHForTokens). */
  buyWithEth(from: Address, token: Address, ethAmount: bigint): Promise<Hash>;
  /** Approves, then buys `token` with exactly `usdcAmount` (6 decimals) USDC (swapExactTokensForTokens). */
  buyWithUsdc(from: Address, token: Address, usdcAmount: bigint): Promise<Hash>;
  /** Approves, then sells `amount` of `token` for ETH; the router unwraps WETH and pays ETH by an internal call. */
  sellForEth(from: Address, token: Address, amount: bigint): Promise<Hash>;
  /** Approves, then sells `amount` of `token` for USDC. */
  sellForUsdc(from: Address, token: Address, amount: bigint): Promise<Hash>;
  /** Swaps exactly `amountIn` of `path[0]` along `path` (approving first unless it starts at WETH). */
  multiHop(from: Address, path: Address[], amountIn: bigint): Promise<Hash>;
  /** Approves, then swaps exactly `amountIn` of `path[0]` token for token: WETH in or out stays WETH, never ETH. */
  swapTokens(from: Address, path: Address[], amountIn: bigint): Promise<Hash>;
  /** A plain ERC-20 transfer. */
  transferToken(from: Address, token: Address, to: Address, amount: bigint): Promise<Hash>;
  /** A plain ETH transfer. */
  sendEth(from: Address, to: Address, amount: bigint): Promise<Hash>;
  /** A buy that reverts on chain (amountOutMin out of reach) and is still mined: the sender pays only gas. */
  failedSwap(from: Address, token: Address, ethAmount: bigint): Promise<Hash>;
  /** Gives `to` tokens from nowhere: a mint by the deployer (for WETH, a deposit by the deployer then a transfer). */
  fundToken(token: Address, to: Address, amount: bigint): Promise<Hash>;
  /** One transaction touching two wallets: `from` pays `ethAmount` and `to` receives the `token` bought. */
  swapForTwo(from: Address, to: Address, token: Address, ethAmount: bigint): Promise<Hash>;
};

const DEADLINE = maxUint256;
const TOKEN_CALL_GAS = 100_000n;
const ADD_LIQUIDITY_GAS = 4_000_000n; // creating a pair deploys it: about 2.5M gas
const FAILED_SWAP_GAS = 300_000n;

/** Deploys WETH9, the factory, Router02 and the three test tokens, and seeds the four pools, in two blocks. */
export async function deployUniswap(anvil: Anvil): Promise<UniswapWorld> {
  const chain = defineChain({
    id: anvil.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.url] } },
  });
  const transport = http(anvil.url);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const wallets = new Map<Address, UniswapWorldClient>();
  const walletClient = (account: Address): UniswapWorldClient => {
    let wallet = wallets.get(account);
    if (!wallet) {
      wallet = createWalletClient({ account, chain, transport, pollingInterval: 50 });
      wallets.set(account, wallet);
    }
    return wallet;
  };

  const [deployer, ...others] = (await anvil.rpc<Address[]>('eth_accounts')).map((address) => getAddress(address));
  if (!deployer || others.length < 9) throw new Error('anvil exposes fewer than 10 unlocked accounts');
  const accounts = others.slice(0, 9);
  const owner = walletClient(deployer);
  const artifacts = loadUniswapV2Artifacts();
  const token = compileTestToken();

  // Two blocks instead of twenty keeps the chain short; nonces are explicit because nothing is mined in between.
  const wasAutomine = await anvil.rpc<boolean>('anvil_getAutomine');
  if (wasAutomine) await anvil.setAutomine(false);
  try {
    let nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' });
    const next = () => nonce++;

    // The router is built with addresses that exist only once the block is mined; CREATE makes them predictable.
    const addressAt = (offset: number) => getContractAddress({ from: deployer, nonce: BigInt(nonce + offset) });
    const [weth, factory, router, usdc, meme, pepe] = [0, 1, 2, 3, 4, 5].map(addressAt) as [
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
    ];
    const deployment = {
      WETH9: await owner.deployContract({ ...artifacts.weth9, nonce: next() }),
      UniswapV2Factory: await owner.deployContract({ ...artifacts.factory, args: [deployer], nonce: next() }),
      UniswapV2Router02: await owner.deployContract({ ...artifacts.router02, args: [factory, weth], nonce: next() }),
      USDC: await owner.deployContract({ ...token, args: ['USD Coin', 'USDC', 6], nonce: next() }),
      MEME: await owner.deployContract({ ...token, args: ['Meme Coin', 'MEME', 18], nonce: next() }),
      PEPE: await owner.deployContract({ ...token, args: ['Pepe Coin', 'PEPE', 18], nonce: next() }),
    };
    const deployed = await includeInBlocks(anvil, publicClient, deployment);
    const expected = {
      WETH9: weth,
      UniswapV2Factory: factory,
      UniswapV2Router02: router,
      USDC: usdc,
      MEME: meme,
      PEPE: pepe,
    };
    for (const [label, receipt] of Object.entries(deployed)) {
      const address = expected[label as keyof typeof expected];
      if (!receipt.contractAddress || !isAddressEqual(receipt.contractAddress, address)) {
        throw new Error(`${label} was deployed at ${receipt.contractAddress}, not at ${address}`);
      }
    }

    const pools = seededPools;
    const call = (address: Address, functionName: 'mint' | 'approve', args: readonly [Address, bigint]) =>
      owner.writeContract({ address, abi: testTokenAbi, functionName, args, gas: TOKEN_CALL_GAS, nonce: next() });
    const seeding = {
      'mint USDC': await call(usdc, 'mint', [deployer, pools.wethUsdc.usdc + pools.memeUsdc.usdc]),
      'mint MEME': await call(meme, 'mint', [
        deployer,
        pools.memeWeth.meme + pools.memeUsdc.meme + pools.pepeMeme.meme,
      ]),
      'mint PEPE': await call(pepe, 'mint', [deployer, pools.pepeMeme.pepe]),
      'approve USDC': await call(usdc, 'approve', [router, maxUint256]),
      'approve MEME': await call(meme, 'approve', [router, maxUint256]),
      'approve PEPE': await call(pepe, 'approve', [router, maxUint256]),
      'add WETH/USDC': await owner.writeContract({
        address: router,
        abi: uniswapV2RouterAbi,
        functionName: 'addLiquidityETH',
        args: [usdc, pools.wethUsdc.usdc, 0n, 0n, deployer, DEADLINE],
        value: pools.wethUsdc.weth,
        gas: ADD_LIQUIDITY_GAS,
        nonce: next(),
      }),
      'add MEME/WETH': await owner.writeContract({
        address: router,
        abi: uniswapV2RouterAbi,
        functionName: 'addLiquidityETH',
        args: [meme, pools.memeWeth.meme, 0n, 0n, deployer, DEADLINE],
        value: pools.memeWeth.weth,
        gas: ADD_LIQUIDITY_GAS,
        nonce: next(),
      }),
      'add MEME/USDC': await owner.writeContract({
        address: router,
        abi: uniswapV2RouterAbi,
        functionName: 'addLiquidity',
        args: [meme, usdc, pools.memeUsdc.meme, pools.memeUsdc.usdc, 0n, 0n, deployer, DEADLINE],
        gas: ADD_LIQUIDITY_GAS,
        nonce: next(),
      }),
      'add PEPE/MEME': await owner.writeContract({
        address: router,
        abi: uniswapV2RouterAbi,
        functionName: 'addLiquidity',
        args: [pepe, meme, pools.pepeMeme.pepe, pools.pepeMeme.meme, 0n, 0n, deployer, DEADLINE],
        gas: ADD_LIQUIDITY_GAS,
        nonce: next(),
      }),
    };
    await includeInBlocks(anvil, publicClient, seeding);

    const pairOf = async (a: Address, b: Address) => {
      const pair = await publicClient.readContract({
        address: factory,
        abi: uniswapV2FactoryAbi,
        functionName: 'getPair',
        args: [a, b],
      });
      if (isAddressEqual(pair, zeroAddress)) throw new Error(`no pair was created for ${a}/${b}`);
      return pair;
    };
    const pairs = {
      wethUsdc: await pairOf(weth, usdc),
      memeWeth: await pairOf(meme, weth),
      memeUsdc: await pairOf(meme, usdc),
      pepeMeme: await pairOf(pepe, meme),
    };

    return createHelpers({
      anvil,
      chain,
      weth,
      usdc,
      meme,
      pepe,
      factory,
      router,
      pairs,
      deployer,
      accounts,
      publicClient,
      walletClient,
    });
  } finally {
    if (wasAutomine) await anvil.setAutomine(true);
  }
}

type WorldBase = Omit<
  UniswapWorld,
  | 'buyWithEth'
  | 'buyWithUsdc'
  | 'sellForEth'
  | 'sellForUsdc'
  | 'multiHop'
  | 'swapTokens'
  | 'transferToken'
  | 'sendEth'
  | 'failedSwap'
  | 'fundToken'
  | 'swapForTwo'
>;

function createHelpers(world: WorldBase): UniswapWorld {
  const { weth, usdc, factory, router, deployer, publicClient, walletClient } = world;

  const approve = (from: Address, token: Address, amount: bigint) =>
    walletClient(from).writeContract({
      address: token,
      abi: testTokenAbi,
      functionName: 'approve',
      args: [router, amount],
      gas: TOKEN_CALL_GAS,
    });

  type SwapOptions = { to?: Address; amountOutMin?: bigint; gas?: bigint; tokensOnly?: boolean };
  const swap = async (from: Address, path: Address[], amountIn: bigint, options: SwapOptions = {}): Promise<Hash> => {
    const [tokenIn, tokenOut] = [path[0], path.at(-1)];
    if (!tokenIn || !tokenOut || path.length < 2) throw new Error('a swap path needs at least two tokens');
    const { to = from, amountOutMin = 0n } = options;
    await assertPoolsExist(path);
    // Every hop swaps and transfers; the first swap through a pair also warms its storage.
    const gas = options.gas ?? 150_000n + 150_000n * BigInt(path.length - 1);
    const wallet = walletClient(from);
    if (isAddressEqual(tokenIn, weth) && !options.tokensOnly) {
      return wallet.writeContract({
        address: router,
        abi: uniswapV2RouterAbi,
        functionName: 'swapExactETHForTokens',
        args: [amountOutMin, path, to, DEADLINE],
        value: amountIn,
        gas,
      });
    }
    // Note: the swap's explicit gas limit is what lets it follow an unmined approve in the same block.
    await approve(from, tokenIn, amountIn);
    return wallet.writeContract({
      address: router,
      abi: uniswapV2RouterAbi,
      functionName: isAddressEqual(tokenOut, weth) && !options.tokensOnly ? 'swapExactTokensForETH' : 'swapExactTokensForTokens',
      args: [amountIn, amountOutMin, path, to, DEADLINE],
      gas,
    });
  };

  /** A missing pool would otherwise show up only as a reverted transaction. */
  const assertPoolsExist = async (path: Address[]) => {
    for (let hop = 1; hop < path.length; hop++) {
      const [tokenA, tokenB] = [path[hop - 1]!, path[hop]!];
      const pair = await publicClient.readContract({
        address: factory,
        abi: uniswapV2FactoryAbi,
        functionName: 'getPair',
        args: [tokenA, tokenB],
      });
      if (isAddressEqual(pair, zeroAddress)) throw new Error(`no Uniswap V2 pool for ${tokenA}/${tokenB}`);
    }
  };

  return {
    ...world,
    buyWithEth: (from, token, ethAmount) => swap(from, [weth, token], ethAmount),
    buyWithUsdc: (from, token, usdcAmount) => swap(from, [usdc, token], usdcAmount),
    sellForEth: (from, token, amount) => swap(from, [token, weth], amount),
    sellForUsdc: (from, token, amount) => swap(from, [token, usdc], amount),
    multiHop: (from, path, amountIn) => swap(from, path, amountIn),
    swapTokens: (from, path, amountIn) => swap(from, path, amountIn, { tokensOnly: true }),
    swapForTwo: (from, to, token, ethAmount) => swap(from, [weth, token], ethAmount, { to }),
    failedSwap: (from, token, ethAmount) =>
      swap(from, [weth, token], ethAmount, { amountOutMin: maxUint256, gas: FAILED_SWAP_GAS }),
    transferToken: (from, token, to, amount) =>
      walletClient(from).writeContract({
        address: token,
        abi: testTokenAbi,
        functionName: 'transfer',
        args: [to, amount],
        gas: TOKEN_CALL_GAS,
      }),
    sendEth: (from, to, amount) =>
      // Room above 21,000 in case `to` is a contract with a receive function.
      walletClient(from).sendTransaction({ to, value: amount, gas: TOKEN_CALL_GAS }),
    async fundToken(token, to, amount) {
      const owner = walletClient(deployer);
      if (!isAddressEqual(token, weth)) {
        return owner.writeContract({
          address: token,
          abi: testTokenAbi,
          functionName: 'mint',
          args: [to, amount],
          gas: TOKEN_CALL_GAS,
        });
      }
      await owner.writeContract({
        address: weth,
        abi: weth9Abi,
        functionName: 'deposit',
        value: amount,
        gas: TOKEN_CALL_GAS,
      });
      return owner.writeContract({
        address: weth,
        abi: testTokenAbi,
        functionName: 'transfer',
        args: [to, amount],
        gas: TOKEN_CALL_GAS,
      });
    },
  };
}

/** Mines until every labelled transaction has a receipt, and fails naming the first that reverted. */
async function includeInBlocks<K extends string>(
  anvil: Anvil,
  publicClient: PublicClient<HttpTransport, Chain>,
  hashes: Record<K, Hash>,
): Promise<Record<K, TransactionReceipt>> {
  const receipts = {} as Record<K, TransactionReceipt>;
  const labels = Object.keys(hashes) as K[];
  for (let attempt = 0; attempt < 5; attempt++) {
    await anvil.mine();
    for (const label of labels) {
      if (receipts[label]) continue;
      const receipt = await publicClient.getTransactionReceipt({ hash: hashes[label] }).catch(() => undefined);
      if (receipt) receipts[label] = receipt;
    }
    if (labels.every((label) => receipts[label])) break;
  }
  for (const label of labels) {
    const receipt = receipts[label];
    if (!receipt) throw new Error(`${label} was not mined`);
    if (receipt.status !== 'success') throw new Error(`${label} reverted (tx ${receipt.transactionHash})`);
  }
  return receipts;
}
