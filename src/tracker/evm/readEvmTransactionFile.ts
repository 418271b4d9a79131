import { isAddress } from 'viem';
import { EvmDecodeError } from './EvmDecodeError.js';
import type { RpcLog, RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { parseQuantity } from './parseQuantity.js';

export { EvmDecodeError } from './EvmDecodeError.js';

/** A saved transaction: its chain, hash and sender (lower case) with the bodies ready for `decodeEvmTransaction`. */
export type EvmTransactionFile = {
  chainId: number;
  hash: string;
  from: string;
  /** `from` is always filled in, taken from the wrapper when the saved body leaves it out. */
  tx: RpcTx & { from: string };
  receipt: RpcReceipt;
};

type JsonObject = Record<string, unknown>;

/**
 * Reads the parsed JSON of a saved transaction: a wrapper `{chainId, txHash, from, raw: {tx, receipt}}`
 * or a bare `{tx, receipt}` of `eth_getTransactionByHash` and `eth_getTransactionReceipt` bodies.
 */
export function readEvmTransactionFile(json: unknown): EvmTransactionFile {
  const file = object(json, 'the file');
  // A wrapper is told by its own fields, so one that lost its bodies says `raw` is missing.
  const wrapped = file.raw !== undefined || file.txHash !== undefined;
  const bodies = wrapped ? object(file.raw, 'raw') : file;
  const prefix = wrapped ? 'raw.' : '';
  const tx = readTx(object(bodies.tx, `${prefix}tx`), `${prefix}tx`);
  const receipt = readReceipt(object(bodies.receipt, `${prefix}receipt`), `${prefix}receipt`);

  const hash = agreed('transaction hash', [
    ['txHash', optionalString(file.txHash, 'txHash', wrapped)],
    [`${prefix}tx.hash`, tx.hash],
    [`${prefix}receipt.transactionHash`, receipt.transactionHash],
  ]);
  const from = agreed('sender', [
    ['from', optionalAddress(file.from, 'from', wrapped)],
    [`${prefix}tx.from`, tx.from],
    [`${prefix}receipt.from`, receipt.from],
  ]);
  const chainId = agreedChainId(wrapped ? file.chainId : undefined, tx.chainId, prefix);
  return { chainId, hash, from, tx: { ...tx, from }, receipt };
}

function readTx(tx: JsonObject, path: string): RpcTx {
  parseQuantity(required(tx.value, `${path}.value`) as string, `${path}.value`);
  return {
    ...tx,
    value: tx.value as string,
    hash: optionalString(tx.hash, `${path}.hash`),
    from: optionalAddress(tx.from, `${path}.from`),
    to: nullableAddress(tx.to, `${path}.to`),
  };
}

function readReceipt(receipt: JsonObject, path: string): RpcReceipt {
  parseQuantity(required(receipt.gasUsed, `${path}.gasUsed`) as string, `${path}.gasUsed`);
  const logs = required(receipt.logs, `${path}.logs`);
  if (!Array.isArray(logs)) throw new EvmDecodeError(`${path}.logs is not a list of logs.`);
  return {
    ...receipt,
    gasUsed: receipt.gasUsed as string,
    transactionHash: optionalString(receipt.transactionHash, `${path}.transactionHash`),
    from: optionalAddress(receipt.from, `${path}.from`),
    logs: logs.map((log, index) => readLog(object(log, `${path}.logs[${index}]`), `${path}.logs[${index}]`)),
  };
}

function readLog(log: JsonObject, path: string): RpcLog {
  const topics = required(log.topics, `${path}.topics`);
  if (!Array.isArray(topics) || !topics.every((topic) => typeof topic === 'string')) {
    throw new EvmDecodeError(`${path}.topics is not a list of hex strings.`);
  }
  return {
    ...log,
    address: requiredString(log.address, `${path}.address`),
    topics,
    data: requiredString(log.data, `${path}.data`),
  };
}

function agreed(what: string, sources: Array<[string, string | undefined]>): string {
  const present = sources.filter((source): source is [string, string] => source[1] !== undefined);
  const first = present[0];
  if (first === undefined) {
    const names = sources.map(([name]) => name).join(', ');
    throw new EvmDecodeError(`The file does not say its ${what}: none of ${names} is set.`);
  }
  const other = present.find(([, value]) => value.toLowerCase() !== first[1].toLowerCase());
  if (other) {
    throw new EvmDecodeError(`The file contradicts itself about its ${what}: ${first[0]} and ${other[0]} differ.`, {
      details: `${first[0]}=${first[1]} ${other[0]}=${other[1]}`,
    });
  }
  return first[1].toLowerCase();
}

function agreedChainId(wrapperChainId: unknown, txChainId: unknown, prefix: string): number {
  const fromWrapper = wrapperChainId === undefined ? undefined : chainIdOf(wrapperChainId, 'chainId');
  const fromTx = txChainId === undefined || txChainId === null ? undefined : chainIdOf(txChainId, `${prefix}tx.chainId`);
  if (fromWrapper !== undefined && fromTx !== undefined && fromWrapper !== fromTx) {
    throw new EvmDecodeError(
      `The file contradicts itself about its chain: chainId is ${fromWrapper}, ${prefix}tx.chainId is ${fromTx}.`,
    );
  }
  const chainId = fromWrapper ?? fromTx;
  if (chainId === undefined) {
    throw new EvmDecodeError(`The file does not say its chain: neither chainId nor ${prefix}tx.chainId is set.`);
  }
  return chainId;
}

function chainIdOf(value: unknown, field: string): number {
  const id = parseQuantity(value as string, field);
  if (id === 0n || id > BigInt(Number.MAX_SAFE_INTEGER)) throw new EvmDecodeError(`${field} ${id} is not a chain id.`);
  return Number(id);
}

function object(value: unknown, what: string): JsonObject {
  if (value === undefined) throw new EvmDecodeError(`${what} is missing.`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EvmDecodeError(`${what} is not a JSON object.`);
  }
  return value as JsonObject;
}

function required(value: unknown, field: string): unknown {
  if (value === undefined || value === null) throw new EvmDecodeError(`${field} is missing.`);
  return value;
}

function requiredString(value: unknown, field: string): string {
  if (typeof required(value, field) !== 'string') throw new EvmDecodeError(`${field} is not a string.`);
  return value as string;
}

function optionalString(value: unknown, field: string, isRequired = false): string | undefined {
  if (value === undefined || value === null) {
    if (isRequired) throw new EvmDecodeError(`${field} is missing.`);
    return undefined;
  }
  return requiredString(value, field);
}

function optionalAddress(value: unknown, field: string, isRequired = false): string | undefined {
  const text = optionalString(value, field, isRequired);
  if (text === undefined) return undefined;
  // Note: a mixed-case address must pass its checksum, which catches a hand-edited typo.
  if (!isAddress(text, { strict: true })) throw new EvmDecodeError(`${field} '${text}' is not a valid address.`);
  return text.toLowerCase();
}

function nullableAddress(value: unknown, field: string): string | null | undefined {
  return value === null ? null : optionalAddress(value, field);
}
