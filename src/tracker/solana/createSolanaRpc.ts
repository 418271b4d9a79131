import { Connection, PublicKey, SolanaJSONRPCError, type AccountInfo } from '@solana/web3.js';
import type { ChainConfig } from '../../config/chainPresets.js';
import { backoffDelay } from '../backoff.js';
import { failoverFetch } from './failoverFetch.js';
import { createBlockSifter } from './siftBlockJson.js';
import { translateSolanaRpcError } from './solanaRpcError.js';

export const TOKEN_PROGRAM_ID = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM_ID = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const TOKEN_PROGRAM_IDS = [TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID] as const;

/** One entry of getSignaturesForAddress. */
export type SignatureInfo = { signature: string; slot: number; failed: boolean; blockTime: number | null };

/** The Solana node as the follower uses it: typed calls, translated errors, timeouts and a few quick retries. */
export type SolanaRpc = {
  readonly connection: Connection;
  /** Signatures touching an address, newest first, at `confirmed`. */
  signatures(address: string, options: { before?: string; until?: string; limit: number }): Promise<SignatureInfo[]>;
  /** A getTransaction result as the node sent it (JSON, not web3.js classes); null when the node does not have it. */
  transaction(signature: string): Promise<unknown>;
  slot(): Promise<number>;
  /** Token accounts of an owner under both token programs, and the slot the node answered at. */
  tokenAccounts(owner: string): Promise<{ slot: number; accounts: { address: string; programId: string }[] }>;
  /** Accounts in the order asked, null where there is none. */
  accounts(addresses: string[]): Promise<(AccountInfo<Buffer> | null)[]>;
  /** Slots from start to end (inclusive) that produced a block, at `confirmed`. */
  blocks(start: number, end: number): Promise<number[]>;
  /**
   * A block (json, transactions in full, no rewards) with only the transactions whose text names one of `followed`
   * parsed, and their count in all; or why the slot has none. An empty `followed` reads the block's own fields.
   */
  block(slot: number, followed: ReadonlySet<string>): Promise<BlockOutcome>;
};

/** A slot's block, or why there is none: skipped (or pruned from the node's ledger), or not reached yet. */
export type BlockOutcome = { kind: 'block'; block: unknown } | { kind: 'skipped' } | { kind: 'unavailable' };

/** JSON-RPC codes of a slot with no block: skipped, skipped or pruned (ledger jump), missing in long-term storage. */
const SKIPPED_SLOT_CODES: ReadonlySet<number> = new Set([-32007, -32009]);
// "Block not available for slot": not confirmed yet on this node.
const BLOCK_NOT_AVAILABLE = -32004;

export type SolanaRpcOptions = {
  /** A call that takes longer is abandoned and counted as failed. */
  timeoutMs?: number;
  /** Attempts per call for faults that pass (rate limits, 5xx, network). */
  attempts?: number;
  /** Told of every call sent, retries included: its method, outcome and duration. */
  onRequest?(method: string, outcome: 'ok' | 'error', seconds: number): void;
  /** The fetch the Connection was made with, for the calls whose answer is streamed (getBlock). */
  fetch?: typeof fetch;
};

const MAX_ACCOUNTS_PER_CALL = 100;

/** A Connection for a chain: its first RPC URL, `confirmed`, rate limits left to our own backoff. */
export function createSolanaConnection(chain: Pick<ChainConfig, 'rpcUrls'>, fetchRpc: typeof fetch = failoverFetch(chain.rpcUrls)): Connection {
  const url = chain.rpcUrls[0];
  if (url === undefined) throw new Error('a Solana chain needs at least one RPC URL');
  // Note: web3.js would retry a 429 itself, four times with console.error; our backoff does it quietly.
  return new Connection(url, { commitment: 'confirmed', disableRetryOnRateLimit: true, fetch: fetchRpc });
}

type RawRpcRequest = (method: string, args: unknown[]) => Promise<unknown>;

