import { PublicKey, type Connection } from '@solana/web3.js';
import { Rational } from '../pnl/Rational.js';
import { parsePythPriceAccount, type PythPrice } from './parsePythPriceAccount.js';

/** A usable Pyth price and the slot the node read it at. */
export type PythReading = PythPrice & { readAtSlot: bigint };

/** The part of a web3.js Connection the reader needs. */
export type PythAccountSource = Pick<Connection, 'getAccountInfoAndContext'>;

/**
 * The current price in a Pyth price account, through `getAccountInfo`. Null when the account is missing,
 * is not a Pyth price account, is not trading, or holds a non-positive price; RPC faults are thrown.
 * Note: an account holds only its latest price, so this reads "now", not the price at an older slot.
 */
export async function readPythPrice(
  connection: PythAccountSource,
  account: string,
  onUnusable?: (problem: string) => void,
): Promise<PythReading | null> {
  const { context, value } = await connection.getAccountInfoAndContext(new PublicKey(account), 'confirmed');
  if (!value) {
    onUnusable?.('the price account does not exist');
    return null;
  }
  const parsed = parsePythPriceAccount(value.data);
  if (!parsed.ok) {
    onUnusable?.(parsed.problem);
    return null;
  }
  const { price } = parsed;
  if (price.status !== 'trading') {
    onUnusable?.(`the price is not trading (status ${price.status})`);
    return null;
  }
  if (Rational.parse(price.priceUsd).sign() <= 0) {
    onUnusable?.(`the price ${price.priceUsd} is not positive`);
    return null;
  }
  return { ...price, readAtSlot: BigInt(context.slot) };
}
