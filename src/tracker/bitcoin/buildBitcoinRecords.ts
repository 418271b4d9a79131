import type { ChainConfig } from '../../config/chainPresets.js';
import { classifyTrade } from '../classifyTrade.js';
import { tradeRecord, type AssetTransfer, type TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import { bitcoinAddressesOf, bitcoinCounterparty, bitcoinFeePayer, bitcoinWalletDeltas } from './bitcoinWalletDeltas.js';
import type { EsploraTx } from './esploraTypes.js';

/** A confirmed transaction with the block Lookout read it in. */
export type PlacedBitcoinTx = { tx: EsploraTx; blockNumber: bigint; blockHash: string; blockTime: Date | null };

/** One record per followed wallet whose balance the transaction changed: a transfer in or out of BTC. */
export function buildBitcoinRecords(chain: Pick<ChainConfig, 'name'>, placed: PlacedBitcoinTx, followed: ReadonlySet<string>): TradeRecord[] {
  const { tx } = placed;
  const position = { chain: chain.name, blockNumber: placed.blockNumber, blockHash: placed.blockHash, blockTime: placed.blockTime, txHash: tx.txid, txIndex: null };
  const records: TradeRecord[] = [];
  for (const wallet of [...bitcoinAddressesOf(tx)].filter((address) => followed.has(address)).sort()) {
    const delta = bitcoinWalletDeltas(tx, wallet);
    if (delta.deltas.size === 0) continue;
    const classification = classifyTrade(delta.deltas, { stablecoins: [], wrappedNative: null });
    const direction = classification.kind === 'transfer_in' ? 'in' : 'out';
    records.push(
      tradeRecord(position, wallet, delta, classification, {
        venue: null,
        counterparty: bitcoinCounterparty(tx, wallet, direction),
        usdValue: null,
        isSpam: false,
        transfers: transfersOf(tx, wallet),
      }),
    );
  }
  return records;
}

/** The outputs that paid the wallet, and those it paid to others when it funded the transaction. */
function transfersOf(tx: EsploraTx, wallet: string): AssetTransfer[] {
  const payer = bitcoinFeePayer(tx) ?? '';
  const spent = tx.vin.some((input) => input.prevout?.scriptpubkey_address === wallet);
  return tx.vout.flatMap((output, position) => {
    const to = output.scriptpubkey_address;
    if (!to) return [];
    const amount = BigInt(output.value);
    // Note: an output back to a wallet that funded the transaction is its change, not a transfer.
    if (to === wallet) return spent ? [] : [{ position, asset: NATIVE, from: payer, to, amount }];
    return spent ? [{ position, asset: NATIVE, from: wallet, to, amount }] : [];
  });
}
