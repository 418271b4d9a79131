import type { ChainConfig } from '../config/chainPresets.js';
import { rpcVariableOf, type LookoutConfig } from '../config/loadConfig.js';
import { redactUrl, type Logger } from '../logger.js';
import { kindOf } from '../tracker/chainKinds.js';

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Asks each followed chain's RPC URLs once, at start, whether they answer, and says plainly what to configure
 * for a chain none of whose URLs does: the variable to set, and how to follow fewer chains. It never stops
 * Lookout: the followers keep retrying on their own.
 */
export async function probeRpcAtStart(config: LookoutConfig, logger: Logger): Promise<void> {
  await Promise.all(
    config.followed.map(async (chain) => {
      const answers = await Promise.all(chain.rpcUrls.map((url) => probe(chain, url)));
      const wrongChain = answers.find((answer) => answer.kind === 'wrong_chain');
      if (wrongChain?.kind === 'wrong_chain') {
        logger.warn(
          { chain: chain.name, rpc: redactUrl(wrongChain.url), chain_id: wrongChain.chainId, expected_chain_id: chain.chainId },
          `${chain.name}: the RPC at ${redactUrl(wrongChain.url)} serves chain id ${wrongChain.chainId}, not ${chain.chainId}; ${whereToSet(chain)}`,
        );
      }
      if (answers.some((answer) => answer.kind === 'ok')) return;
      const others = config.followed.filter((other) => other !== chain).map((other) => other.name);
      logger.warn(
        { chain: chain.name, rpc: chain.rpcUrls.map(redactUrl), variable: rpcVariableOf(chain.name) ?? null },
        `${chain.name}: no RPC answered (${chain.rpcUrls.map(redactUrl).join(', ')}); ${whereToSet(chain)}, ` +
          `or follow fewer chains with LOOKOUT_CHAINS${others.length > 0 ? ` (for example LOOKOUT_CHAINS=${others.join(',')})` : ''}. ` +
          'Lookout keeps retrying meanwhile.',
      );
    }),
  );
}

type ProbeAnswer = { kind: 'ok' } | { kind: 'no_answer' } | { kind: 'wrong_chain'; url: string; chainId: number };

async function probe(chain: ChainConfig, url: string): Promise<ProbeAnswer> {
  const method = kindOf(chain).probeMethod;
  // Note: REST APIs (Esplora, Horizon) are probed with a GET of the path their kind names, such as 'GET /'.
  if (method.startsWith('GET ')) {
    try {
      const response = await fetch(`${url.replace(/\/+$/, '')}${method.slice(4).replace(/^\/$/, '')}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.arrayBuffer();
      return response.ok ? { kind: 'ok' } : { kind: 'no_answer' };
    } catch {
      return { kind: 'no_answer' };
    }
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) return { kind: 'no_answer' };
    const body = (await response.json()) as { result?: unknown };
    if (body.result === undefined || body.result === null) return { kind: 'no_answer' };
    if (chain.kind === 'evm' && chain.chainId !== null && typeof body.result === 'string') {
      const chainId = Number.parseInt(body.result, 16);
      if (chainId !== chain.chainId) return { kind: 'wrong_chain', url, chainId };
    }
    return { kind: 'ok' };
  } catch {
    return { kind: 'no_answer' };
  }
}

function whereToSet(chain: ChainConfig): string {
  const variable = rpcVariableOf(chain.name);
  return variable
    ? `set ${variable} to an RPC URL of ${chain.name} (several separated by commas for failover)`
    : `set rpcUrls of chain ${chain.name} in lookout.config.json`;
}
