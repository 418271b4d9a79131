import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyTrade, type QuoteAssets, type TradeClassification } from './classifyTrade.js';
import { NATIVE, TRADE_KINDS, type TradeKind } from './walletDeltas.js';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const PEPE = '0x6982508145454ce325ddbe47a25d4ec3d2311933';
const LINK = '0x514910771af9ca656af840dff83e8264ecf986ca';
const LP = '0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc';

const ETHEREUM: QuoteAssets = { stablecoins: [USDC, USDT], wrappedNative: WETH };
const ETH = 10n ** 18n;

function deltas(entries: Record<string, bigint>): Map<string, bigint> {
  return new Map(Object.entries(entries));
}

type Case = {
  name: string;
  deltas: Record<string, bigint>;
  quotes?: QuoteAssets;
  kind: TradeKind;
  base?: string | null;
  quote?: string | null;
};

const cases: Case[] = [
  { name: 'NATIVE out and a token in is a buy priced in NATIVE', deltas: { [NATIVE]: -ETH, [PEPE]: 5n }, kind: 'buy', base: PEPE, quote: NATIVE },
  { name: 'a stablecoin out and a token in is a buy priced in the stablecoin', deltas: { [USDC]: -100n, [PEPE]: 5n }, kind: 'buy', base: PEPE, quote: USDC },
  { name: 'wrapped native out and a token in is a buy priced in it', deltas: { [WETH]: -ETH, [PEPE]: 5n }, kind: 'buy', base: PEPE, quote: WETH },
  { name: 'a token out and NATIVE in is a sell', deltas: { [PEPE]: -5n, [NATIVE]: ETH }, kind: 'sell', base: PEPE, quote: NATIVE },
  { name: 'a token out and a stablecoin in is a sell', deltas: { [PEPE]: -5n, [USDT]: 7n }, kind: 'sell', base: PEPE, quote: USDT },
  { name: 'USDC out and ETH in is a buy of ETH', deltas: { [USDC]: -3000n, [NATIVE]: ETH }, kind: 'buy', base: NATIVE, quote: USDC },
  { name: 'USDC out and WETH in is a buy of WETH', deltas: { [USDC]: -3000n, [WETH]: ETH }, kind: 'buy', base: WETH, quote: USDC },
  { name: 'ETH out and USDC in is a sell of ETH', deltas: { [NATIVE]: -ETH, [USDC]: 3000n }, kind: 'sell', base: NATIVE, quote: USDC },
  { name: 'one stablecoin for another is a swap', deltas: { [USDC]: -100n, [USDT]: 99n }, kind: 'swap', base: USDT, quote: USDC },
  { name: 'a token for a token is a swap, named after what came in', deltas: { [PEPE]: -5n, [LINK]: 2n }, kind: 'swap', base: LINK, quote: PEPE },
  { name: 'NATIVE out and wrapped native in is a wrap', deltas: { [NATIVE]: -ETH, [WETH]: ETH }, kind: 'wrap' },
  { name: 'a wrap of unequal amounts is still a wrap', deltas: { [NATIVE]: -ETH, [WETH]: ETH - 1n }, kind: 'wrap' },
  { name: 'wrapped native out and NATIVE in is an unwrap', deltas: { [WETH]: -ETH, [NATIVE]: ETH }, kind: 'unwrap' },
  { name: 'one incoming asset is transfer_in', deltas: { [PEPE]: 5n }, kind: 'transfer_in' },
  { name: 'several incoming assets are transfer_in', deltas: { [PEPE]: 5n, [USDC]: 1n, [NATIVE]: 1n }, kind: 'transfer_in' },
  { name: 'one outgoing asset is transfer_out', deltas: { [NATIVE]: -ETH }, kind: 'transfer_out' },
  { name: 'several outgoing assets are transfer_out', deltas: { [PEPE]: -5n, [WETH]: -1n }, kind: 'transfer_out' },
  { name: 'no deltas at all (a failed transaction) is other', deltas: {}, kind: 'other' },
  { name: 'only zero deltas is other', deltas: { [PEPE]: 0n }, kind: 'other' },
  { name: 'a token and ETH out and an LP token in is other', deltas: { [PEPE]: -5n, [NATIVE]: -ETH, [LP]: 1n }, kind: 'other' },
  { name: 'USDC and ETH out and an LP token in is other', deltas: { [USDC]: -100n, [NATIVE]: -ETH, [LP]: 1n }, kind: 'other' },
  { name: 'two tokens out and an LP token in is other', deltas: { [PEPE]: -5n, [LINK]: -2n, [LP]: 1n }, kind: 'other' },
  { name: 'an LP token out and two assets in is other', deltas: { [LP]: -1n, [PEPE]: 5n, [WETH]: ETH }, kind: 'other' },
  { name: 'NATIVE out and several tokens in is other', deltas: { [NATIVE]: -ETH, [PEPE]: 5n, [LINK]: 2n }, kind: 'other' },
  { name: 'two stablecoins out for ETH is other', deltas: { [USDC]: -1n, [USDT]: -1n, [NATIVE]: ETH }, kind: 'other' },
  {
    name: 'a WETH refund on a buy paid in ETH keeps it a buy priced in ETH',
    deltas: { [NATIVE]: -ETH, [PEPE]: 5n, [WETH]: 10n ** 15n },
    kind: 'buy',
    base: PEPE,
    quote: NATIVE,
  },
  {
    name: 'an ETH refund on a buy paid in WETH keeps it a buy priced in WETH',
    deltas: { [WETH]: -ETH, [PEPE]: 5n, [NATIVE]: 1n },
    kind: 'buy',
    base: PEPE,
    quote: WETH,
  },
  {
    name: 'a native-family "refund" larger than what was paid is not a buy',
    deltas: { [NATIVE]: -1n, [PEPE]: 5n, [WETH]: ETH },
    kind: 'other',
  },
  {
    name: 'a refund in an unrelated quote cannot be sized without prices, so the trade is other',
    deltas: { [USDC]: -100n, [PEPE]: 5n, [NATIVE]: 10n ** 15n },
    kind: 'other',
  },
  {
    name: 'ETH and WETH paid together for one token is a buy named after the larger',
    deltas: { [NATIVE]: -1n, [WETH]: -ETH, [PEPE]: 5n },
    kind: 'buy',
    base: PEPE,
    quote: WETH,
  },
  {
    name: 'a WETH refund on a sale of ETH for USDC leaves it a sell of ETH',
    deltas: { [NATIVE]: -ETH, [WETH]: 5n, [USDC]: 3000n },
    kind: 'sell',
    base: NATIVE,
    quote: USDC,
  },
  {
    name: 'without a wrapped native, NATIVE out and any token in is a buy',
    deltas: { [NATIVE]: -ETH, [WETH]: ETH },
    quotes: { stablecoins: [USDC], wrappedNative: null },
    kind: 'buy',
    base: WETH,
    quote: NATIVE,
  },
  {
    name: 'checksummed addresses from configuration match lower-case deltas',
    deltas: { [USDC]: -100n, [WETH]: ETH },
    quotes: { stablecoins: ['0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'], wrappedNative: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' },
    kind: 'buy',
    base: WETH,
    quote: USDC,
  },
  {
    name: 'NATIVE up to nativeDust paid beside a stablecoin does not turn a buy into something else',
    deltas: { [USDC]: -100n, [NATIVE]: -2_039_280n, [PEPE]: 5n },
    quotes: { ...ETHEREUM, nativeDust: 10_000_000n },
    kind: 'buy',
    base: PEPE,
    quote: USDC,
  },
  {
    name: 'NATIVE up to nativeDust received beside the proceeds keeps a sell a sell',
    deltas: { [PEPE]: -5n, [USDC]: 100n, [NATIVE]: 2_039_280n },
    quotes: { ...ETHEREUM, nativeDust: 10_000_000n },
    kind: 'sell',
    base: PEPE,
    quote: USDC,
  },
  {
    name: 'NATIVE up to nativeDust beside a token-for-token trade keeps it a swap',
    deltas: { [PEPE]: -5n, [NATIVE]: -10_000_000n, [LINK]: 2n },
    quotes: { ...ETHEREUM, nativeDust: 10_000_000n },
    kind: 'swap',
    base: LINK,
    quote: PEPE,
  },
  {
    name: 'NATIVE above nativeDust still counts as a second asset',
    deltas: { [USDC]: -100n, [NATIVE]: -10_000_001n, [PEPE]: 5n },
    quotes: { ...ETHEREUM, nativeDust: 10_000_000n },
    kind: 'other',
  },
  {
    name: 'a lone small NATIVE leg is the trade itself, dust or not',
    deltas: { [NATIVE]: -11_028n, [USDC]: 1_557n },
    quotes: { ...ETHEREUM, nativeDust: 10_000_000n },
    kind: 'sell',
    base: NATIVE,
    quote: USDC,
  },
];

describe('classifyTrade', () => {
  it.each(cases)('behavior: $name', ({ deltas: entries, quotes = ETHEREUM, kind, base = null, quote = null }) => {
    const result = classifyTrade(deltas(entries), quotes);
    expect({ kind: result.kind, base: result.base, quote: result.quote }).toEqual({ kind, base, quote });
  });

  it('behavior: the cases above reach every trade kind', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(TRADE_KINDS));
  });

  it('behavior: legs list every moved asset with a positive amount, zero deltas left out, dust included', () => {
    const result = classifyTrade(deltas({ [USDC]: -100n, [NATIVE]: -5n, [PEPE]: 7n, [LINK]: 0n }), { ...ETHEREUM, nativeDust: 5n });
    expect(result).toEqual<TradeClassification>({
      kind: 'buy',
      sent: [
        { asset: USDC, amount: 100n },
        { asset: NATIVE, amount: 5n },
      ],
      received: [{ asset: PEPE, amount: 7n }],
      base: PEPE,
      quote: USDC,
    });
  });

  it('behavior: Solana mints are matched exactly as written', () => {
    const usdc = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
    const solana: QuoteAssets = { stablecoins: [usdc], wrappedNative: 'So11111111111111111111111111111111111111112' };
    expect(classifyTrade(deltas({ [usdc]: -1n, [NATIVE]: 1n }), solana).kind).toBe('buy');
    expect(classifyTrade(deltas({ [usdc.toLowerCase()]: -1n, [NATIVE]: 1n }), solana).kind).toBe('sell');
  });
});

