import { NATIVE, type WalletDeltas } from '../walletDeltas.js';
import type { EsploraTx } from './esploraTypes.js';

/** The address that pays a Bitcoin transaction's fee, as Lookout counts it: the owner of its first input. */
export function bitcoinFeePayer(tx: EsploraTx): string | null {
  return tx.vin[0]?.prevout?.scriptpubkey_address ?? null;
}

/** Every address a transaction spends from or pays to. */
export function bitcoinAddressesOf(tx: EsploraTx): Set<string> {
  const addresses = new Set<string>();
  for (const input of tx.vin) if (input.prevout?.scriptpubkey_address) addresses.add(input.prevout.scriptpubkey_address);
  for (const output of tx.vout) if (output.scriptpubkey_address) addresses.add(output.scriptpubkey_address);
  return addresses;
}

/**
 * A wallet's exact satoshi change in one transaction: outputs to it minus the inputs it spent. The fee goes to the
 * owner of the first input and is taken out of its delta (deltas exclude fees), so a payment out shows what was sent.
 */
export function bitcoinWalletDeltas(tx: EsploraTx, wallet: string): WalletDeltas {
  let net = 0n;
  for (const output of tx.vout) if (output.scriptpubkey_address === wallet) net += BigInt(output.value);
  for (const input of tx.vin) if (input.prevout?.scriptpubkey_address === wallet) net -= BigInt(input.prevout.value);
  const fee = bitcoinFeePayer(tx) === wallet ? BigInt(tx.fee) : 0n;
  const delta = net + fee;
  return { wallet, failed: false, fee, deltas: new Map(delta === 0n ? [] : [[NATIVE, delta]]) };
}

/** The one other address a payment went to (out) or came from (in); null when there are several or none. */
export function bitcoinCounterparty(tx: EsploraTx, wallet: string, direction: 'in' | 'out'): string | null {
  const others = new Set<string>();
  if (direction === 'out') {
    for (const output of tx.vout) if (output.scriptpubkey_address && output.scriptpubkey_address !== wallet) others.add(output.scriptpubkey_address);
  } else {
    for (const input of tx.vin) if (input.prevout?.scriptpubkey_address && input.prevout.scriptpubkey_address !== wallet) others.add(input.prevout.scriptpubkey_address);
  }
  return others.size === 1 ? [...others][0]! : null;
}
