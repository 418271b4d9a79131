import { describe, expect, it } from 'vitest';

import { isSolanaAddress } from './base58.js';
import { SOLANA_VENUES, venuesOf } from './venues.js';

const JUPITER_V6 = 'JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4';
const RAYDIUM_AMM_V4 = '675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8';
const ORCA_WHIRLPOOL = 'whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc';
const PUMP_FUN = '6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P';
const PHOTON = 'BSfD6SHZigAfDWSjzD5Q41jw8LmKwtmjskPH9XW1mrRW';
const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

describe('venuesOf', () => {
  it('behavior: names the aggregator first, then exchanges in order of first appearance', () => {
    expect(venuesOf([ORCA_WHIRLPOOL, TOKEN_PROGRAM, JUPITER_V6, RAYDIUM_AMM_V4, ORCA_WHIRLPOOL])).toEqual([
      'Jupiter v6',
      'Orca Whirlpool',
      'Raydium AMM v4',
    ]);
  });

  it('behavior: names a trading bot before the launchpad it bought on', () => {
    expect(venuesOf([PUMP_FUN, PHOTON])).toEqual(['Photon', 'Pump.fun']);
  });

  it('behavior: ignores programs that are not venues', () => {
    expect(venuesOf([TOKEN_PROGRAM, '11111111111111111111111111111111'])).toEqual([]);
  });

  it('behavior: every program id in the table is a valid address', () => {
    for (const programId of SOLANA_VENUES.keys()) expect(isSolanaAddress(programId), programId).toBe(true);
  });

  it('behavior: venue names are unique', () => {
    const names = [...SOLANA_VENUES.values()].map((venue) => venue.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
