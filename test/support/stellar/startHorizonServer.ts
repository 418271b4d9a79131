import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** An operation as submitted: its type and type-specific fields as Horizon names them (source defaults to the transaction's). */
export type OperationSpec = Json & { type: string; source_account?: string };
/** A trade of an operation in the transaction, fields as Horizon names them (base_*, counter_*, base_is_seller). */
export type TradeSpec = Json & { operation: number };
export type TransactionSpec = { source: string; feeCharged?: number; operations: OperationSpec[]; trades?: TradeSpec[] };

export type HorizonServer = {
  url: string;
  /** Closes a ledger holding these transactions; returns each transaction's hash and its operations' ids. */
  closeLedger(transactions?: TransactionSpec[]): { ledger: number; txs: { hash: string; operationIds: string[] }[] };
  /** Sets an account's balances as /accounts/:id lists them. */
  setBalances(account: string, balances: Json[]): void;
  requests: string[];
  stop(): Promise<void>;
};

const TYPE_I: Record<string, number> = {
  create_account: 0,
  payment: 1,
  path_payment_strict_receive: 2,
  manage_sell_offer: 3,
  account_merge: 8,
  path_payment_strict_send: 13,
};

/** A local server speaking the Horizon REST API (the endpoints Lookout reads) over in-memory ledgers. */
export async function startHorizonServer(options: { startLedger?: number } = {}): Promise<HorizonServer> {
  let ledger = options.startLedger ?? 54_000_000;
  let closeTime = Date.parse('2024-11-01T12:00:00Z');
  const operations: Json[] = [];
  const trades: Json[] = [];
  const effects = new Map<string, Json[]>();
  const balances = new Map<string, Json[]>();
  const requests: string[] = [];

  const participants = (op: Json) => new Set(['source_account', 'from', 'to', 'funder', 'account', 'into'].map((key) => op[key]).filter(Boolean) as string[]);

  function closeLedger(transactions: TransactionSpec[] = []) {
    ledger++;
    closeTime += 5_000;
    const createdAt = new Date(closeTime).toISOString().replace('.000Z', 'Z');
    const txs = transactions.map((spec, txIndex) => {
      const hash = createHash('sha256').update(`${ledger} ${txIndex} ${JSON.stringify(spec)}`).digest('hex');
      const transaction = {
        id: hash,
        paging_token: ((BigInt(ledger) << 32n) | (BigInt(txIndex + 1) << 12n)).toString(),
        successful: true,
        hash,
        ledger,
        created_at: createdAt,
        source_account: spec.source,
        source_account_sequence: '216998538473291777',
        fee_account: spec.source,
        fee_charged: String(spec.feeCharged ?? 100),
        max_fee: '100000',
        operation_count: spec.operations.length,
        memo_type: 'none',
        signatures: ['kP6TsfxLYDbbUQBLWBlSRcU1mxXFDh8ABDV8ZcMPC3Xl8+eGGD5vgvK+1RrfFGx2yJQ34fUkT/lAa3yd5gPtBQ=='],
      };
      const operationIds = spec.operations.map((opSpec, opIndex) => {
        const id = ((BigInt(ledger) << 32n) | (BigInt(txIndex + 1) << 12n) | BigInt(opIndex + 1)).toString();
        const { type, source_account, ...fields } = opSpec;
        const op: Json = {
          _links: { self: { href: `https://horizon.stellar.org/operations/${id}` }, transaction: { href: `https://horizon.stellar.org/transactions/${hash}` } },
          id,
          paging_token: id,
          transaction_successful: true,
          source_account: source_account ?? spec.source,
          type,
          type_i: TYPE_I[type] ?? 3,
          created_at: createdAt,
          transaction_hash: hash,
          ...fields,
          transaction,
        };
        operations.push(op);
        if (type === 'account_merge') {
          effects.set(id, [
            { id: `${id}-0000000001`, paging_token: `${id}-1`, account: fields.account, type: 'account_debited', type_i: 3, created_at: createdAt, asset_type: 'native', amount: fields.merged_amount },
            { id: `${id}-0000000002`, paging_token: `${id}-2`, account: fields.into, type: 'account_credited', type_i: 2, created_at: createdAt, asset_type: 'native', amount: fields.merged_amount },
            { id: `${id}-0000000003`, paging_token: `${id}-3`, account: fields.account, type: 'account_removed', type_i: 1, created_at: createdAt },
          ]);
          delete op.merged_amount;
        }
        return id;
      });
      (spec.trades ?? []).forEach((tradeSpec, index) => {
        const { operation, ...fields } = tradeSpec;
        const opId = operationIds[operation]!;
        trades.push({
          _links: { operation: { href: `https://horizon.stellar.org/operations/${opId}` } },
          id: `${opId}-${index}`,
          paging_token: `${opId}-${index}`,
          ledger_close_time: createdAt,
          trade_type: 'orderbook',
          base_offer_id: '1640858712',
          counter_offer_id: '4719338203580043265',
          price: { n: '1', d: '10' },
          ...fields,
        });
      });
      return { hash, operationIds };
    });
    return { ledger, txs };
  }

  const after = (cursor: string | null) => {
    const [a = '0', b = '-1'] = (cursor ?? '0').split('-');
    return (token: string) => {
      const [x = '0', y = '-1'] = token.split('-');
      return BigInt(x) > BigInt(a) || (BigInt(x) === BigInt(a) && BigInt(y) > BigInt(b));
    };
  };
  const page = (records: Json[], query: URLSearchParams, join: boolean) => {
    const cursor = query.get('cursor');
    const limit = Number(query.get('limit') ?? 10);
    // Note: newest first with order=desc, and then the cursor is where the previous page ended: records before it.
    const desc = query.get('order') === 'desc';
    const isAfter = after(cursor);
    const ordered = desc ? [...records].reverse() : records;
    const chosen = ordered
      .filter((record) => (desc ? cursor === null || (!isAfter(String(record.paging_token)) && String(record.paging_token) !== cursor) : isAfter(String(record.paging_token))))
      .slice(0, limit)
      .map((record) => {
        if (join) return record;
        const { transaction: _transaction, ...rest } = record;
        return rest;
      });
    return { _links: { self: { href: '' }, next: { href: '' }, prev: { href: '' } }, _embedded: { records: chosen } };
  };

  const route = (path: string, query: URLSearchParams): { status: number; body: unknown } => {
    let match: RegExpExecArray | null;
    const join = query.get('join') === 'transactions';
    if (path === '/') return { status: 200, body: { horizon_version: '22.0.1', core_version: 'stellar-core 22.0.0', history_latest_ledger: ledger, history_elder_ledger: 2, core_latest_ledger: ledger, network_passphrase: 'Public Global Stellar Network ; September 2015', current_protocol_version: 22 } };
    if (path === '/fee_stats') {
      // Horizon's shape: stroops per operation over the last ledgers, as strings (surge pricing in the upper percentiles).
      const percentiles = (values: string[]) => Object.fromEntries(['p10', 'p20', 'p30', 'p40', 'p50', 'p60', 'p70', 'p80', 'p90', 'p95', 'p99'].map((p, i) => [p, values[i]]));
      const charged = ['100', '100', '100', '100', '100', '120', '150', '200', '1000', '5000', '25001'];
      return {
        status: 200,
        body: {
          last_ledger: String(ledger),
          last_ledger_base_fee: '100',
          ledger_capacity_usage: '0.97',
          fee_charged: { max: '25001', min: '100', mode: '100', ...percentiles(charged) },
          max_fee: { max: '1000000', min: '100', mode: '100000', ...percentiles(charged.map((fee) => String(Number(fee) * 10))) },
        },
      };
    }
    if ((match = /^\/accounts\/(G[A-Z2-7]{55})\/operations$/.exec(path))) {
      const account = match[1]!;
      return { status: 200, body: page(operations.filter((op) => participants(op).has(account)), query, join) };
    }
    if ((match = /^\/accounts\/(G[A-Z2-7]{55})\/trades$/.exec(path))) {
      const account = match[1]!;
      return { status: 200, body: page(trades.filter((trade) => trade.base_account === account || trade.counter_account === account), query, false) };
    }
    if ((match = /^\/accounts\/(G[A-Z2-7]{55})$/.exec(path))) {
      const held = balances.get(match[1]!);
      if (!held) return { status: 404, body: { type: 'https://stellar.org/horizon-errors/not_found', title: 'Resource Missing', status: 404 } };
      return { status: 200, body: { id: match[1], account_id: match[1], sequence: '216998538473291777', subentry_count: 1, balances: held } };
    }
    if ((match = /^\/operations\/(\d+)\/effects$/.exec(path))) return { status: 200, body: page(effects.get(match[1]!) ?? [], query, false) };
    if ((match = /^\/operations\/(\d+)$/.exec(path))) {
      const op = operations.find((candidate) => candidate.id === match![1]);
      if (!op) return { status: 404, body: { title: 'Resource Missing', status: 404 } };
      const { transaction: _transaction, ...rest } = op;
      return { status: 200, body: rest };
    }
    if ((match = /^\/transactions\/([0-9a-f]{64})\/operations$/.exec(path))) {
      const found = operations.filter((op) => op.transaction_hash === match![1]);
      if (found.length === 0) return { status: 404, body: { title: 'Resource Missing', status: 404 } };
      return { status: 200, body: page(found, query, join) };
    }
    return { status: 404, body: { title: 'Resource Missing', status: 404 } };
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const { status, body } = route(url.pathname, url.searchParams);
    response.writeHead(status, { 'content-type': status === 200 ? 'application/hal+json' : 'application/problem+json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    closeLedger,
    setBalances: (account, held) => void balances.set(account, held),
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
