import { positionKey } from '../pnl/positionKey.js';

/** The exchanges whose accounts Lookout reads; each is also the chain name of its accounts' wallets and trades. */
export const EXCHANGE_NAMES = ['binance', 'coinbase'] as const;
export type ExchangeName = (typeof EXCHANGE_NAMES)[number];

/** Whether a chain name is an exchange's: its assets are symbols, its trades come from the exchange's API. */
export function isExchangeChain(chain: string): chain is ExchangeName {
  return (EXCHANGE_NAMES as readonly string[]).includes(chain);
}

// Note: exchange amounts have at most 8 to 10 decimals; 18 holds every one exactly, as on a manual wallet.
export const EXCHANGE_ASSET_DECIMALS = 18;

/** Dollars and the dollar stablecoins an exchange quotes in: a trade against one of them is valued at a dollar a unit. */
export const EXCHANGE_MONEY: ReadonlySet<string> = new Set(['USD', 'USDT', 'USDC', 'DAI', 'BUSD', 'FDUSD', 'TUSD', 'USDP', 'PYUSD']);

/** The position keys of the exchanges' money, which PnL treats as money rather than positions. */
export function exchangeQuoteAssets(): string[] {
  return EXCHANGE_NAMES.flatMap((exchange) => [...EXCHANGE_MONEY].map((symbol) => positionKey(exchange, symbol)));
}
