import type { EvmFollowMode } from './evmFollowMode.js';
import type { SolanaCommitment, SolanaFollowMode } from './solanaFollowMode.js';

/** Everything Lookout needs to know to follow one chain, by kind (see src/tracker/chainKinds.ts). EVM addresses are lower-case. */
export type ChainConfig = EvmChainConfig | SolanaChainConfig | BitcoinChainConfig | StellarChainConfig;

/** The kinds of chain Lookout follows. */
export type ChainKindName = ChainConfig['kind'];

/** An EVM chain: followed block by block over JSON-RPC. */
export type EvmChainConfig = ChainConfigBase & {
  kind: 'evm';
  /** EVM chain id; null for a custom chain that did not say it. */
  chainId: number | null;
  /** Multicall3 address for batched reads, when the chain has it. */
  multicall3: string | null;
  /** Whole blocks, the followed wallets' data only, or chosen by the wallet count (`EVM_FOLLOW_MODE`); default `auto`. */
  followMode?: EvmFollowMode;
  /**
   * A Flashblocks-aware JSON-RPC endpoint (`BASE_FLASHBLOCKS_URL`, `flashblocksUrl`) whose `pending` tag serves the
   * block being built: when set, followed wallets' preconfirmed transactions are alerted before their block seals.
   */
  flashblocksUrl?: string | null;
};

/** A Solana cluster: followed address by address (signatures), woken by logsSubscribe. */
export type SolanaChainConfig = ChainConfigBase & {
  kind: 'solana';
  chainId: null;
  multicall3: null;
  /** Per-address polling, every block, or chosen by the wallet count (default auto; `SOLANA_FOLLOW_MODE`). */
  followMode?: SolanaFollowMode;
  /** A Yellowstone (Geyser) gRPC endpoint (`SOLANA_GRPC_URL`): when set, the chain is followed over its stream. */
  grpcUrl?: string | null;
  /** Its x-token (`SOLANA_GRPC_TOKEN`); a secret, never logged. */
  grpcToken?: string | null;
  /** `SOLANA_COMMITMENT`; default confirmed. */
  commitment?: SolanaCommitment;
};

/** Bitcoin: followed block by block through an Esplora-compatible HTTP API (`rpcUrls`, `BITCOIN_API_URL`). */
export type BitcoinChainConfig = ChainConfigBase & {
  kind: 'bitcoin';
  chainId: null;
  multicall3: null;
};

/** Stellar: each followed account's operations and trades through Horizon (`rpcUrls`, `STELLAR_HORIZON_URL`). */
export type StellarChainConfig = ChainConfigBase & {
  kind: 'stellar';
  chainId: null;
  multicall3: null;
};

/** What every chain's configuration has, whatever its kind. */
type ChainConfigBase = {
  name: string;
  /** Several URLs fail over in order. */
  rpcUrls: string[];
  wsUrl: string | null;
  nativeSymbol: string;
  nativeDecimals: number;
  /** The wrapped form of the native coin (WETH, wS, wSOL), treated as the same quote asset. */
  wrappedNative: string | null;
  /** Quote assets of the first rank: a trade against one of them is priced from it directly. */
  stablecoins: string[];
  explorer: string;
  blockTimeMs: number;
  /** How many blocks back a reorg can reach; 0 on a chain with instant finality. */
  reorgWindow: number;
  /** Most blocks read per range (one getLogs, one batch of bodies); lower it for RPCs that limit ranges. */
  maxBlockRange: number;
  /**
   * Where the native coin's USD price is read: a Chainlink AggregatorV3 feed on EVM chains, a Pyth price
   * account on Solana (a push-feed `PriceUpdateV2` account or a legacy price account). Null or absent when
   * the chain has none configured; trades then need a stablecoin leg or the price API to be priced.
   */
  nativeUsdFeed?: string | null;
};

const MULTICALL3 = '0xca11bde05977b3631167028862be2a173976ca11';

