import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { NATIVE } from '../walletDeltas.js';
import { isSolanaAddress } from './base58.js';
import { decodeSolanaTransaction, SolanaDecodeError } from './decodeSolanaTransaction.js';
import { readSolanaTransactions } from './readSolanaTransactionFile.js';

const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/solana/', import.meta.url));

type ExpectedEntry = {
  signature: string;
  wallet: string;
  failed: boolean;
  fee: number;
  deltas: Record<string, string>;
  file: string;
};

const expectedEntries = JSON.parse(readFileSync(join(fixturesDir, 'expected.json'), 'utf8')) as ExpectedEntry[];

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(path);
    return entry.name.endsWith('.json') && entry.name !== 'expected.json' ? [path] : [];
  });
}

const readFixture = (path: string): unknown => JSON.parse(readFileSync(join(fixturesDir, path), 'utf8'));
// Note: fixture file names are unique across the sources, so tests name a fixture by file name alone.
const fixtureNamed = new Map(fixtureFiles(fixturesDir).map((path) => [basename(path), relative(fixturesDir, path)]));
const readFixtureNamed = (name: string): unknown => readFixture(fixtureNamed.get(name) ?? name);

/** The expected files' notation: SOL for the native coin, raw integers as strings. */
function asExpectedDeltas(deltas: Map<string, bigint>): Record<string, string> {
  return Object.fromEntries([...deltas].map(([asset, amount]) => [asset === NATIVE ? 'SOL' : asset, amount.toString()]));
}

describe('decodeSolanaTransaction on expected.json', () => {
  const valid = expectedEntries.filter((entry) => isSolanaAddress(entry.wallet));
  const damaged = expectedEntries.filter((entry) => !isSolanaAddress(entry.wallet));

  it('behavior: covers every expected entry, about a hundred real transactions', () => {
    expect(expectedEntries.length).toBeGreaterThanOrEqual(100);
    expect(valid.length + damaged.length).toBe(expectedEntries.length);
  });

  it.each(valid.map((entry) => [relative('.', entry.file), entry] as const))(
    'behavior: reproduces the wallet deltas of %s',
    (_name, entry) => {
      const decoded = readSolanaTransactions(readFixture(entry.file))
        .map((result) => decodeSolanaTransaction(result))
        .find((transaction) => transaction.signature === entry.signature);
      expect(decoded, 'a transaction with the expected signature').toBeDefined();
      const deltas = decoded!.walletDeltas(entry.wallet);
      expect(decoded!.feePayer).toBe(entry.wallet);
      expect(deltas.wallet).toBe(entry.wallet);
      expect(deltas.failed).toBe(entry.failed);
      expect(deltas.fee).toBe(BigInt(entry.fee));
      expect(asExpectedDeltas(deltas.deltas)).toEqual(entry.deltas);
      if (Object.keys(entry.deltas).length > 0) expect(decoded!.wallets()).toContain(entry.wallet);
    },
  );

  it.each(damaged.map((entry) => [relative('.', entry.file), entry] as const))(
    'error: rejects the damaged transaction of %s with a SolanaDecodeError',
    (_name, entry) => {
      const results = readSolanaTransactions(readFixture(entry.file));
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(() => decodeSolanaTransaction(result)).toThrow(SolanaDecodeError);
      }
    },
  );
});

describe('decodeSolanaTransaction on every fixture file', () => {
  const files = fixtureFiles(fixturesDir).map((path) => relative(fixturesDir, path));

  it('behavior: finds the fixture files of the three sources', () => {
    expect(files.length).toBeGreaterThanOrEqual(150);
  });

  it.each(files)('behavior: decodes %s, or rejects it as damaged', (file) => {
    const json = readFixture(file);
    const decode = (): unknown[] => readSolanaTransactions(json).map((result) => decodeSolanaTransaction(result));
    if (basename(file).startsWith('broken_data')) {
      expect(decode).toThrow(SolanaDecodeError);
      return;
    }
    const decoded = readSolanaTransactions(json).map((result) => decodeSolanaTransaction(result));
    expect(decoded.length).toBeGreaterThan(0);
    for (const transaction of decoded) {
      expect(transaction.accountKeys.length).toBe(transaction.lamports.pre.length);
      expect(transaction.accountKeys).toContain(transaction.feePayer);
      expect(transaction.programIds.length).toBeGreaterThan(0);
    }
    // Test-case wrappers carry the signature and slot next to the raw result.
    const wrapper = json as { signature?: unknown; slot?: unknown };
    if (typeof wrapper.signature === 'string') expect(decoded[0]!.signature).toBe(wrapper.signature);
    if (typeof wrapper.slot === 'number') expect(decoded[0]!.slot).toBe(wrapper.slot);
  });
});

