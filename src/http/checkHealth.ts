import os from 'node:os';
import type { Gauge } from 'prom-client';
import type { ChainConfig } from '../config/chainPresets.js';
import { chainProgress, outboxPendingBySink, pingDatabase, type ChainProgress } from '../db/healthQueries.js';
import { listLeases, type LeaseRow } from '../db/leaseQueries.js';
import type { HttpCommon } from './RouteContext.js';

/** How far behind its head a chain may be and still count as followed: about two minutes of blocks, at least 10. */
export function lagBudget(chain: Pick<ChainConfig, 'blockTimeMs'>): number {
  return Math.max(10, Math.ceil(120_000 / Math.max(1, chain.blockTimeMs)));
}

export type ChainHealth = {
  chain: string;
  cursor: string | null;
  cursorUpdatedAt: string | null;
  lagBlocks: number | null;
  lagBudgetBlocks: number;
  lastTradeAt: string | null;
  /** The instance that follows the chain, when several share the database and it is another one. */
  followedBy?: string;
  ready: boolean;
};

export type Health = {
  ready: boolean;
  /** Why it is not ready, one sentence each. */
  reasons: string[];
  database: 'ok' | 'unreachable';
  chains: ChainHealth[];
  sinks: { sink: string; outboxPending: number }[];
};

const DATABASE_TIMEOUT_MS = 3_000;

/**
 * Whether Lookout can do its work: the database answers, and every followed chain is within its lag budget by the
 * tracker pipeline's `lookout_chain_head_lag_blocks` gauge (a chain that has not reported its head yet is not ready).
 * With several instances on one Postgres, a chain another live instance follows counts as ready here.
 */
export async function checkHealth(common: HttpCommon): Promise<Health> {
  const reasons: string[] = [];
  const lags = await headLags(common);
  let database: Health['database'] = 'ok';
  let progress = new Map<string, ChainProgress>();
  let pending = new Map<string, number>();
  let leases: LeaseRow[] = [];
  try {
    await withTimeout(pingDatabase(common.db), DATABASE_TIMEOUT_MS);
    [progress, pending, leases] = await withTimeout(
      Promise.all([chainProgress(common.db), outboxPendingBySink(common.db), listLeases(common.db)]),
      DATABASE_TIMEOUT_MS,
    );
  } catch (error) {
    common.logger.warn({ err: error }, 'health check: the database did not answer');
    database = 'unreachable';
    reasons.push('The database does not answer.');
  }
  const instance = common.config.instance ?? os.hostname();
  const chains = common.config.followed.map((chain): ChainHealth => {
    const lag = lags.get(chain.name) ?? null;
    const budget = lagBudget(chain);
    const lease = leases.find((each) => each.name === `chain:${chain.name}` && each.expiresInMs > 0);
    const followedBy = lag === null && lease && lease.holder !== instance ? lease.holder : undefined;
    const ready = followedBy !== undefined || (lag !== null && lag <= budget);
    if (lag === null && !followedBy) reasons.push(`${chain.name} has not reported its head yet.`);
    else if (!ready) reasons.push(`${chain.name} is ${lag} blocks behind its head, over its budget of ${budget}.`);
    const stored = progress.get(chain.name);
    return {
      chain: chain.name,
      cursor: stored?.cursor?.toString() ?? null,
      cursorUpdatedAt: stored?.cursorUpdatedAt?.toISOString() ?? null,
      lagBlocks: lag,
      lagBudgetBlocks: budget,
      lastTradeAt: stored?.lastTradeAt?.toISOString() ?? null,
      ...(followedBy ? { followedBy } : {}),
      ready,
    };
  });
  const sinkNames = new Set(['console', ...(common.config.telegram ? ['telegram'] : []), ...(common.config.discord ? ['discord'] : []), ...pending.keys()]);
  return {
    ready: reasons.length === 0,
    reasons,
    database,
    chains,
    sinks: [...sinkNames].sort().map((sink) => ({ sink, outboxPending: pending.get(sink) ?? 0 })),
  };
}

/** The head lag per chain as the tracker pipeline last set it in the registry. */
async function headLags(common: HttpCommon): Promise<Map<string, number>> {
  const gauge = common.metrics.getSingleMetric('lookout_chain_head_lag_blocks') as Gauge | undefined;
  const lags = new Map<string, number>();
  for (const entry of (await gauge?.get())?.values ?? []) {
    if (typeof entry.labels.chain === 'string') lags.set(entry.labels.chain, entry.value);
  }
  return lags;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
