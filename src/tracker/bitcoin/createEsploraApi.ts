import { RetryableError } from '../../errors/LookoutError.js';
import type { HttpApiClient } from '../createHttpApiClient.js';
import type { EsploraAddress, EsploraBlock, EsploraTx } from './esploraTypes.js';

/** The Esplora endpoints Lookout reads. */
export type EsploraApi = {
  tipHeight(): Promise<bigint>;
  /** The hash of the block at a height; null when the API has no block there yet. */
  blockHashAt(height: bigint): Promise<string | null>;
  block(hash: string): Promise<EsploraBlock>;
  /** Confirmed transactions of an address, newest first, 25 a page; `after` is the last txid of the page before. */
  addressTxs(address: string, after: string | null): Promise<EsploraTx[]>;
  address(address: string): Promise<EsploraAddress>;
  tx(txid: string): Promise<EsploraTx | null>;
};

/** Esplora's REST API over a failing-over HTTP client. */
export function createEsploraApi(http: HttpApiClient): EsploraApi {
  const required = async <T>(path: string, method: string): Promise<T> => {
    const value = await http.json<T>(path, method);
    if (value === null) throw new RetryableError('The Esplora API does not know something it listed; asking again later.', { details: `GET ${path}: 404` });
    return value;
  };
  return {
    async tipHeight() {
      const text = await http.text('/blocks/tip/height', 'blocks/tip/height');
      if (text === null || !/^\d+$/.test(text)) throw new RetryableError('The Esplora API gave no tip height; asking again later.', { details: String(text).slice(0, 100) });
      return BigInt(text);
    },
    async blockHashAt(height) {
      const text = await http.text(`/block-height/${height}`, 'block-height');
      if (text === null) return null;
      if (!/^[0-9a-f]{64}$/.test(text)) throw new RetryableError('The Esplora API gave a malformed block hash; asking again later.', { details: text.slice(0, 100) });
      return text;
    },
    block: (hash) => required<EsploraBlock>(`/block/${hash}`, 'block'),
    async addressTxs(address, after) {
      const path = after === null ? `/address/${address}/txs/chain` : `/address/${address}/txs/chain/${after}`;
      return (await http.json<EsploraTx[]>(path, 'address/txs/chain')) ?? [];
    },
    address: (address) => required<EsploraAddress>(`/address/${address}`, 'address'),
    tx: (txid) => http.json<EsploraTx>(`/tx/${txid}`, 'tx'),
  };
}
