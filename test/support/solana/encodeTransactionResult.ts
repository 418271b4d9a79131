import { Message, MessageV0, PublicKey, VersionedTransaction, type MessageHeader } from '@solana/web3.js';

import { base58Decode, base58Encode } from '../../../src/tracker/solana/base58.js';

type JsonObject = Record<string, unknown>;

/** The `encoding` values getTransaction accepts. */
export type TransactionEncoding = 'json' | 'jsonParsed' | 'base64' | 'base58';

type JsonInstruction = { programIdIndex: number; accounts: number[]; data: string; stackHeight?: number | null };
type JsonLookup = { accountKey: string; writableIndexes: number[]; readonlyIndexes: number[] };
type JsonMessage = {
  accountKeys: string[];
  header: MessageHeader;
  instructions: JsonInstruction[];
  recentBlockhash: string;
  addressTableLookups?: JsonLookup[];
};

/** A transaction reduced to what every encoding is made from. */
type Wire = { version: 'legacy' | 0; signatures: string[]; message: Message | MessageV0; bytes: Uint8Array | null };

/** The encoding a getTransaction result was fetched with, read from its shape. */
export function transactionEncodingOf(result: JsonObject): TransactionEncoding {
  const transaction = result['transaction'];
  if (Array.isArray(transaction)) return transaction[1] === 'base58' ? 'base58' : 'base64';
  const message = (transaction as JsonObject | undefined)?.['message'] as JsonObject | undefined;
  const keys = message?.['accountKeys'];
  return Array.isArray(keys) && typeof keys[0] === 'object' ? 'jsonParsed' : 'json';
}

/**
 * The result as a node would send it in `encoding`. A jsonParsed result, or one of a version
 * after 0, comes back as it is: parsed instructions no longer hold their data, so the wire
 * form cannot be rebuilt. Instructions converted to jsonParsed stay partially decoded
 * (`{programId, accounts, data}`), as a node leaves those of programs it cannot parse.
 */
export function encodeTransactionResult(result: JsonObject, encoding: TransactionEncoding): JsonObject {
  const from = transactionEncodingOf(result);
  if (from === encoding || from === 'jsonParsed') return result;
  const wire = readWire(result, from);
  if (wire === null) return result;
  const meta = result['meta'] as JsonObject;
  switch (encoding) {
    case 'base64':
    case 'base58': {
      const bytes = wire.bytes ?? new VersionedTransaction(wire.message, wire.signatures.map(base58Decode)).serialize();
      const text = encoding === 'base64' ? Buffer.from(bytes).toString('base64') : base58Encode(bytes);
      return { ...result, transaction: [text, encoding] };
    }
    case 'json':
      return { ...result, transaction: jsonTransaction(wire) };
    case 'jsonParsed': {
      const loaded = (meta['loadedAddresses'] ?? { writable: [], readonly: [] }) as { writable: string[]; readonly: string[] };
      return { ...result, transaction: parsedTransaction(wire, loaded), meta: parsedMeta(meta, wire, loaded) };
    }
  }
}

function readWire(result: JsonObject, from: 'json' | 'base64' | 'base58'): Wire | null {
  if (from !== 'json') {
    const [text] = result['transaction'] as [string, string];
    const bytes = from === 'base64' ? Buffer.from(text, 'base64') : base58Decode(text);
    const transaction = VersionedTransaction.deserialize(bytes);
    const message = transaction.message;
    if (!(message instanceof Message || message instanceof MessageV0)) return null;
    return {
      version: message.version,
      signatures: transaction.signatures.map((signature) => base58Encode(signature)),
      message,
      bytes,
    };
  }
  const transaction = result['transaction'] as { signatures: string[]; message: JsonMessage };
  const json = transaction.message;
  // Old nodes leave `version` out of legacy results; a v0 message always has lookups.
  const version = result['version'] ?? (json.addressTableLookups === undefined ? 'legacy' : 0);
  if (version === 'legacy') {
    const message = new Message({
      header: json.header,
      accountKeys: json.accountKeys,
      recentBlockhash: json.recentBlockhash,
      instructions: json.instructions.map(({ programIdIndex, accounts, data }) => ({ programIdIndex, accounts, data })),
    });
    return { version, signatures: transaction.signatures, message, bytes: null };
  }
  if (version !== 0) return null;
  const message = new MessageV0({
    header: json.header,
    staticAccountKeys: json.accountKeys.map((key) => new PublicKey(key)),
    recentBlockhash: json.recentBlockhash,
    compiledInstructions: json.instructions.map((instruction) => ({
      programIdIndex: instruction.programIdIndex,
      accountKeyIndexes: instruction.accounts,
      data: base58Decode(instruction.data),
    })),
    addressTableLookups: (json.addressTableLookups ?? []).map((lookup) => ({
      accountKey: new PublicKey(lookup.accountKey),
      writableIndexes: lookup.writableIndexes,
      readonlyIndexes: lookup.readonlyIndexes,
    })),
  });
  return { version, signatures: transaction.signatures, message, bytes: null };
}

