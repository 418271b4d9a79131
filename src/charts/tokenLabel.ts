/** The symbol of a token, or its shortened address or mint when it has none. */
export function tokenLabel(symbol: string | null, token: string): string {
  if (symbol) return symbol;
  return token.length > 12 ? `${token.slice(0, 6)}…${token.slice(-4)}` : token;
}
