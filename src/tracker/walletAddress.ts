import { UserInputError } from '../errors/LookoutError.js';
import { checksumAddress, isEvmAddress } from './evmChecksum.js';
import { base58Decode } from './solana/base58.js';
import { looksLikeBitcoinAddress, parseBitcoinAddress } from './bitcoin/bitcoinAddress.js';
import { looksLikeStellarAccount, parseStellarAccount } from './stellar/stellarAddress.js';
import { quoteInput } from '../text/clipText.js';

/** A wallet address as stored: EVM lower-case, Solana base58, Bitcoin base58 or lower-case bech32, Stellar G…. */
export type WalletAddress = { kind: 'evm' | 'solana' | 'bitcoin' | 'stellar'; address: string };

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Parses a wallet address typed by a person; throws `UserInputError` saying what is wrong and what to type. */
export function parseWalletAddress(input: string): WalletAddress {
  const value = input.trim();
  if (/^0x/i.test(value)) return { kind: 'evm', address: parseEvmAddress(value) };
  if (looksLikeStellarAccount(value)) return { kind: 'stellar', address: parseStellarAccount(value) };
  if (looksLikeBitcoinAddress(value)) return { kind: 'bitcoin', address: parseBitcoinAddress(value) };
  return { kind: 'solana', address: parseSolanaAddress(value) };
}

/** Validates a 0x address (checksum included when mixed-case) and returns it in lower case. */
export function parseEvmAddress(value: string): string {
  if (value.length !== 42) {
    throw new UserInputError(
      `'${quoteInput(value)}' is not an EVM address: it has ${value.length} characters where an address has 42 (0x and 40 hex digits).`,
    );
  }
  const bad = value.slice(2).match(/[^0-9a-fA-F]/);
  if (bad) {
    throw new UserInputError(`'${quoteInput(value)}' is not an EVM address: '${quoteInput(bad[0])}' is not a hex digit.`);
  }
  if (!isEvmAddress(value)) {
    throw new UserInputError(
      `'${quoteInput(value, 42)}' has a bad checksum: check it for a typo, or paste it in all lower case to skip the checksum.`,
    );
  }
  return value.toLowerCase();
}

/** Validates a base58 Solana address of 32 bytes. */
export function parseSolanaAddress(value: string): string {
  if (value.length === 0) throw new UserInputError('The address is empty: paste an EVM (0x…), Solana, Bitcoin or Stellar (G…) address.');
  const bad = [...value].find((char) => !BASE58_ALPHABET.includes(char));
  if (bad !== undefined) {
    throw new UserInputError(
      `'${quoteInput(value)}' is not a wallet address: '${quoteInput(bad)}' is neither base58 (Solana, Bitcoin 1… and 3…) nor does the text start with 0x (EVM), bc1 (Bitcoin) or G (Stellar).`,
    );
  }
  const length = base58Decode(value).length;
  if (length !== 32) {
    throw new UserInputError(
      `'${quoteInput(value)}' is not a Solana address: it decodes to ${length} bytes where an address has 32; check that it was copied whole.`,
    );
  }
  return value;
}

/** An EVM address as people read it: EIP-55 checksummed. Solana addresses are returned as they are. */
export function displayAddress(address: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? checksumAddress(address) : address;
}

/** `0xab12…cd34`: short enough for a chat line, long enough to recognise. */
export function shortAddress(address: string): string {
  const shown = displayAddress(address);
  const head = shown.startsWith('0x') ? 6 : 4;
  return shown.length <= head + 6 ? shown : `${shown.slice(0, head)}…${shown.slice(-4)}`;
}

