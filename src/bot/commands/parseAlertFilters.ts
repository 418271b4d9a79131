import { UserInputError } from '../../errors/LookoutError.js';
import { TRADE_KINDS, type TradeKind } from '../../tracker/walletDeltas.js';

/** A minimum in USD as typed (`500`, `$1,000.50`); 0, none or off mean no minimum. */
export function parseUsd(text: string): string | null {
  const value = text.trim().replace(/^\$/, '').replaceAll(',', '');
  if (value === '0' || value === 'none' || value === 'off') return null;
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(value)) {
    throw new UserInputError(`'${text}' is not an amount in USD; write a number such as 500 or 1000.50, or 0 for no minimum.`);
  }
  return value;
}

/** Kinds of trade as typed (`buy,sell` or `buy sell`); all means every kind. */
export function parseTypes(text: string): string[] | null {
  const types = text
    .split(/[\s,]+/)
    .map((type) => type.trim().toLowerCase())
    .filter(Boolean);
  if (types.length === 0 || (types.length === 1 && types[0] === 'all')) return null;
  const unknown = types.find((type) => !TRADE_KINDS.includes(type as TradeKind));
  if (unknown !== undefined) {
    throw new UserInputError(`'${unknown}' is not a kind of trade; use some of ${TRADE_KINDS.join(', ')}, or all.`);
  }
  return [...new Set(types)];
}
