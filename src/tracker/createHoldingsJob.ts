import { schedule, validate, type ScheduledTask } from 'node-cron';
import type { LookoutConfig } from '../config/loadConfig.js';
import { assetsEverHeld, saveHoldingSnapshot, type HoldingRow } from '../db/holdingQueries.js';
import type { Db } from '../db/openDatabase.js';
import { findTokens } from '../db/tokenQueries.js';
import { followedAddresses } from '../db/walletQueries.js';
import { ConfigError } from '../errors/LookoutError.js';
import type { Logger } from '../logger.js';
import { Rational } from './pnl/Rational.js';
import type { PnlPrice } from './pnl/types.js';
import { NATIVE } from './walletDeltas.js';

/** Reads a wallet's current balance of the given assets (raw), on one chain. */
export type HoldingsReader = (wallet: string, assets: string[]) => Promise<Map<string, bigint>>;

export type HoldingsJob = { start(): void; stop(): void; runOnce(now?: Date): Promise<number> };

/**
 * The scheduled job (hourly by default) that stores each followed wallet's holdings and their USD value,
 * which gives the value-over-time series of `/pnl`. A chain that fails is logged and skipped until the
 * next run; the others are stored.
 */
export function createHoldingsJob(deps: {
  db: Db;
  config: LookoutConfig;
  logger: Logger;
  readers: Map<string, HoldingsReader>;
  prices: (chain: string, asset: string) => Promise<PnlPrice | null>;
  cron?: string;
}): HoldingsJob {
  const expression = deps.cron ?? '0 * * * *';
  if (!validate(expression)) throw new ConfigError(`LOOKOUT_SNAPSHOT_CRON '${expression}' is not a cron expression, such as 0 * * * *.`);
  const log = deps.logger.child({ component: 'holdings' });
  let task: ScheduledTask | undefined;

  async function runOnce(now = new Date()): Promise<number> {
    let stored = 0;
    // Note: one timestamp for the whole run, so each run is one point of the value series.
    const takenAt = new Date(Math.floor(now.getTime() / 1_000) * 1_000);
    for (const [chainName, read] of deps.readers) {
      const chain = deps.config.chains.find((candidate) => candidate.name === chainName);
      if (!chain) continue;
      try {
        for (const wallet of await followedAddresses(deps.db, chainName)) {
          const assets = (await assetsEverHeld(deps.db, chainName, wallet)).filter((asset) => asset !== NATIVE);
          const holdings = await read(wallet, assets);
          const tokenRows = await findTokens(deps.db, chainName, [...holdings.keys()]);
          const rows: HoldingRow[] = [];
          for (const [asset, amount] of holdings) {
            const token = tokenRows.find((row) => row.address === asset);
            const decimals = asset === NATIVE ? chain.nativeDecimals : token?.decimals;
            const price = token?.isStablecoin ? { priceUsd: '1', at: now } : await deps.prices(chainName, asset);
            const valueUsd =
              price && decimals !== undefined ? Rational.fromRaw(amount, decimals).mul(Rational.parse(price.priceUsd)).toDecimalString(18) : null;
            rows.push({ chain: chainName, wallet, asset, amount, valueUsd });
          }
          await saveHoldingSnapshot(deps.db, takenAt, rows);
          stored += rows.length;
        }
      } catch (error) {
        log.warn({ chain: chainName, err: error }, 'holdings snapshot failed for a chain');
      }
    }
    log.info({ holdings: stored }, 'holdings snapshot stored');
    return stored;
  }

  return {
    runOnce,
    start() {
      task ??= schedule(expression, () => runOnce().then(() => undefined), { name: 'holdings-snapshot', noOverlap: true });
    },
    stop() {
      void task?.stop();
      task = undefined;
    },
  };
}
