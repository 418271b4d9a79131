import { Counter, Histogram, type Registry } from 'prom-client';

/** What an RPC client tells of each request it sends (the `onRequest` option of the EVM and Solana clients). */
export type OnRpcRequest = (method: string, outcome: 'ok' | 'error', seconds: number) => void;

/**
 * `lookout_rpc_requests_total{chain,method,outcome}` and `lookout_rpc_request_duration_seconds{chain,method}` in a
 * registry; answers the `onRequest` hook of one chain's clients.
 */
export function createRpcMetrics(registry: Registry): (chain: string) => OnRpcRequest {
  const requests =
    (registry.getSingleMetric('lookout_rpc_requests_total') as Counter | undefined) ??
    new Counter({ name: 'lookout_rpc_requests_total', help: 'RPC requests sent, retries included', labelNames: ['chain', 'method', 'outcome'], registers: [registry] });
  const duration =
    (registry.getSingleMetric('lookout_rpc_request_duration_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'lookout_rpc_request_duration_seconds',
      help: 'How long an RPC request took, answered or failed',
      labelNames: ['chain', 'method'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  return (chain) => (method, outcome, seconds) => {
    requests.inc({ chain, method, outcome });
    duration.observe({ chain, method }, seconds);
  };
}
