// Note: kept for the chat adapters, which read `trade add` words into these arguments; the parsing lives with the use case.
export type { TradeAddArgs } from '../../usecases/parseManualTrade.js';
