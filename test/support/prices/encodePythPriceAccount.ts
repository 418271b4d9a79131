import { PublicKey } from '@solana/web3.js';

/** The legacy Pyth oracle program on Solana mainnet, the owner of legacy price accounts. */
export const PYTH_LEGACY_ORACLE = 'FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH';
/** The Pyth receiver program, the owner of PriceUpdateV2 (push feed) accounts. */
export const PYTH_RECEIVER = 'rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ';

export type LegacyPriceFields = {
  price: bigint;
  exponent: number;
  /** 1 is trading. */
  status?: number;
  publishSlot: bigint;
  /** Unix seconds. */
  timestamp: bigint;
  /** 3 is a price account. */
  accountType?: number;
  magic?: number;
};

/** A legacy `pc_price_t` account of 3,312 bytes (32 empty publisher slots), laid out field by field. */
export function encodeLegacyPythPrice(fields: LegacyPriceFields): Uint8Array {
  const data = Buffer.alloc(3312);
  data.writeUInt32LE(fields.magic ?? 0xa1b2c3d4, 0); // magic
  data.writeUInt32LE(2, 4); // version
  data.writeUInt32LE(fields.accountType ?? 3, 8); // account type
  data.writeUInt32LE(3312, 12); // size
  data.writeUInt32LE(1, 16); // price type: price
  data.writeInt32LE(fields.exponent, 20); // exponent
  data.writeUInt32LE(1, 24); // component count
  data.writeUInt32LE(1, 28); // quoter count
  data.writeBigUInt64LE(fields.publishSlot, 32); // last slot
  data.writeBigUInt64LE(fields.publishSlot, 40); // valid slot
  data.writeBigInt64LE(fields.price, 48); // EMA price value
  data.writeBigInt64LE(fields.timestamp, 96); // timestamp
  data.writeUInt8(1, 104); // min publishers
  new PublicKey('11111111111111111111111111111112').toBuffer().copy(data, 112); // product account
  data.writeBigUInt64LE(fields.publishSlot - 1n, 176); // previous slot
  data.writeBigInt64LE(fields.price - 1n, 184); // previous price
  data.writeBigInt64LE(fields.timestamp - 1n, 200); // previous timestamp
  data.writeBigInt64LE(fields.price, 208); // aggregate price
  data.writeBigUInt64LE(1_000n, 216); // aggregate confidence
  data.writeUInt32LE(fields.status ?? 1, 224); // aggregate status
  data.writeUInt32LE(0, 228); // corporate action
  data.writeBigUInt64LE(fields.publishSlot, 232); // aggregate publish slot
  return data;
}

export type PriceUpdateFields = {
  price: bigint;
  exponent: number;
  /** Unix seconds. */
  publishTime: bigint;
  postedSlot: bigint;
  /** Full by default; a number is Partial with that many signatures. */
  partialSignatures?: number;
  feedId?: Uint8Array;
};

/** A `PriceUpdateV2` account as the receiver program allocates it: 134 bytes, Borsh after an Anchor discriminator. */
export function encodePriceUpdateV2(fields: PriceUpdateFields): Uint8Array {
  const data = Buffer.alloc(134);
  Buffer.from([34, 241, 35, 99, 157, 126, 244, 205]).copy(data, 0);
  new PublicKey('11111111111111111111111111111112').toBuffer().copy(data, 8); // write authority
  let at = 40;
  if (fields.partialSignatures === undefined) {
    data.writeUInt8(1, at++); // Full
  } else {
    data.writeUInt8(0, at++); // Partial
    data.writeUInt8(fields.partialSignatures, at++);
  }
  Buffer.from(fields.feedId ?? new Uint8Array(32).fill(0xef)).copy(data, at);
  at += 32;
  data.writeBigInt64LE(fields.price, at);
  data.writeBigUInt64LE(1_000n, at + 8); // confidence
  data.writeInt32LE(fields.exponent, at + 16);
  data.writeBigInt64LE(fields.publishTime, at + 20);
  data.writeBigInt64LE(fields.publishTime - 1n, at + 28); // previous publish time
  data.writeBigInt64LE(fields.price, at + 36); // EMA price
  data.writeBigUInt64LE(1_000n, at + 44); // EMA confidence
  data.writeBigUInt64LE(fields.postedSlot, at + 52);
  return data;
}