/** Wraps a Connection into the calls the follower makes. */
export function createSolanaRpc(connection: Connection, options: SolanaRpcOptions = {}): SolanaRpc {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  let multipleAccountsUnsupported = false;

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await withTimeout(run(), timeoutMs, method);
        options.onRequest?.(method, 'ok', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        options.onRequest?.(method, 'error', (performance.now() - started) / 1000);
        const translated = translateSolanaRpcError(error, method);
        if (translated.action !== 'retry' || attempt >= attempts) throw translated;
        await sleep(backoffDelay(attempt, 200, 2_000));
      }
    }
  }

  // Note: transactions are read through web3.js's raw request, not getTransaction or
  // getParsedTransaction: those return class instances or PublicKeys and validate the shape first,
  // so a damaged transaction would fail as an RPC error (retried forever) instead of reaching the
  // decoder, which names what is wrong and lets the follower skip it. base64 is the smallest
  // encoding on the wire, and the decoder reads every encoding.
  const raw = (connection as unknown as { _rpcRequest?: RawRpcRequest })._rpcRequest;
  async function fetchTransaction(signature: string): Promise<unknown> {
    const config = { encoding: 'base64', commitment: 'confirmed', maxSupportedTransactionVersion: 0 };
    if (typeof raw === 'function') {
      const response = (await raw.call(connection, 'getTransaction', [signature, config])) as {
        result?: unknown;
        error?: { code: number; message: string; data?: unknown };
      };
      if (response.error) throw new SolanaJSONRPCError(response.error, `failed to get transaction ${signature}`);
      return response.result ?? null;
    }
    // A Connection without the raw request (a wrapper or a newer release): JSON of the parsed form
    // turns every PublicKey back into its base58 text.
    const parsed = await connection.getParsedTransaction(signature, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
    return parsed === null ? null : JSON.parse(JSON.stringify(parsed));
  }

  async function rawRequest(method: string, args: unknown[]): Promise<unknown> {
    if (typeof raw !== 'function') throw new Error(`this Connection cannot send ${method}`);
    const response = (await raw.call(connection, method, args)) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (response.error) throw new SolanaJSONRPCError(response.error, `${method} failed`);
    return response.result ?? null;
  }

  const fetchRpc = options.fetch ?? fetch;
  let requestId = 0;

  /**
   * A JSON-RPC call whose answer is handed to `sink` chunk by chunk as it arrives, never held whole; an HTTP failure
   * is thrown as web3.js throws it ("429 Too Many Requests: …").
   */
  async function requestStreamed(method: string, params: unknown[], sink: (chunk: Uint8Array) => void): Promise<void> {
    const response = await fetchRpc(connection.rpcEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++requestId, method, params }),
    });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${await response.text()}`);
    if (!response.body) return;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      sink(value);
    }
  }

  // Note: json with transactionDetails "full": the decoder needs account keys, lamports and token balances
  // before and after, loaded addresses, and the instructions (top-level and inner) that name the venue of a
  // trade; "accounts" drops the instructions, so a block-read trade would lose its venue. json (not base64)
  // lets a block's transactions be sifted by their plain-text keys and owners as the answer streams in, so that
  // only the followed wallets' few are ever parsed, and the block is never held whole.
  async function fetchBlock(slot: number, followed: ReadonlySet<string>): Promise<BlockOutcome> {
    try {
      const sifter = createBlockSifter(followed);
      await requestStreamed(
        'getBlock',
        [slot, { commitment: 'confirmed', encoding: 'json', transactionDetails: 'full', rewards: false, maxSupportedTransactionVersion: 0 }],
        (chunk) => sifter.write(chunk),
      );
      const answer = sifter.end();
      if ('error' in answer) throw new SolanaJSONRPCError(answer.error, 'getBlock failed');
      return answer.result === null ? { kind: 'unavailable' } : { kind: 'block', block: answer.result };
    } catch (error) {
      const code = translateSolanaRpcError(error, 'getBlock').code;
      if (code !== null && SKIPPED_SLOT_CODES.has(code)) return { kind: 'skipped' };
      if (code === BLOCK_NOT_AVAILABLE) return { kind: 'unavailable' };
      throw error;
    }
  }

  async function readAccounts(addresses: string[]): Promise<(AccountInfo<Buffer> | null)[]> {
    const keys = addresses.map((address) => new PublicKey(address));
    const found: (AccountInfo<Buffer> | null)[] = [];
    for (let start = 0; start < keys.length; start += MAX_ACCOUNTS_PER_CALL) {
      const chunk = keys.slice(start, start + MAX_ACCOUNTS_PER_CALL);
      if (!multipleAccountsUnsupported) {
        try {
          found.push(...(await call('getMultipleAccounts', () => connection.getMultipleAccountsInfoAndContext(chunk, 'confirmed'))).value);
          continue;
        } catch (error) {
          // Note: some providers and local nodes do not serve getMultipleAccounts; one account per call still works.
          if (translateSolanaRpcError(error, 'getMultipleAccounts').code !== -32601) throw error;
          multipleAccountsUnsupported = true;
        }
      }
      for (const key of chunk) {
        found.push((await call('getAccountInfo', () => connection.getAccountInfoAndContext(key, 'confirmed'))).value);
      }
    }
    return found;
  }

  return {
    connection,
    async signatures(address, { before, until, limit }) {
      const infos = await call('getSignaturesForAddress', () =>
        connection.getSignaturesForAddress(new PublicKey(address), { before, until, limit }, 'confirmed'),
      );
      return infos.map((info) => ({
        signature: info.signature,
        slot: info.slot,
        failed: info.err !== null,
        blockTime: info.blockTime ?? null,
      }));
    },
    transaction: (signature) => call('getTransaction', () => fetchTransaction(signature)),
    slot: () => call('getSlot', () => connection.getSlot('confirmed')),
    async tokenAccounts(owner) {
      const key = new PublicKey(owner);
      let slot = Number.MAX_SAFE_INTEGER;
      const accounts: { address: string; programId: string }[] = [];
      for (const programId of TOKEN_PROGRAM_IDS) {
        const response = await call('getTokenAccountsByOwner', () =>
          connection.getTokenAccountsByOwner(key, { programId: new PublicKey(programId) }, 'confirmed'),
        );
        slot = Math.min(slot, response.context.slot);
        for (const { pubkey } of response.value) accounts.push({ address: pubkey.toBase58(), programId });
      }
      return { slot, accounts };
    },
    accounts: readAccounts,
    blocks: (start, end) => call('getBlocks', async () => (await rawRequest('getBlocks', [start, end, { commitment: 'confirmed' }])) as number[]),
    block: (slot, followed) => call('getBlock', () => fetchBlock(slot, followed)),
  };
}

/** Settles with the promise, or rejects after `ms`; the abandoned call is left to finish on its own. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
