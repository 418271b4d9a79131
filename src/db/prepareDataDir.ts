import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates the embedded database's folder, or takes an existing one, private to its owner: the folder and its
 * subfolders 0700, its files 0600, and everything this process writes from now on too, whatever the umask.
 */
export function prepareDataDir(dataDir: string): void {
  // Note: the folder holds every tracked wallet, route and audit entry of the team; PGlite keeps writing files in
  // it for as long as the process runs, so the process umask is what keeps those private.
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictDataDir(dataDir);
}

/** Sets a folder and its subfolders to 0700 and its files to 0600. */
export function restrictDataDir(folder: string): void {
  chmodSync(folder, 0o700);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) restrictDataDir(full);
    else if (entry.isFile()) chmodSync(full, 0o600);
  }
}
