import { UserInputError } from '../errors/LookoutError.js';
import { TRADE_KINDS, type TradeKind } from '../tracker/walletDeltas.js';
import { quoteInput } from '../text/clipText.js';

/** A minimum in USD as typed (`500`, `$1,000.50`); 0, none or off mean no minimum. */
export function parseUsd(text: string): string | null {
  const value = text.trim().replace(/^\$/, '').replaceAll(',', '');
  if (value === '0' || value === 'none' || value === 'off') return null;
  if (/^(\d+(\.\d*)?|\.\d+)(e\+?\d+)?$/i.test(value) && !/^\d{1,15}(\.\d+)?$/.test(value) && /[1-9]/.test(value)) {
    // Note: 1e21 or twenty digits is a number, just not a sensible minimum; say so rather than "not an amount".
    if (tooLarge(value)) throw new UserInputError(`'${quoteInput(text)}' is too large an amount; the most is $999,999,999,999,999.99.`);
  }
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(value)) {
    const cents = /^\d{1,15}\.\d{3,}$/.test(value) ? ' with at most two decimals (cents)' : '';
    throw new UserInputError(`'${quoteInput(text)}' is not an amount in USD; write a number${cents} such as 500 or 1000.50, or 0 for no minimum.`);
  }
  return value;
}

function tooLarge(value: string): boolean {
  const [mantissa = '', exponent = '0'] = value.toLowerCase().split('e');
  const [whole = ''] = mantissa.split('.');
  const digits = whole.replace(/^0+/, '').length + Number(exponent.replace('+', ''));
  return digits > 15;
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
    throw new UserInputError(`'${quoteInput(unknown)}' is not a kind of trade; use some of ${TRADE_KINDS.join(', ')}, or all.`);
  }
  return [...new Set(types)];
}
