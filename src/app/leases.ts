import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { acquireLease, LeaseLost, releaseLeases, type Fence, type LeaseHolder } from '../db/leaseQueries.js';
import type { Db } from '../db/openDatabase.js';
import type { Logger } from '../logger.js';
import { abortableSleep } from '../tracker/abortableSleep.js';

export { LeaseLost, type Fence } from '../db/leaseQueries.js';

/** Work done while a lease is held: it must return once `signal` aborts (the lease was lost, or Lookout stops). */
export type LeasedWork = (fence: Fence, signal: AbortSignal) => Promise<void>;

/**
 * The leases of one `lookout run`: which instance follows each chain and holds each chat connection when several
 * share one Postgres. With the embedded database there is one process, which always holds them.
 */
export type Leases = {
  holder: LeaseHolder;
  /** How this process claims outbox rows: `<instance>#<token>`. */
  claimant: string;
  /** Runs `work` whenever this instance holds `name`, until `signal` aborts; waits while another instance holds it. */
  hold(name: string, work: LeasedWork, signal: AbortSignal): Promise<void>;
  /** Gives every lease up, so that another instance takes over without waiting for expiry. */
  release(): Promise<void>;
};

export type LeaseTiming = { ttlMs: number; renewMs: number; retryMs: number };

/** A lease lasts 10 s and is renewed every 2 s: a dead holder is replaced within about 12 s. */
export const LEASE_TIMING: LeaseTiming = { ttlMs: 10_000, renewMs: 2_000, retryMs: 2_000 };

/** This process as a lease holder: the instance's name (LOOKOUT_INSTANCE, else the host name) and a fresh token. */
export function leaseHolder(instance: string | undefined): LeaseHolder {
  return { name: instance?.trim() || os.hostname(), token: randomBytes(6).toString('hex') };
}

export function createLeases(deps: {
  db: Db;
  logger: Logger;
  holder: LeaseHolder;
  /** Take leases whatever their holder: the embedded database allows one process, so any holder found is dead. */
  exclusive?: boolean;
  timing?: LeaseTiming;
}): Leases {
  const { db, holder } = deps;
  const timing = deps.timing ?? LEASE_TIMING;
  const logger = deps.logger.child({ component: 'leases', instance: holder.name });
  const claimant = `${holder.name}#${holder.token}`;

  async function hold(name: string, work: LeasedWork, signal: AbortSignal): Promise<void> {
    let waitingLogged = false;
    while (!signal.aborted) {
      const epoch = await acquireLease(db, name, holder, timing.ttlMs, deps.exclusive).catch((error: unknown) => {
        logger.warn({ err: error, lease: name }, 'could not reach the database to take a lease; retrying');
        return null;
      });
      if (epoch === null) {
        if (!waitingLogged) logger.info({ lease: name }, `${name} is held by another instance; standing by`);
        waitingLogged = true;
        await abortableSleep(timing.retryMs, signal);
        continue;
      }
      waitingLogged = false;
      logger.info({ lease: name, epoch: epoch.toString() }, `took the lease ${name} (epoch ${epoch})`);
      const lost = new AbortController();
      const stop = () => lost.abort();
      signal.addEventListener('abort', stop, { once: true });
      const renewal = keepRenewing(name, epoch, lost);
      try {
        await work({ lease: name, token: holder.token, epoch }, lost.signal);
      } catch (error) {
        if (!(error instanceof LeaseLost) && !signal.aborted) logger.error({ err: error, lease: name }, `work under the lease ${name} failed; taking it again`);
      } finally {
        lost.abort();
        signal.removeEventListener('abort', stop);
        await renewal;
      }
      if (!signal.aborted) await abortableSleep(timing.retryMs, signal);
    }
  }

  /** Renews a lease until `lost` aborts; aborts it when the lease passed to another holder or could not be renewed in time. */
  async function keepRenewing(name: string, epoch: bigint, lost: AbortController): Promise<void> {
    let renewedAt = Date.now();
    while (!lost.signal.aborted) {
      await abortableSleep(timing.renewMs, lost.signal);
      if (lost.signal.aborted) return;
      try {
        const now = await acquireLease(db, name, holder, timing.ttlMs, deps.exclusive);
        if (now === epoch) {
          renewedAt = Date.now();
          continue;
        }
        logger.warn({ lease: name, epoch: epoch.toString() }, `lost the lease ${name} to another instance; standing by`);
      } catch (error) {
        // Note: an unreachable database leaves the lease in doubt; the work stops before it could have expired.
        if (Date.now() - renewedAt + timing.renewMs < timing.ttlMs) continue;
        logger.warn({ err: error, lease: name }, `could not renew the lease ${name}; stopping its work`);
      }
      lost.abort();
      return;
    }
  }

  return {
    holder,
    claimant,
    hold,
    release: () => releaseLeases(db, holder.token),
  };
}