function staticKeys(wire: Wire): string[] {
  return wire.message.staticAccountKeys.map((key) => key.toBase58());
}

function jsonLookups(wire: Wire): { addressTableLookups?: JsonLookup[] } {
  if (wire.version === 'legacy') return {};
  return {
    addressTableLookups: wire.message.addressTableLookups.map((lookup) => ({
      accountKey: lookup.accountKey.toBase58(),
      readonlyIndexes: lookup.readonlyIndexes,
      writableIndexes: lookup.writableIndexes,
    })),
  };
}

function jsonTransaction(wire: Wire): JsonObject {
  return {
    message: {
      accountKeys: staticKeys(wire),
      ...jsonLookups(wire),
      header: wire.message.header,
      instructions: wire.message.compiledInstructions.map((instruction) => ({
        accounts: instruction.accountKeyIndexes,
        data: base58Encode(instruction.data),
        programIdIndex: instruction.programIdIndex,
        stackHeight: null,
      })),
      recentBlockhash: wire.message.recentBlockhash,
    },
    signatures: wire.signatures,
  };
}

function parsedTransaction(wire: Wire, loaded: { writable: string[]; readonly: string[] }): JsonObject {
  const keys = staticKeys(wire);
  const { numRequiredSignatures, numReadonlySignedAccounts, numReadonlyUnsignedAccounts } = wire.message.header;
  const accountKeys = [
    ...keys.map((pubkey, i) => ({
      pubkey,
      signer: i < numRequiredSignatures,
      source: 'transaction',
      writable:
        i < numRequiredSignatures
          ? i < numRequiredSignatures - numReadonlySignedAccounts
          : i < keys.length - numReadonlyUnsignedAccounts,
    })),
    ...loaded.writable.map((pubkey) => ({ pubkey, signer: false, source: 'lookupTable', writable: true })),
    ...loaded.readonly.map((pubkey) => ({ pubkey, signer: false, source: 'lookupTable', writable: false })),
  ];
  const allKeys = accountKeys.map((key) => key.pubkey);
  return {
    message: {
      accountKeys,
      ...jsonLookups(wire),
      instructions: wire.message.compiledInstructions.map((instruction) =>
        partiallyDecoded(
          { programIdIndex: instruction.programIdIndex, accounts: instruction.accountKeyIndexes, data: base58Encode(instruction.data) },
          allKeys,
        ),
      ),
      recentBlockhash: wire.message.recentBlockhash,
    },
    signatures: wire.signatures,
  };
}

function partiallyDecoded(instruction: JsonInstruction, keys: string[]): JsonObject {
  return {
    accounts: instruction.accounts.map((index) => keys[index]),
    data: instruction.data,
    programId: keys[instruction.programIdIndex],
    stackHeight: instruction.stackHeight ?? null,
  };
}

function parsedMeta(meta: JsonObject, wire: Wire, loaded: { writable: string[]; readonly: string[] }): JsonObject {
  const keys = [...staticKeys(wire), ...loaded.writable, ...loaded.readonly];
  // A jsonParsed meta has no loadedAddresses: the account keys already list them.
  const { loadedAddresses: _loaded, innerInstructions, ...rest } = meta;
  const inner = innerInstructions as Array<{ index: number; instructions: JsonInstruction[] }> | null | undefined;
  return {
    ...rest,
    innerInstructions: Array.isArray(inner)
      ? inner.map((group) => ({
          index: group.index,
          instructions: group.instructions.map((instruction) => partiallyDecoded(instruction, keys)),
        }))
      : inner,
  };
}