describe('venues of real transactions', () => {
  // Each fixture's file name or description names the venue it traded on.
  it.each([
    ['OKXDEX_swap_0.json', 'OKX DEX'],
    ['jupiterDca_openDcaV2_0.json', 'Jupiter DCA'],
    ['jupiterAggregatorV6_Route_2.json', 'Jupiter v6'],
    ['raydiumLiquidityPoolV4_swap_2.json', 'Raydium AMM v4'],
    ['photon_pumpfun_sell.json', 'Photon'],
    ['pumpfun_sell_0.json', 'Pump.fun'],
    ['swap_jupiter_v2_1.json', 'Jupiter v2'],
    ['swap_jupiter_v4_1.json', 'Jupiter v4'],
    ['swap_jupiter_limit_1.json', 'Jupiter Limit Order'],
    ['swap_jupiter_limit_v2_1.json', 'Jupiter Limit Order v2'],
    ['swap_jupiter_va_1.json', 'Jupiter Value Average'],
    ['swap_jupiterorderengine_1.json', 'Jupiter Order Engine'],
    ['swap_okx_dex_1.json', 'OKX DEX'],
    ['swap_okxlabs2_2.json', 'OKX DEX v2'],
    ['swap_dflow_1.json', 'DFlow'],
    ['swap_titan_1.json', 'Titan'],
    ['swap_raydium_route_1.json', 'Raydium Route'],
    ['swap_bananagun_1.json', 'Banana Gun'],
    ['swap_maestro_1.json', 'Maestro'],
    ['swap_bloom_1.json', 'Bloom'],
    ['swap_nova_1.json', 'Nova'],
    ['swap_apepro_1.json', 'Ape Pro'],
    ['swap_raydium_cpmm_1.json', 'Raydium CPMM'],
    ['swap_raydium_clmm_1.json', 'Raydium CLMM'],
    ['swap_orca_whirlpool_1.json', 'Orca Whirlpool'],
    ['swap_orca_v1_1.json', 'Orca v1'],
    ['swap_orca_v2_1.json', 'Orca v2'],
    ['swap_pumpswap_1.json', 'PumpSwap'],
    ['swap_meteora_dlmm_1.json', 'Meteora DLMM'],
    ['swap_meteora_damm_1.json', 'Meteora DAMM v1'],
    ['swap_meteora_damm_v2_1.json', 'Meteora DAMM v2'],
    ['swap_mercurial_1.json', 'Mercurial'],
    ['swap_phoenix_1.json', 'Phoenix'],
    ['swap_lifinity_1.json', 'Lifinity v1'],
    ['swap_saber_1.json', 'Saber'],
    ['swap_aldrin_1.json', 'Aldrin'],
    ['swap_aldrin_v2_1.json', 'Aldrin v2'],
    ['swap_saros_1.json', 'Saros'],
    ['swap_fluxbeam_1.json', 'FluxBeam'],
    ['swap_stabble_1.json', 'Stabble Stable Swap'],
    ['swap_stabble_weight_1.json', 'Stabble Weighted Swap'],
    ['swap_humidifi_1.json', 'HumidiFi'],
    ['swap_solfi_1.json', 'SolFi'],
    ['swap_solfiv2_1.json', 'SolFi v2'],
    ['swap_tesserav_1.json', 'Tessera V'],
    ['swap_jupiter_dca_1.json', 'ZeroFi'],
    ['swap_alphaq_1.json', 'AlphaQ'],
    ['swap_manifest_1.json', 'Manifest'],
    ['swap_byreal_1.json', 'Byreal'],
    ['swap_goosefx_gamma_1.json', 'GooseFX Gamma'],
    ['swap_fusion_via_pumpswap_1.json', 'FusionAMM'],
    ['swap_1dex_1.json', '1DEX'],
    ['swap_sanctum_1.json', 'Sanctum Router'],
    ['swap_raydium_launchpad_1.json', 'Raydium LaunchLab'],
    ['swap_mintech_1.json', 'Meteora DBC'],
    ['swap_moonit_1.json', 'Moonit'],
    ['swap_boopfun_1.json', 'Boop.fun'],
    ['swap_heaven_1.json', 'Heaven'],
  ])('behavior: %s trades on %s', (name, venue) => {
    const [result] = readSolanaTransactions(readFixtureNamed(name));
    expect(decodeSolanaTransaction(result).venues).toContain(venue);
  });
});
