import { VersionedTransaction } from '@solana/web3.js';

import { base58Decode, base58Encode } from './base58.js';
import {
  type JsonObject,
  readAddress,
  readArray,
  readIndex,
  readObject,
  readString,
} from './rpcReaders.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

/** The parts of a transaction's message that do not depend on how RPC encoded it. */
export type TransactionMessage = {
  signature: string;
  version: 'legacy' | number;
  /** Every account the transaction loaded: static keys, then loaded writable, then loaded readonly. */
  accountKeys: string[];
  signers: string[];
  /** Program of each top-level instruction, in order, repeats kept. */
  instructionProgramIds: string[];
};

type AddressTableLookup = { writableCount: number; readonlyCount: number };

/**
 * Decodes `result.transaction` in any getTransaction encoding (json, jsonParsed, base64,
 * base58) and resolves lookup-table accounts from `meta.loadedAddresses`.
 */
export function decodeTransactionMessage(result: JsonObject, meta: JsonObject): TransactionMessage {
  const transaction = result['transaction'];
  if (Array.isArray(transaction)) return decodeBinary(transaction, meta);
  return decodeJson(readObject(transaction, 'transaction'), result['version'], meta);
}

function decodeBinary(transaction: unknown[], meta: JsonObject): TransactionMessage {
  const [data, encoding] = transaction;
  const bytes = binaryBytes(readString(data, 'transaction[0]'), encoding);
  let decoded: VersionedTransaction;
  try {
    decoded = VersionedTransaction.deserialize(bytes);
  } catch (cause) {
    throw new SolanaDecodeError('transaction[0] is not a serialized Solana transaction', { cause });
  }
  const message = decoded.message;
  const firstSignature = decoded.signatures[0];
  if (firstSignature === undefined) throw new SolanaDecodeError('transaction has no signature');
  const staticKeys = message.staticAccountKeys.map((key) => key.toBase58());
  const lookups = message.addressTableLookups.map((lookup) => ({
    writableCount: lookup.writableIndexes.length,
    readonlyCount: lookup.readonlyIndexes.length,
  }));
  const accountKeys = [...staticKeys, ...loadedAddresses(lookups, meta)];
  return {
    signature: base58Encode(firstSignature),
    version: decoded.version,
    accountKeys,
    signers: staticKeys.slice(0, message.header.numRequiredSignatures),
    instructionProgramIds: message.compiledInstructions.map((instruction, i) =>
      keyAt(accountKeys, instruction.programIdIndex, `transaction.message.instructions[${i}].programIdIndex`),
    ),
  };
}

function binaryBytes(data: string, encoding: unknown): Uint8Array {
  if (encoding === 'base64') {
    // Buffer.from skips characters outside the alphabet instead of failing, so check first.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) {
      throw new SolanaDecodeError('transaction[0] is not base64');
    }
    return Buffer.from(data, 'base64');
  }
  if (encoding === 'base58') return base58Decode(data);
  throw new SolanaDecodeError(`transaction encoding ${JSON.stringify(encoding)} is not supported`);
}

function decodeJson(transaction: JsonObject, version: unknown, meta: JsonObject): TransactionMessage {
  const signatures = readArray(transaction['signatures'], 'transaction.signatures');
  const signature = readString(signatures[0], 'transaction.signatures[0]');
  const message = readObject(transaction['message'], 'transaction.message');
  const keys = readArray(message['accountKeys'], 'transaction.message.accountKeys');
  const lookupsField = message['addressTableLookups'];
  const parsed = keys.length > 0 && typeof keys[0] === 'object';
  // jsonParsed lists every account, lookup-table ones included, as {pubkey, signer}; json
  // lists only the static keys as strings and leaves the rest to meta.loadedAddresses.
  const { accountKeys, signers } = parsed ? parsedKeys(keys) : jsonKeys(keys, message, lookupsField, meta);
  const instructions = readArray(message['instructions'], 'transaction.message.instructions');
  return {
    signature,
    version: readVersion(version, lookupsField),
    accountKeys,
    signers,
    instructionProgramIds: instructions.map((instruction, i) =>
      instructionProgramId(instruction, accountKeys, `transaction.message.instructions[${i}]`),
    ),
  };
}