// Deltas of real Solana transactions, as the fixtures define them (SOL includes rent and tips).
type SolanaEntry = { file: string; deltas: Record<string, string> };
const solanaExpected = JSON.parse(
  readFileSync(new URL('../../test/fixtures/solana/expected.json', import.meta.url), 'utf8'),
) as SolanaEntry[];
const SOLANA: QuoteAssets = {
  stablecoins: ['EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB'],
  wrappedNative: 'So11111111111111111111111111111111111111112',
  // 0.01 SOL: more than a token account's rent (0.00203928 SOL) and a usual tip.
  nativeDust: 10_000_000n,
};

function solanaDeltas(file: string): Map<string, bigint> {
  const entry = solanaExpected.find((candidate) => candidate.file.endsWith(`/${file}`));
  if (!entry) throw new Error(`solana/expected.json has no entry for ${file}`);
  return new Map(Object.entries(entry.deltas).map(([asset, amount]) => [asset === 'SOL' ? NATIVE : asset, BigInt(amount)]));
}

describe('classifyTrade on real Solana deltas', () => {
  it.each([
    ['pumpfun_buy_0.json', 'buy'],
    ['photon_pumpfun_sell.json', 'sell'],
    ['swap_exa6gyh_2.json', 'buy'],
    ['swap_frlmh_2.json', 'buy'],
    ['swap_byreal_2.json', 'sell'],
    ['swap_exa6gyh_via_pumpswap_1.json', 'sell'],
    ['multi_swap_titan_alphaq_1.json', 'swap'],
    ['jupiter_route_1.json', 'sell'],
    ['jupiterDca_openDcaV2_1.json', 'transfer_out'],
  ] as const)('behavior: %s is a %s', (file, kind) => {
    expect(classifyTrade(solanaDeltas(file), SOLANA).kind).toBe(kind);
  });

  it('behavior: a USDC buy that also pays a token account rent in SOL is other without nativeDust', () => {
    expect(classifyTrade(solanaDeltas('swap_exa6gyh_2.json'), { ...SOLANA, nativeDust: undefined }).kind).toBe('other');
  });
});
