import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SolanaChainConfig } from '../../../src/config/chainPresets.js';
import { decodeSolanaTransaction } from '../../../src/tracker/solana/decodeSolanaTransaction.js';
import { readSolanaTransactions } from '../../../src/tracker/solana/readSolanaTransactionFile.js';

export type JsonObject = Record<string, unknown>;

const fixturesDir = fileURLToPath(new URL('../../fixtures/solana/', import.meta.url));
let paths: Map<string, string> | undefined;

/** A real mainnet transaction of test/fixtures/solana by its file name, as getTransaction answers it. */
export function solanaFixture(name: string): JsonObject {
  paths ??= new Map(
    (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
      );
    })(fixturesDir).map((path) => [basename(path), path]),
  );
  return readSolanaTransactions(JSON.parse(readFileSync(paths.get(name)!, 'utf8')))[0] as JsonObject;
}

/** Trades of several wallets: json legacy, jsonParsed v0, base64 v0 with lookup tables, token-to-token. */
export const TRADE_FIXTURES = [
  'pumpfun_buy_0.json',
  'parsed-sell-txn.json',
  'jupiterAggregatorV6_sharedAccountsRoute_1.json',
  'swap_frlmh_2.json',
  'OKXDEX_swap_1.json',
  'raydiumLiquidityPoolV4_swap_0.json',
  'photon_pumpfun_buy_0.json',
  'swap_frlmh_via_jupiter_4.json',
  'photon_pumpfun_sell.json',
  'jupiter_route_8.json',
];

/** The fee payers of TRADE_FIXTURES: the wallets whose trades they are. */
export function tradeFixturePayers(): string[] {
  return [...new Set(TRADE_FIXTURES.map((name) => decodeSolanaTransaction(solanaFixture(name)).feePayer))];
}

/** A Solana chain at a local node, as the follower tests configure it; `overrides` sets the follow mode, stream and the like. */
export function localSolanaChain(url: string, overrides: Partial<SolanaChainConfig> = {}): SolanaChainConfig {
  return {
    name: 'localsol',
    kind: 'solana',
    chainId: null,
    rpcUrls: [url],
    wsUrl: null,
    nativeSymbol: 'SOL',
    nativeDecimals: 9,
    wrappedNative: 'So11111111111111111111111111111111111111112',
    stablecoins: ['EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'],
    explorer: 'https://solscan.io',
    blockTimeMs: 400,
    reorgWindow: 0,
    multicall3: null,
    maxBlockRange: 100,
    ...overrides,
  };
}
