import type * as ccxt from 'ccxt';

let loaded: typeof ccxt | undefined;

/**
 * ccxt, imported on the first exchange call: its hundreds of exchange modules weigh tens of MB of heap, which a
 * Lookout with no exchange account should not carry.
 */
export async function loadCcxt(): Promise<typeof ccxt> {
  loaded ??= await import('ccxt');
  return loaded;
}

/** ccxt if an exchange call loaded it already: an error can only be one of its classes once it is. */
export function loadedCcxt(): typeof ccxt | undefined {
  return loaded;
}
