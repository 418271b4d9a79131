import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An output as Esplora shows it (blockstream/electrs `TxOutValue`). */
export type EsploraOutput = {
  scriptpubkey: string;
  scriptpubkey_asm: string;
  scriptpubkey_type: string;
  scriptpubkey_address?: string;
  value: number;
};
export type EsploraInput = {
  txid: string;
  vout: number;
  prevout: EsploraOutput | null;
  scriptsig: string;
  scriptsig_asm: string;
  witness?: string[];
  is_coinbase: boolean;
  sequence: number;
};
export type EsploraTransaction = {
  txid: string;
  version: number;
  locktime: number;
  vin: EsploraInput[];
  vout: EsploraOutput[];
  size: number;
  weight: number;
  fee: number;
  status: { confirmed: boolean; block_height?: number; block_hash?: string; block_time?: number };
};
type StoredBlock = { id: string; height: number; previousblockhash: string | null; timestamp: number; txs: EsploraTransaction[] };

export type EsploraServer = {
  url: string;
  /** Adds a block on top of the tip holding these transactions; returns its hash. */
  mine(txs?: EsploraTransaction[]): string;
  /** Drops every block from `height` up, as a reorg does; mine the replacement after. */
  dropFrom(height: number): void;
  tipHeight(): number;
  /** The paths asked so far. */
  requests: string[];
  /** Makes every request fail with HTTP 503 while true. */
  failing: boolean;
  stop(): Promise<void>;
};

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** An output paying an address, shaped like Esplora's (the script fields are illustrative: P2WPKH). */
export function output(address: string, value: number): EsploraOutput {
  return { scriptpubkey: `0014${sha(address).slice(0, 40)}`, scriptpubkey_asm: `OP_0 OP_PUSHBYTES_20 ${sha(address).slice(0, 40)}`, scriptpubkey_type: 'v0_p2wpkh', scriptpubkey_address: address, value };
}

let counter = 0;

/** A transaction spending outputs of these addresses and paying these outputs; the fee is what inputs leave over. */
export function transaction(inputs: { address: string; value: number }[], outputs: { address: string; value: number }[]): EsploraTransaction {
  counter++;
  const vin = inputs.map((input, index) => ({
    txid: sha(`funding ${counter} ${index}`),
    vout: index,
    prevout: output(input.address, input.value),
    scriptsig: '',
    scriptsig_asm: '',
    witness: ['3044022052f4…01', '02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5'],
    is_coinbase: false,
    sequence: 4294967293,
  }));
  const vout = outputs.map((entry) => output(entry.address, entry.value));
  const fee = inputs.reduce((sum, input) => sum + input.value, 0) - outputs.reduce((sum, entry) => sum + entry.value, 0);
  return { txid: sha(`tx ${counter} ${JSON.stringify(outputs)}`), version: 2, locktime: 0, vin, vout, size: 222, weight: 561, fee, status: { confirmed: false } };
}

/** A local server speaking the Esplora REST API (the paths Lookout reads, and /fee-estimates) over an in-memory chain. */
export async function startEsploraServer(options: { startHeight?: number; startTime?: number } = {}): Promise<EsploraServer> {
  const blocks: StoredBlock[] = [];
  const requests: string[] = [];
  let salt = 0;
  const base = options.startHeight ?? 870_000;
  let time = options.startTime ?? 1_730_000_000;
  const state = { failing: false };

  const mine = (txs: EsploraTransaction[] = []): string => {
    const previous = blocks[blocks.length - 1] ?? null;
    const height = previous ? previous.height + 1 : base;
    const id = sha(`block ${height} ${salt++}`);
    time += 600;
    for (const tx of txs) tx.status = { confirmed: true, block_height: height, block_hash: id, block_time: time };
    blocks.push({ id, height, previousblockhash: previous?.id ?? sha('before'), timestamp: time, txs });
    return id;
  };
  mine();

  const chainTxs = () => blocks.flatMap((block) => block.txs).reverse();
  const touches = (tx: EsploraTransaction, address: string) =>
    tx.vout.some((out) => out.scriptpubkey_address === address) || tx.vin.some((input) => input.prevout?.scriptpubkey_address === address);
  const blockJson = (block: StoredBlock) => ({
    id: block.id,
    height: block.height,
    version: 536870912,
    timestamp: block.timestamp,
    tx_count: block.txs.length,
    size: 1_500_000,
    weight: 3_993_000,
    merkle_root: sha(`merkle ${block.id}`),
    previousblockhash: block.previousblockhash,
    mediantime: block.timestamp - 3000,
    nonce: 1_234_567,
    bits: 386_089_497,
    difficulty: 92_671_576_265_161.06,
  });
  const stats = (address: string) => {
    let funded = 0;
    let spent = 0;
    let count = 0;
    for (const tx of chainTxs()) {
      if (!touches(tx, address)) continue;
      count++;
      for (const out of tx.vout) if (out.scriptpubkey_address === address) funded += out.value;
      for (const input of tx.vin) if (input.prevout?.scriptpubkey_address === address) spent += input.prevout.value;
    }
    return { funded_txo_count: 0, funded_txo_sum: funded, spent_txo_count: 0, spent_txo_sum: spent, tx_count: count };
  };

  const route = (path: string): { status: number; body: unknown } => {
    let match: RegExpExecArray | null;
    if (path === '/blocks/tip/height') return { status: 200, body: String(blocks[blocks.length - 1]!.height) };
    if (path === '/fee-estimates') return { status: 200, body: { '1': 87.882, '2': 87.882, '3': 87.882, '6': 68.285, '144': 1.027, '504': 1.027, '1008': 1.027 } };
    if ((match = /^\/block-height\/(\d+)$/.exec(path))) {
      const block = blocks.find((candidate) => candidate.height === Number(match![1]));
      return block ? { status: 200, body: block.id } : { status: 404, body: 'Block not found' };
    }
    if ((match = /^\/block\/([0-9a-f]{64})$/.exec(path))) {
      const block = blocks.find((candidate) => candidate.id === match![1]);
      return block ? { status: 200, body: blockJson(block) } : { status: 404, body: 'Block not found' };
    }
    if ((match = /^\/tx\/([0-9a-f]{64})$/.exec(path))) {
      const tx = chainTxs().find((candidate) => candidate.txid === match![1]);
      return tx ? { status: 200, body: tx } : { status: 404, body: 'Transaction not found' };
    }
    if ((match = /^\/address\/([^/]+)\/txs\/chain(?:\/([0-9a-f]{64}))?$/.exec(path))) {
      const all = chainTxs().filter((tx) => touches(tx, match![1]!));
      const start = match[2] ? all.findIndex((tx) => tx.txid === match![2]) + 1 : 0;
      return { status: 200, body: all.slice(start, start + 25) };
    }
    if ((match = /^\/address\/([^/]+)$/.exec(path))) {
      const address = match[1]!;
      return { status: 200, body: { address, chain_stats: stats(address), mempool_stats: { funded_txo_count: 0, funded_txo_sum: 0, spent_txo_count: 0, spent_txo_sum: 0, tx_count: 0 } } };
    }
    return { status: 404, body: 'Not Found' };
  };

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').replace(/^\/api/, '').split('?')[0]!;
    requests.push(path);
    if (state.failing) {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const { status, body } = route(path);
    if (typeof body === 'string') response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api`,
    mine,
    dropFrom(height) {
      while (blocks.length > 1 && blocks[blocks.length - 1]!.height >= height) blocks.pop();
    },
    tipHeight: () => blocks[blocks.length - 1]!.height,
    requests,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
