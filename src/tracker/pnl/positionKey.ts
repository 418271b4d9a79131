/** The key of a (chain, asset) position, used for prices and quote assets: `${chain}:${asset}`. */
export function positionKey(chain: string, asset: string): string {
  return `${chain}:${asset}`;
}