/** Built-in presets; any field can be overridden from the configuration file or the environment. */
export const CHAIN_PRESETS: readonly ChainConfig[] = [
  {
    name: 'base',
    kind: 'evm',
    chainId: 8453,
    rpcUrls: ['https://mainnet.base.org', 'https://base-rpc.publicnode.com'],
    wsUrl: null,
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    wrappedNative: '0x4200000000000000000000000000000000000006',
    stablecoins: [
      '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', // USDC
      '0xd9aaec86b65d86f6a7b5b1b0c42ffa531710b6ca', // USDbC
      '0x50c5725949a6f0c72e6c4a641f24049a917db0cb', // DAI
      '0xfde4c96c8593536e31f229ea8f37b2ada2699bb2', // USDT
    ],
    explorer: 'https://basescan.org',
    blockTimeMs: 2_000,
    reorgWindow: 64,
    multicall3: MULTICALL3,
    maxBlockRange: 100,
    nativeUsdFeed: '0x71041dddad3595f9ced3dccfbe3d1f4b0a16bb70', // Chainlink ETH / USD
  },
  {
    name: 'sonic',
    kind: 'evm',
    chainId: 146,
    rpcUrls: ['https://rpc.soniclabs.com', 'https://sonic-rpc.publicnode.com'],
    wsUrl: null,
    nativeSymbol: 'S',
    nativeDecimals: 18,
    wrappedNative: '0x039e2fb66102314ce7b64ce5ce3e5183bc94ad38',
    stablecoins: [
      '0x29219dd400f2bf60e5a23d13be72b486d4038894', // USDC.e
    ],
    explorer: 'https://sonicscan.org',
    blockTimeMs: 1_000,
    // Note: Sonic blocks are final as soon as they are produced.
    reorgWindow: 0,
    multicall3: MULTICALL3,
    maxBlockRange: 100,
    // Note: no S / USD feed address is built in; set `nativeUsdFeed` to an AggregatorV3 on Sonic to price S legs.
    nativeUsdFeed: null,
  },
  {
    name: 'ethereum',
    kind: 'evm',
    chainId: 1,
    rpcUrls: ['https://ethereum-rpc.publicnode.com', 'https://eth.llamarpc.com'],
    wsUrl: null,
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    wrappedNative: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
    stablecoins: [
      '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', // USDC
      '0xdac17f958d2ee523a2206206994597c13d831ec7', // USDT
      '0x6b175474e89094c44da98b954eedeac495271d0f', // DAI
    ],
    explorer: 'https://etherscan.io',
    blockTimeMs: 12_000,
    reorgWindow: 64,
    multicall3: MULTICALL3,
    maxBlockRange: 100,
    nativeUsdFeed: '0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419', // Chainlink ETH / USD
  },
  {
    name: 'solana',
    kind: 'solana',
    chainId: null,
    rpcUrls: ['https://api.mainnet-beta.solana.com'],
    wsUrl: null,
    nativeSymbol: 'SOL',
    nativeDecimals: 9,
    wrappedNative: 'So11111111111111111111111111111111111111112',
    stablecoins: [
      'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', // USDC
      'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', // USDT
    ],
    explorer: 'https://solscan.io',
    blockTimeMs: 400,
    reorgWindow: 0,
    multicall3: null,
    maxBlockRange: 100,
    // Pyth SOL / USD push feed (a PriceUpdateV2 account, shard 0). The legacy price account
    // H6ARHf6YXhGYeQfUzQNGk6rDNnLBQKrenN712K4AQJEG is no longer updated on Solana mainnet.
    nativeUsdFeed: '7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE',
  },
  {
    name: 'bitcoin',
    kind: 'bitcoin',
    chainId: null,
    // Esplora API roots; mempool.space speaks the same API under /api.
    rpcUrls: ['https://blockstream.info/api', 'https://mempool.space/api'],
    wsUrl: null,
    nativeSymbol: 'BTC',
    nativeDecimals: 8,
    wrappedNative: null,
    stablecoins: [],
    explorer: 'https://mempool.space',
    blockTimeMs: 600_000,
    reorgWindow: 6,
    multicall3: null,
    maxBlockRange: 10,
    nativeUsdFeed: null,
  },
  {
    name: 'stellar',
    kind: 'stellar',
    chainId: null,
    rpcUrls: ['https://horizon.stellar.org'],
    wsUrl: null,
    nativeSymbol: 'XLM',
    nativeDecimals: 7,
    wrappedNative: null,
    stablecoins: [
      'USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN', // Circle USDC
    ],
    explorer: 'https://stellar.expert/explorer/public',
    blockTimeMs: 5_000,
    // Note: Stellar ledgers are final once closed.
    reorgWindow: 0,
    multicall3: null,
    maxBlockRange: 200,
    nativeUsdFeed: null,
  },
];

/** A link to a transaction or an address on the chain's explorer. */
export function explorerUrl(chain: Pick<ChainConfig, 'kind' | 'explorer'>, what: 'tx' | 'address', id: string): string {
  const base = chain.explorer.replace(/\/+$/, '');
  const path = what === 'tx' ? 'tx' : chain.kind === 'solana' || chain.kind === 'stellar' ? 'account' : 'address';
  return `${base}/${path}/${id}`;
}
