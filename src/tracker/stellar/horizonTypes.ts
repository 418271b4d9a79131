/** The parts of Horizon's answers Lookout reads (developers.stellar.org, Horizon API reference). */

export type HorizonPage<T> = { _embedded: { records: T[] } };

/** How Horizon names an asset: `native`, or a code and an issuer, with or without a prefix (`source_`, `base_`). */
export type HorizonAssetFields = { asset_type?: string; asset_code?: string; asset_issuer?: string };

export type HorizonTransaction = { hash: string; ledger: number; created_at: string; source_account: string; fee_account?: string; fee_charged: string | number; successful: boolean };

export type HorizonOperation = HorizonAssetFields & {
  id: string;
  paging_token: string;
  type: string;
  transaction_hash: string;
  transaction_successful?: boolean;
  created_at: string;
  source_account: string;
  transaction?: HorizonTransaction;
  // payment, path payments
  from?: string;
  to?: string;
  amount?: string;
  source_amount?: string;
  source_asset_type?: string;
  source_asset_code?: string;
  source_asset_issuer?: string;
  // create_account
  funder?: string;
  account?: string;
  starting_balance?: string;
  // account_merge
  into?: string;
};

export type HorizonEffect = HorizonAssetFields & { type: string; account: string; amount?: string };

export type HorizonTrade = {
  id: string;
  paging_token: string;
  ledger_close_time: string;
  base_account?: string;
  base_amount: string;
  base_asset_type: string;
  base_asset_code?: string;
  base_asset_issuer?: string;
  counter_account?: string;
  counter_amount: string;
  counter_asset_type: string;
  counter_asset_code?: string;
  counter_asset_issuer?: string;
  base_is_seller: boolean;
};

export type HorizonBalance = HorizonAssetFields & { balance: string };

export type HorizonAccount = { id: string; balances: HorizonBalance[] };

export type HorizonRoot = { history_latest_ledger: number };
