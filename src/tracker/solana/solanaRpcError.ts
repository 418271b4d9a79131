import { LookoutError, type ErrorAction } from '../../errors/LookoutError.js';

/** JSON-RPC codes a node answers for a request that will fail the same way however often it is sent. */
const PERMANENT_CODES: ReadonlyMap<number, string> = new Map([
  [-32601, 'method not found'],
  [-32602, 'invalid params'],
  [-32015, 'transaction version not supported'],
]);

/**
 * A failed Solana RPC call. `code` is the JSON-RPC error code or the HTTP status when the node
 * gave one; `action` says whether sending the same request again can help.
 */
export class SolanaRpcError extends LookoutError {
  override name = 'SolanaRpcError';
  readonly method: string;
  readonly code: number | null;

  constructor(method: string, options: { code: number | null; action: ErrorAction; details: string; cause?: unknown }) {
    super(`The Solana node failed ${method}; it is tried again.`, {
      action: options.action,
      details: options.details,
      cause: options.cause,
    });
    this.method = method;
    this.code = options.code;
  }
}

/**
 * Translates whatever web3.js or fetch threw for one call into a SolanaRpcError. This is the only
 * place that reads web3.js error shapes: JSON-RPC errors carry a numeric `code`, HTTP failures only
 * a message starting with the status ("429 Too Many Requests: …"), network failures neither.
 */
export function translateSolanaRpcError(error: unknown, method: string): SolanaRpcError {
  if (error instanceof SolanaRpcError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = jsonRpcCode(error);
  if (code !== null) {
    const permanent = PERMANENT_CODES.get(code);
    return new SolanaRpcError(method, {
      code,
      action: permanent ? 'stop' : 'retry',
      details: permanent ? `${permanent}: ${message}` : message,
      cause: error,
    });
  }
  const status = /^(\d{3}) /.exec(message)?.[1];
  if (status !== undefined) {
    const http = Number(status);
    // Note: 429 and 5xx pass; any other 4xx (a bad API key, a blocked method) will not pass by itself.
    const action: ErrorAction = http === 429 || http >= 500 ? 'retry' : 'stop';
    return new SolanaRpcError(method, { code: http, action, details: message, cause: error });
  }
  return new SolanaRpcError(method, { code: null, action: 'retry', details: message, cause: error });
}

function jsonRpcCode(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' && Number.isInteger(code) ? code : null;
}
