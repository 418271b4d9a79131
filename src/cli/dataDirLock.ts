import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDataDir } from '../db/prepareDataDir.js';
import { LookoutError } from '../errors/LookoutError.js';

export type LockHolder = { pid: number; role: 'run' | 'command' };

/**
 * Takes the embedded database's folder for this process. PGlite allows one process on a folder,
 * so a second opener would corrupt it; a lock left by a dead process is taken over.
 */
export function tryLockDataDir(dataDir: string, role: LockHolder['role']): { release(): void } | LockHolder {
  prepareDataDir(dataDir);
  const file = path.join(dataDir, 'lookout.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, role } satisfies LockHolder));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && isAlive(holder.pid)) return holder;
      rmSync(file, { force: true });
    }
  }
  throw new LookoutError(`Cannot take the lock file in ${dataDir}.`, { action: 'stop' });
}

/** Waits for the folder to be free, up to `timeoutMs`, calling `poll` between tries (to reach a running instance). */
export async function waitForDataDir<T>(
  dataDir: string,
  timeoutMs: number,
  poll: () => Promise<T | null>,
): Promise<{ lock: { release(): void } } | { answer: T }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await poll();
    if (answer !== null) return { answer };
    const lock = tryLockDataDir(dataDir, 'command');
    if ('release' in lock) return { lock };
    if (Date.now() > deadline) {
      throw new LookoutError(
        `Another Lookout process (pid ${lock.pid}) has the database in ${dataDir} open and does not answer; wait for it to finish or stop it.`,
        { action: 'stop' },
      );
    }
    await sleep(150);
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' ? holder : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
