/**
 * A JSON-RPC quantity: a `0x` hex string as the node sends it, or a bigint once viem has parsed it.
 */
export type RpcQuantity = string | bigint;

/** One log of a receipt, raw or as viem parses it. */
export type RpcLog = {
  address: string;
  topics: readonly string[];
  data: string;
  logIndex?: RpcQuantity | number | null;
  /** Set by nodes on logs of a block that a reorg removed. */
  removed?: boolean;
};

/** The fields of an `eth_getTransactionByHash` body the decoder reads (raw hex, or viem's parsed shape). */
export type RpcTx = {
  hash?: string;
  /** Always in an RPC answer; saved bodies may leave it out, so readers fill it in. */
  from?: string;
  /** `null` when the transaction creates a contract. */
  to?: string | null;
  value: RpcQuantity;
  /** `0x2` raw, `eip1559` once viem has parsed it. */
  type?: string | null;
  gasPrice?: RpcQuantity | null;
  chainId?: RpcQuantity | number | null;
  /** OP-stack deposits: native coin minted to `from` on L2 as it arrives from L1. */
  mint?: RpcQuantity | null;
};

/** The fields of an `eth_getTransactionReceipt` body the decoder reads (raw hex, or viem's parsed shape). */
export type RpcReceipt = {
  transactionHash?: string;
  from?: string;
  to?: string | null;
  /** `0x1`/`0x0` raw, `success`/`reverted` from viem; absent before Byzantium. */
  status?: string | null;
  type?: string | null;
  gasUsed: RpcQuantity;
  /** Absent on some pre-London receipts, where the transaction's `gasPrice` applies. */
  effectiveGasPrice?: RpcQuantity | null;
  /** OP-stack chains (Base, Optimism): what the sender paid to post the transaction on L1. */
  l1Fee?: RpcQuantity | null;
  blobGasUsed?: RpcQuantity | null;
  blobGasPrice?: RpcQuantity | null;
  contractAddress?: string | null;
  logs: readonly RpcLog[];
};

/** A transaction with its receipt: what the decoder reads. */
export type EvmTransactionInput = { tx: RpcTx; receipt: RpcReceipt };
