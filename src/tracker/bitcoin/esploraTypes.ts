/** The parts of Esplora's answers Lookout reads (blockstream/electrs `rest.rs`; mempool.space answers the same). */

export type EsploraBlock = {
  id: string;
  height: number;
  /** Unix seconds. */
  timestamp: number;
  /** Absent on the genesis block. */
  previousblockhash?: string | null;
  tx_count?: number;
};

export type EsploraTxStatus = { confirmed: boolean; block_height?: number; block_hash?: string; block_time?: number };

export type EsploraVout = { scriptpubkey_address?: string; value: number };

export type EsploraVin = { txid: string; vout: number; is_coinbase: boolean; prevout: EsploraVout | null };

export type EsploraTx = { txid: string; fee: number; vin: EsploraVin[]; vout: EsploraVout[]; status: EsploraTxStatus };

export type EsploraAddressStats = { funded_txo_sum: number; spent_txo_sum: number; tx_count: number };

export type EsploraAddress = { address: string; chain_stats: EsploraAddressStats; mempool_stats: EsploraAddressStats };
