import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from './prepareDataDir.js';

/** Every path under a folder with its permission bits, folder included. */
function modesUnder(folder: string): Map<string, number> {
  const modes = new Map<string, number>([[folder, statSync(folder).mode & 0o777]]);
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    modes.set(full, statSync(full).mode & 0o777);
  }
  return modes;
}

describe('prepareDataDir', () => {
  const umask = process.umask();
  afterEach(() => void process.umask(umask));

  it('behavior: a new folder is 0700 even under a permissive umask, and later files are 0600', () => {
    process.umask(0o000);
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'lookout-perm-')), 'data');
    prepareDataDir(dataDir);
    writeFileSync(path.join(dataDir, 'later'), 'x');
    mkdirSync(path.join(dataDir, 'sub'));
    expect(Object.fromEntries(modesUnder(dataDir))).toEqual({
      [dataDir]: 0o700,
      [path.join(dataDir, 'later')]: 0o600,
      [path.join(dataDir, 'sub')]: 0o700,
    });
  });

  it('behavior: an existing folder written under umask 022 is made private, files and subfolders too', () => {
    process.umask(0o022);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lookout-perm-'));
    mkdirSync(path.join(dataDir, 'base', '1'), { recursive: true });
    writeFileSync(path.join(dataDir, 'base', '1', 'table'), 'rows');
    writeFileSync(path.join(dataDir, 'PG_VERSION'), '17');
    prepareDataDir(dataDir);
    for (const [file, mode] of modesUnder(dataDir)) {
      expect(mode, file).toBe(statSync(file).isDirectory() ? 0o700 : 0o600);
    }
  });
});