function parsedKeys(keys: unknown[]): { accountKeys: string[]; signers: string[] } {
  const accountKeys: string[] = [];
  const signers: string[] = [];
  keys.forEach((entry, i) => {
    const key = readObject(entry, `transaction.message.accountKeys[${i}]`);
    const address = readAddress(key['pubkey'], `transaction.message.accountKeys[${i}].pubkey`);
    accountKeys.push(address);
    if (key['signer'] === true) signers.push(address);
  });
  return { accountKeys, signers };
}

function jsonKeys(
  keys: unknown[],
  message: JsonObject,
  lookupsField: unknown,
  meta: JsonObject,
): { accountKeys: string[]; signers: string[] } {
  const staticKeys = keys.map((key, i) => readAddress(key, `transaction.message.accountKeys[${i}]`));
  const header = readObject(message['header'], 'transaction.message.header');
  const signerCount = readIndex(header['numRequiredSignatures'], 'transaction.message.header.numRequiredSignatures');
  const lookups = lookupsField === undefined ? [] : readLookups(lookupsField);
  return {
    accountKeys: [...staticKeys, ...loadedAddresses(lookups, meta)],
    signers: staticKeys.slice(0, signerCount),
  };
}

function readLookups(value: unknown): AddressTableLookup[] {
  return readArray(value, 'transaction.message.addressTableLookups').map((entry, i) => {
    const path = `transaction.message.addressTableLookups[${i}]`;
    const lookup = readObject(entry, path);
    return {
      writableCount: readArray(lookup['writableIndexes'], `${path}.writableIndexes`).length,
      readonlyCount: readArray(lookup['readonlyIndexes'], `${path}.readonlyIndexes`).length,
    };
  });
}

/** Accounts loaded from lookup tables, in the order the runtime appends them. */
function loadedAddresses(lookups: AddressTableLookup[], meta: JsonObject): string[] {
  const wantWritable = lookups.reduce((sum, lookup) => sum + lookup.writableCount, 0);
  const wantReadonly = lookups.reduce((sum, lookup) => sum + lookup.readonlyCount, 0);
  const field = meta['loadedAddresses'];
  // Legacy transactions and old RPC nodes leave the field out; that is fine when nothing was loaded.
  if ((field === undefined || field === null) && wantWritable + wantReadonly === 0) return [];
  const loaded = readObject(field, 'meta.loadedAddresses');
  const writable = readArray(loaded['writable'], 'meta.loadedAddresses.writable');
  const readonly = readArray(loaded['readonly'], 'meta.loadedAddresses.readonly');
  if (writable.length !== wantWritable || readonly.length !== wantReadonly) {
    throw new SolanaDecodeError(
      `meta.loadedAddresses has ${writable.length} writable and ${readonly.length} readonly accounts, ` +
        `the address table lookups ask for ${wantWritable} and ${wantReadonly}`,
    );
  }
  return [
    ...writable.map((key, i) => readAddress(key, `meta.loadedAddresses.writable[${i}]`)),
    ...readonly.map((key, i) => readAddress(key, `meta.loadedAddresses.readonly[${i}]`)),
  ];
}

function readVersion(version: unknown, lookupsField: unknown): 'legacy' | number {
  if (version === 'legacy') return 'legacy';
  if (typeof version === 'number') return readIndex(version, 'version');
  if (version !== undefined && version !== null) {
    throw new SolanaDecodeError(`version ${JSON.stringify(version)} is not known`);
  }
  // RPC leaves `version` out when the request did not set maxSupportedTransactionVersion;
  // only v0 messages carry address table lookups.
  return lookupsField === undefined ? 'legacy' : 0;
}

/** The program an instruction calls: by index in json and base64, by address in jsonParsed. */
export function instructionProgramId(instruction: unknown, accountKeys: string[], path: string): string {
  const fields = readObject(instruction, path);
  if (fields['programIdIndex'] !== undefined) {
    return keyAt(accountKeys, readIndex(fields['programIdIndex'], `${path}.programIdIndex`), `${path}.programIdIndex`);
  }
  return readAddress(fields['programId'], `${path}.programId`);
}

function keyAt(accountKeys: string[], index: number, path: string): string {
  const key = accountKeys[index];
  if (key === undefined) {
    throw new SolanaDecodeError(`${path} ${index} is past the ${accountKeys.length} account keys`);
  }
  return key;
}
