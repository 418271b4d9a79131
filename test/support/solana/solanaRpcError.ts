/** A JSON-RPC error the simulated node answers with, carrying the code the real node uses. */
export class SolanaRpcError extends Error {
  override name = 'SolanaRpcError';
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }

  /** The `error` member of a JSON-RPC response. */
  toJSON(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** -32602, what the node answers to a malformed parameter. */
export function invalidParams(message: string): SolanaRpcError {
  return new SolanaRpcError(-32602, message);
}
