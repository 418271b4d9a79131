import { Rational } from '../pnl/Rational.js';

/** The aggregate status of a legacy price account; a push-feed update is always `trading`. */
export type PythPriceStatus = 'unknown' | 'trading' | 'halted' | 'auction' | 'ignored';

/** A Pyth price as one account holds it. */
export type PythPrice = {
  /** Exact: price × 10^exponent. May be zero or negative in a broken account; the reader refuses those. */
  priceUsd: string;
  /** The slot the price was published (legacy) or posted (push feed) in. */
  slot: bigint;
  status: PythPriceStatus;
  /** When the price was true, from the account's own timestamp. */
  publishTime: Date;
  /** Which of the two account layouts held it. */
  layout: 'legacy' | 'price_update_v2';
};

export type ParsedPythPrice = { ok: true; price: PythPrice } | { ok: false; problem: string };

/**
 * The legacy oracle program's `PriceAccount` (the `pc_price_t` struct of the Pyth client), little-endian:
 *
 * | offset | type | field |
 * |---|---|---|
 * | 0 | u32 | magic, 0xa1b2c3d4 |
 * | 4 | u32 | version (2) |
 * | 8 | u32 | account type, 3 for a price account |
 * | 20 | i32 | price exponent |
 * | 96 | i64 | unix timestamp of the aggregate price |
 * | 208 | i64 | aggregate price |
 * | 216 | u64 | aggregate confidence |
 * | 224 | u32 | aggregate status (0 unknown, 1 trading, 2 halted, 3 auction, 4 ignored) |
 * | 232 | u64 | aggregate publish slot |
 *
 * The aggregate block ends at 240, where the publishers' components start.
 */
const LEGACY = {
  magic: 0xa1b2c3d4,
  priceType: 3,
  exponent: 20,
  timestamp: 96,
  price: 208,
  status: 224,
  publishSlot: 232,
  minLength: 240,
} as const;

/**
 * The receiver program's `PriceUpdateV2` account (what Solana mainnet's push feeds hold since the legacy
 * accounts stopped updating there), Anchor/Borsh, little-endian:
 *
 * | offset | type | field |
 * |---|---|---|
 * | 0 | [u8; 8] | discriminator, sha256("account:PriceUpdateV2")[0..8] |
 * | 8 | [u8; 32] | write authority |
 * | 40 | u8 | verification level: 0 Partial (followed by a u8 signature count) or 1 Full |
 * | m | [u8; 32] | feed id; m is 42 after Partial and 41 after Full |
 * | m+32 | i64 | price |
 * | m+40 | u64 | confidence |
 * | m+48 | i32 | exponent |
 * | m+52 | i64 | publish time, unix seconds |
 * | m+60 | i64 | previous publish time |
 * | m+68 | i64 | EMA price |
 * | m+76 | u64 | EMA confidence |
 * | m+84 | u64 | posted slot |
 */
const PRICE_UPDATE_V2 = {
  discriminator: [34, 241, 35, 99, 157, 126, 244, 205],
  verificationLevel: 40,
  price: 32,
  exponent: 48,
  publishTime: 52,
  postedSlot: 84,
  messageLength: 92,
} as const;

const STATUSES: readonly PythPriceStatus[] = ['unknown', 'trading', 'halted', 'auction', 'ignored'];

/** Decodes a Pyth price account of either layout from its raw data; anything else is a problem, never a price. */
export function parsePythPriceAccount(data: Uint8Array): ParsedPythPrice {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length >= 4 && view.getUint32(0, true) === LEGACY.magic) return parseLegacy(data, view);
  if (data.length >= 8 && PRICE_UPDATE_V2.discriminator.every((byte, i) => data[i] === byte)) {
    return parsePriceUpdateV2(data, view);
  }
  return { ok: false, problem: 'not a Pyth price account (neither the legacy magic nor the PriceUpdateV2 discriminator)' };
}

function parseLegacy(data: Uint8Array, view: DataView): ParsedPythPrice {
  if (data.length < LEGACY.minLength) return { ok: false, problem: `legacy price account of ${data.length} bytes is too short` };
  const type = view.getUint32(8, true);
  if (type !== LEGACY.priceType) return { ok: false, problem: `legacy Pyth account of type ${type} is not a price account` };
  const exponent = view.getInt32(LEGACY.exponent, true);
  const status = STATUSES[view.getUint32(LEGACY.status, true)] ?? 'unknown';
  return {
    ok: true,
    price: {
      priceUsd: scaled(view.getBigInt64(LEGACY.price, true), exponent),
      slot: view.getBigUint64(LEGACY.publishSlot, true),
      status,
      publishTime: secondsToDate(view.getBigInt64(LEGACY.timestamp, true)),
      layout: 'legacy',
    },
  };
}

function parsePriceUpdateV2(data: Uint8Array, view: DataView): ParsedPythPrice {
  const level = data[PRICE_UPDATE_V2.verificationLevel];
  if (level !== 0 && level !== 1) return { ok: false, problem: `PriceUpdateV2 has an unknown verification level ${level}` };
  const message = PRICE_UPDATE_V2.verificationLevel + (level === 0 ? 2 : 1);
  if (data.length < message + PRICE_UPDATE_V2.messageLength) {
    return { ok: false, problem: `PriceUpdateV2 account of ${data.length} bytes is too short` };
  }
  return {
    ok: true,
    price: {
      priceUsd: scaled(view.getBigInt64(message + PRICE_UPDATE_V2.price, true), view.getInt32(message + PRICE_UPDATE_V2.exponent, true)),
      slot: view.getBigUint64(message + PRICE_UPDATE_V2.postedSlot, true),
      status: 'trading',
      publishTime: secondsToDate(view.getBigInt64(message + PRICE_UPDATE_V2.publishTime, true)),
      layout: 'price_update_v2',
    },
  };
}

/** price × 10^exponent, exactly. */
function scaled(price: bigint, exponent: number): string {
  if (exponent >= 0) return (price * 10n ** BigInt(Math.min(exponent, 1000))).toString();
  const digits = Math.min(-exponent, 1000);
  return Rational.of(price, 10n ** BigInt(digits)).toDecimalString(digits);
}

function secondsToDate(seconds: bigint): Date {
  // Note: an absurd timestamp must not throw here; an invalid Date compares as stale and is logged.
  const ms = Number(seconds) * 1000;
  return new Date(Number.isFinite(ms) ? ms : Number.NaN);
}
