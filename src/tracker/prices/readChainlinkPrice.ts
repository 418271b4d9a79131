import { RpcResponseError, type JsonRpcClient, type RpcCall } from '../evm/createJsonRpcClient.js';
import { toHex } from '../evm/fetchBlockRange.js';
import { parseChainlinkRound, type ChainlinkRoundProblem } from './parseChainlinkRound.js';

/** An AggregatorV3 answer at one block. */
export type ChainlinkPrice = {
  /** Exact: answer / 10^decimals. */
  priceUsd: string;
  updatedAt: Date;
  roundId: bigint;
  /** The answer was last updated more than `maxAgeMs` before the block: still the feed's word, but old. */
  stale: boolean;
};

export type ReadChainlinkPriceOptions = {
  /** The block's time; read from the node in the same batch when not given. */
  blockTime?: Date | null;
  /** How old an answer may be before it is flagged stale; 24 hours by default. */
  maxAgeMs?: number;
  /** Told why a feed gave no price (a revert, a zero answer, garbage), for logs. */
  onUnusable?: (problem: ChainlinkRoundProblem | 'reverted') => void;
};

export const DEFAULT_MAX_PRICE_AGE_MS = 24 * 60 * 60 * 1000;

// Selectors of AggregatorV3Interface.
const LATEST_ROUND_DATA = '0xfeaf968c';
const DECIMALS = '0x313ce567';

/**
 * The feed's latest answer as of `blockNumber`: `latestRoundData()` and `decimals()` by `eth_call` at
 * that block, in one batch, so that a trade is priced by the answer that held when it happened, whatever
 * the feed said later. Null when the feed reverts or answers nothing usable; RPC faults are thrown.
 */
export async function readChainlinkPrice(
  rpc: JsonRpcClient,
  feed: string,
  blockNumber: bigint,
  options: ReadChainlinkPriceOptions = {},
): Promise<ChainlinkPrice | null> {
  const block = toHex(blockNumber);
  const calls: RpcCall[] = [
    { method: 'eth_call', params: [{ to: feed, data: LATEST_ROUND_DATA }, block] },
    { method: 'eth_call', params: [{ to: feed, data: DECIMALS }, block] },
  ];
  const needBlock = !options.blockTime;
  if (needBlock) calls.push({ method: 'eth_getBlockByNumber', params: [block, false] });

  let results: unknown[];
  try {
    results = await rpc.batch<unknown>(calls);
  } catch (error) {
    if (!isExecutionReverted(error)) throw error;
    options.onUnusable?.('reverted');
    return null;
  }

  const parsed = parseChainlinkRound(results[0], results[1]);
  if (!parsed.ok) {
    options.onUnusable?.(parsed.problem);
    return null;
  }
  const { round } = parsed;
  const updatedAt = new Date(Number(round.updatedAt) * 1000);
  const blockTime = options.blockTime ?? blockTimeOf(results[2]);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_PRICE_AGE_MS;
  const stale = blockTime !== null && blockTime.getTime() - updatedAt.getTime() > maxAgeMs;
  return { priceUsd: round.priceUsd, updatedAt, roundId: round.roundId, stale };
}

/**
 * A call that the contract itself refused (a revert, an invalid opcode, running out of gas), as opposed
 * to a node that could not answer. Note: geth and anvil use code 3 with data for a revert with a reason,
 * and -32000 with a message for the rest; this is the one place that reads those messages.
 */
function isExecutionReverted(error: unknown): boolean {
  if (!(error instanceof RpcResponseError)) return false;
  return error.code === 3 || /revert|invalid opcode|out of gas/i.test(error.message);
}

function blockTimeOf(block: unknown): Date | null {
  const timestamp = (block as { timestamp?: unknown } | null)?.timestamp;
  if (typeof timestamp !== 'string' || !/^0x[0-9a-f]+$/i.test(timestamp)) return null;
  return new Date(Number(BigInt(timestamp)) * 1000);
}
