import type { TradeRecord } from '../tradeRecord.js';
import { fromRaw, toRaw } from './decimalText.js';
import { EXCHANGE_ASSET_DECIMALS, EXCHANGE_MONEY, type ExchangeName } from './exchangeKinds.js';

/** One fill of an account's order, as the exchange reported it; amounts are exact decimal text. */
export type ExchangeFill = {
  /** The exchange's trade id, unique within its market. */
  id: string;
  /** The market, such as BTC/USDT. */
  symbol: string;
  base: string;
  quote: string;
  side: 'buy' | 'sell';
  /** When it filled, in ms since the epoch. */
  timestamp: number;
  amount: string;
  price: string;
  fee: { currency: string; cost: string } | null;
  order: string | null;
};

/** The records of one fill: the trade itself, and a fee paid in a third asset (BNB on Binance) as its own record. */
export type FillRecords = { trade: TradeRecord; fee: TradeRecord | null };

/**
 * Turns a fill into the records every wallet's trades are stored as: a buy or sell of the base for the quote, keyed by
 * (exchange, account, market and trade id) so that syncing it again stores nothing. The balance changes net a fee taken
 * in the base or the quote; a trade against dollars or a dollar stablecoin has its USD value exactly.
 */
export function exchangeFillRecords(exchange: ExchangeName, wallet: string, fill: ExchangeFill): FillRecords {
  const raw = (text: string) => toRaw(text, EXCHANGE_ASSET_DECIMALS);
  const amount = raw(fill.amount);
  const cost = multiply(amount, raw(fill.price));
  const sign = fill.side === 'buy' ? 1n : -1n;
  const deltas = new Map<string, bigint>([
    [fill.base, sign * amount],
    [fill.quote, -sign * cost],
  ]);
  const feeAmount = fill.fee ? raw(fill.fee.cost) : 0n;
  const feeInTrade = fill.fee !== null && deltas.has(fill.fee.currency);
  if (fill.fee && feeInTrade && feeAmount > 0n) deltas.set(fill.fee.currency, deltas.get(fill.fee.currency)! - feeAmount);
  const time = new Date(fill.timestamp);
  const txHash = `${fill.symbol}#${fill.id}`;
  const position = { chain: exchange, blockNumber: BigInt(fill.timestamp), blockHash: fill.order ?? txHash, blockTime: time, txIndex: null };
  const inMoney = EXCHANGE_MONEY.has(fill.quote);
  const trade: TradeRecord = {
    ...position,
    txHash,
    wallet,
    kind: fill.side,
    failed: false,
    fee: 0n,
    deltas,
    base: { asset: fill.base, amount },
    quote: { asset: fill.quote, amount: cost },
    venue: exchange,
    counterparty: null,
    usdValue: inMoney ? fromRaw(cost, EXCHANGE_ASSET_DECIMALS) : null,
    priceUsd: inMoney ? fromRaw(raw(fill.price), EXCHANGE_ASSET_DECIMALS) : null,
    isSpam: false,
    transfers: [],
  };
  if (!fill.fee || feeInTrade || feeAmount === 0n) return { trade, fee: null };
  const fee: TradeRecord = {
    ...position,
    txHash: `${txHash}#fee`,
    wallet,
    kind: 'transfer_out',
    failed: false,
    fee: 0n,
    deltas: new Map([[fill.fee.currency, -feeAmount]]),
    base: { asset: fill.fee.currency, amount: feeAmount },
    quote: null,
    venue: exchange,
    counterparty: exchange,
    usdValue: EXCHANGE_MONEY.has(fill.fee.currency) ? fromRaw(feeAmount, EXCHANGE_ASSET_DECIMALS) : null,
    priceUsd: null,
    isSpam: false,
    transfers: [],
  };
  return { trade, fee };
}

/** A deposit to or a withdrawal from the account, as the exchange reported it once it completed. */
export type ExchangeMove = {
  id: string;
  direction: 'in' | 'out';
  asset: string;
  /** What arrived, or what left before the fee. */
  amount: string;
  /** A withdrawal's fee, in the same asset. */
  fee: string | null;
  timestamp: number;
  /** The chain transaction or the address, when the exchange tells it. */
  txid: string | null;
  address: string | null;
};

/** A deposit or withdrawal as a transfer in or out of the account's wallet, keyed by its id so that syncing it again stores nothing. */
export function exchangeMoveRecord(exchange: ExchangeName, wallet: string, move: ExchangeMove): TradeRecord {
  const raw = (text: string) => toRaw(text, EXCHANGE_ASSET_DECIMALS);
  const amount = raw(move.amount);
  const left = move.direction === 'in' ? amount : -(amount + (move.fee ? raw(move.fee) : 0n));
  const txHash = `${move.direction === 'in' ? 'deposit' : 'withdrawal'}#${move.id}`;
  return {
    chain: exchange,
    blockNumber: BigInt(move.timestamp),
    blockHash: move.txid ?? txHash,
    blockTime: new Date(move.timestamp),
    txHash,
    txIndex: null,
    wallet,
    kind: move.direction === 'in' ? 'transfer_in' : 'transfer_out',
    failed: false,
    fee: 0n,
    deltas: new Map([[move.asset, left]]),
    base: { asset: move.asset, amount },
    quote: null,
    venue: exchange,
    counterparty: move.address,
    usdValue: EXCHANGE_MONEY.has(move.asset) ? fromRaw(amount, EXCHANGE_ASSET_DECIMALS) : null,
    priceUsd: null,
    isSpam: false,
    transfers: [],
  };
}

/** The product of two raw amounts of `EXCHANGE_ASSET_DECIMALS` places, exact when it fits those places (exchange prices and sizes do). */
function multiply(a: bigint, b: bigint): bigint {
  return (a * b) / 10n ** BigInt(EXCHANGE_ASSET_DECIMALS);
}
