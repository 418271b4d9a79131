/**
 * What a program is to a trader: an aggregator or trading bot that routes an order, an
 * exchange that fills it, or a launchpad that sells a new token on a bonding curve.
 */
export type SolanaVenueKind = 'aggregator' | 'bot' | 'exchange' | 'launchpad';

/** A well-known Solana program that trades happen on or through. */
export type SolanaVenue = { name: string; kind: SolanaVenueKind };

const table: ReadonlyArray<readonly [programId: string, name: string, kind: SolanaVenueKind]> = [
  ['JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4', 'Jupiter v6', 'aggregator'],
  ['JUP4Fb2cqiRUcaTHdrPC8h2gNsA2ETXiPDD33WcGuJB', 'Jupiter v4', 'aggregator'],
  ['JUP2jxvXaqu7NQY1GmNF4m1vodw12LVXYxbFL2uJvfo', 'Jupiter v2', 'aggregator'],
  ['DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M', 'Jupiter DCA', 'aggregator'],
  ['jupoNjAxXgZ4rjzxzPMP4oxduvQsQtZzyknqvzYNrNu', 'Jupiter Limit Order', 'aggregator'],
  ['j1o2qRpjcyUwEvwtcfhEQefh773ZgjxcVRry7LDqg5X', 'Jupiter Limit Order v2', 'aggregator'],
  ['VALaaymxQh2mNy2trH9jUqHT1mTow76wpTcGmSWSwJe', 'Jupiter Value Average', 'aggregator'],
  ['61DFfeTKM7trxYcPQCM78bJ794ddZprZpAwAnLiwTpYH', 'Jupiter Order Engine', 'aggregator'],
  ['6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma', 'OKX DEX', 'aggregator'],
  ['proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u', 'OKX DEX v2', 'aggregator'],
  ['DF1ow4tspfHX9JwWJsAb9epbkA8hmpSEAtxXy1V27QBH', 'DFlow', 'aggregator'],
  ['T1TANpTeScyeqVzzgNViGDNrkQ6qHz9KrSBS4aNXvGT', 'Titan', 'aggregator'],
  ['routeUGWgWzqBWFcrCfv8tritsqukccJPu3q5GPP3xS', 'Raydium Route', 'aggregator'],

  ['BSfD6SHZigAfDWSjzD5Q41jw8LmKwtmjskPH9XW1mrRW', 'Photon', 'bot'],
  ['BANANAjs7FJiPQqJTGFzkZJndT9o7UmKiYYGaJz6frGu', 'Banana Gun', 'bot'],
  ['MaestroAAe9ge5HTc64VbBQZ6fP77pwvrhM8i1XWSAx', 'Maestro', 'bot'],
  ['b1oomGGqPKGD6errbyfbVMBuzSC8WtAAYo8MwNafWW1', 'Bloom', 'bot'],
  ['NoVA1TmDUqksaj2hB1nayFkPysjJbFiU76dT4qPw2wm', 'Nova', 'bot'],
  ['JSW99DKmxNyREQM14SQLDykeBvEUG63TeohrvmofEiw', 'Ape Pro', 'bot'],

  ['675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8', 'Raydium AMM v4', 'exchange'],
  ['CPMMoo8L3F4NbTegBCKVNunggL7H1ZpdTHKxQB5qKP1C', 'Raydium CPMM', 'exchange'],
  ['CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK', 'Raydium CLMM', 'exchange'],
  ['whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc', 'Orca Whirlpool', 'exchange'],
  ['9W959DqEETiGZocYWCQPaJ6sBmUzgfxXfqGeTEdp3aQP', 'Orca v2', 'exchange'],
  ['DjVE6JNiYqPL2QXyCUUh8rNjHrbz9hXHNYt99MQ59qw1', 'Orca v1', 'exchange'],
  ['pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA', 'PumpSwap', 'exchange'],
  ['LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo', 'Meteora DLMM', 'exchange'],
  ['Eo7WjKq67rjJQSZxS6z3YkapzY3eMj6Xy8X5EQVn5UaB', 'Meteora DAMM v1', 'exchange'],
  ['cpamdpZCGKUy5JxQXB4dcpGPiikHawvSWAd6mEn1sGG', 'Meteora DAMM v2', 'exchange'],
  ['MERLuDFBMmsHnsBPZw2sDQZHvXFMwp8EdjudcU2HKky', 'Mercurial', 'exchange'],
  ['PhoeNiXZ8ByJGLkxNfZRnkUfjvmuYqLR89jjFHGqdXY', 'Phoenix', 'exchange'],
  ['EewxydAPCCVuNEyrVN68PuSYdQ7wKn27V9Gjeoi8dy3S', 'Lifinity v1', 'exchange'],
  ['2wT8Yq49kHgDzXuPxZSaeLaH1qbmGXtEyPy64bL7aD3c', 'Lifinity v2', 'exchange'],
  ['9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin', 'Serum v3', 'exchange'],
  ['srmqPvymJeFKQ4zGQed1GFppgkRHL9kaELCbyksJtPX', 'OpenBook', 'exchange'],
  ['opnb2LAfJYbRMAHHvqjCwQxanZn7ReEHp1k81EohpZb', 'OpenBook v2', 'exchange'],
  ['SSwpkEEcbUqx4vtoEByFjSkhKdCT862DNVb52nZg1UZ', 'Saber', 'exchange'],
  ['AMM55ShdkoGRB5jVYPjWziwk8m5MpwyDgsMWHaMSQWH6', 'Aldrin', 'exchange'],
  ['CURVGoZn8zycx6FXwwevgBTB2gVvdbGTEpvMJDbgs2t4', 'Aldrin v2', 'exchange'],
  ['SSwapUtytfBdBn1b9NUGG6foMVPtcWgpRU32HToDUZr', 'Saros', 'exchange'],
  ['FLUXubRmkEi2q6K3Y9kBPg9248ggaZVsoSFhtJHSrm1X', 'FluxBeam', 'exchange'],
  ['swapNyd8XiQwJ6ianp9snpu4brUqFxadzvHebnAXjJZ', 'Stabble Stable Swap', 'exchange'],
  ['swapFpHZwjELNnjvThjajtiVmkz3yPQEHjLtka2fwHW', 'Stabble Weighted Swap', 'exchange'],
  ['9H6tua7jkLhdm3w8BvgpTn5LZNU7g4ZynDmCiNN3q6Rp', 'HumidiFi', 'exchange'],
  ['SoLFiHG9TfgtdUXUjWAxi3LtvYuFyDLVhBWxdMZxyCe', 'SolFi', 'exchange'],
  ['SV2EYYJyRz2YhfXwXnhNAevDEui5Q6yrfyo13WtupPF', 'SolFi v2', 'exchange'],
  ['TessVdML9pBGgG9yGks7o4HewRaXVAMuoVj4x83GLQH', 'Tessera V', 'exchange'],
  ['ZERor4xhbUycZ6gb9ntrhqscUcZmAbQDjEAtCf4hbZY', 'ZeroFi', 'exchange'],
  ['ALPHAQmeA7bjrVuccPsYPiCvsi428SNwte66Srvs4pHA', 'AlphaQ', 'exchange'],
  ['MNFSTqtC93rEfYHB6hF82sKdZpUDFWkViLByLd1k1Ms', 'Manifest', 'exchange'],
  ['REALQqNEomY6cQGZJUGwywTBD2UmDT32rZcNnfxQ5N2', 'Byreal', 'exchange'],
  ['GAMMA7meSFWaBXF25oSUgmGRwaW6sCMFLmBNiMSdbHVT', 'GooseFX Gamma', 'exchange'],
  ['fUSioN9YKKSa3CUC2YUc4tPkHJ5Y6XW1yz8y6F7qWz9', 'FusionAMM', 'exchange'],
  ['DEXYosS6oEGvk8uCDayvwEZz4qEyDJRf9nFgYCaqPMTm', '1DEX', 'exchange'],
  ['stkitrT1Uoy18Dk1fTrgPw8W6MVzoCfYoAFT4MLsmhq', 'Sanctum Router', 'exchange'],
  ['5ocnV1qiCgaQR8Jb8xWnVbApfaygJ8tNoZfgPwsgx9kx', 'Sanctum Infinity', 'exchange'],

  ['6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P', 'Pump.fun', 'launchpad'],
  ['LanMV9sAd7wArD4vJFi2qDdfnVhFxYSUg6eADduJ3uj', 'Raydium LaunchLab', 'launchpad'],
  ['dbcij3LWUppWqq96dh6gJWwBifmcGfLSB5D4DuSMaqN', 'Meteora DBC', 'launchpad'],
  ['MoonCVVNZFSYkqNXP6bxHLPL6QQJiMagDL3qcqUQTrG', 'Moonit', 'launchpad'],
  ['boop8hVGQGqehUK2iVEMEnMrL5RbjywRzHKBmBE7ry4', 'Boop.fun', 'launchpad'],
  ['HEAVENoP2qxoeuF8Dj2oT1GHEnu49U5mJYkdeC8BAX2o', 'Heaven', 'launchpad'],
];

/** Well-known Solana trading programs by program id. */
export const SOLANA_VENUES: ReadonlyMap<string, SolanaVenue> = new Map(
  table.map(([programId, name, kind]) => [programId, { name, kind }]),
);

// Note: aggregators and trading bots route the order the wallet placed, so they name the
// trade first; the exchanges they filled it on follow.
const routesOrders = (kind: SolanaVenueKind): boolean => kind === 'aggregator' || kind === 'bot';

/** Names of the known venues among programIds, routers first, then by first appearance. */
export function venuesOf(programIds: Iterable<string>): string[] {
  const venues: SolanaVenue[] = [];
  for (const programId of programIds) {
    const venue = SOLANA_VENUES.get(programId);
    if (venue !== undefined && !venues.includes(venue)) venues.push(venue);
  }
  const names = [...venues.filter((v) => routesOrders(v.kind)), ...venues.filter((v) => !routesOrders(v.kind))].map(
    (venue) => venue.name,
  );
  return [...new Set(names)];
}
