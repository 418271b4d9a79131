import { SolanaDecodeError } from './solanaDecodeError.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every `getTransaction` result in a parsed JSON file: a bare result, a JSON-RPC response
 * `{jsonrpc, result}` or batch of them, a test-case wrapper `{description, signature, raw}`,
 * or arrays of any of these. Results are returned unchecked, for decodeSolanaTransaction.
 */
export function readSolanaTransactions(json: unknown): unknown[] {
  if (Array.isArray(json)) return json.flatMap(readSolanaTransactions);
  if (!isObject(json)) return [json];
  if ('transaction' in json) return [json];
  if ('jsonrpc' in json || 'result' in json || 'error' in json) return readRpcResponse(json);
  if ('raw' in json) return readSolanaTransactions(json['raw']);
  // Anything else is handed on as it is, so that decoding names what it lacks.
  return [json];
}

function readRpcResponse(response: JsonObject): unknown[] {
  const error = response['error'];
  if (error !== undefined && error !== null) {
    const message = isObject(error) && typeof error['message'] === 'string' ? error['message'] : JSON.stringify(error);
    throw new SolanaDecodeError(`the JSON-RPC response is an error: ${message}`);
  }
  if (response['result'] === null) {
    throw new SolanaDecodeError('the JSON-RPC response has a null result: the node does not have this transaction');
  }
  return readSolanaTransactions(response['result']);
}
