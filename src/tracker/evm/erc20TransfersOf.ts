import { hexToBigInt } from 'viem';
import type { RpcLog } from './evmRpcTypes.js';
import { parseQuantity } from './parseQuantity.js';

/** topic0 of `Transfer(address indexed from, address indexed to, uint256 value)`. */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** One ERC-20 `Transfer` event; addresses in lower case, amount in the token's raw units. */
export type Erc20Transfer = {
  /** The token contract that emitted the event. */
  token: string;
  from: string;
  to: string;
  amount: bigint;
  /** Position of the log in its block, when the log carries it. */
  logIndex: number | null;
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// An indexed address is left-padded with 12 zero bytes; anything else is not an address topic.
const ADDRESS_TOPIC = /^0x0{24}([0-9a-fA-F]{40})$/;
const WORD = /^0x[0-9a-fA-F]{64}$/;

/** The ERC-20 transfers among `logs`, in log order; ERC-721 transfers, malformed and removed logs are skipped. */
export function erc20TransfersOf(logs: readonly RpcLog[]): Erc20Transfer[] {
  const transfers: Erc20Transfer[] = [];
  for (const log of logs) {
    const transfer = erc20TransferOf(log);
    if (transfer) transfers.push(transfer);
  }
  return transfers;
}

function erc20TransferOf(log: RpcLog): Erc20Transfer | null {
  if (log.removed === true) return null;
  // Note: ERC-721 shares the event signature but indexes the token id as a fourth topic,
  // so exactly three topics and one data word tell an ERC-20 amount apart.
  if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC) return null;
  if (!ADDRESS.test(log.address) || !WORD.test(log.data)) return null;
  const from = addressOfTopic(log.topics[1]);
  const to = addressOfTopic(log.topics[2]);
  if (from === null || to === null) return null;
  return {
    token: log.address.toLowerCase(),
    from,
    to,
    amount: hexToBigInt(log.data as `0x${string}`),
    logIndex: logIndexOf(log),
  };
}

function addressOfTopic(topic: string | undefined): string | null {
  const match = topic === undefined ? null : ADDRESS_TOPIC.exec(topic);
  return match?.[1] === undefined ? null : `0x${match[1].toLowerCase()}`;
}

function logIndexOf(log: RpcLog): number | null {
  if (log.logIndex === undefined || log.logIndex === null) return null;
  try {
    return Number(parseQuantity(log.logIndex, 'logIndex'));
  } catch {
    // The index only orders rows; a log with a garbled one still moved tokens.
    return null;
  }
}
