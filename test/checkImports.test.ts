import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports } from '../scripts/checkImports.js';

/** Writes a small source tree: path under the root → file text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lookout-imports-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('checkImports', () => {
  it('behavior: a tree whose layers import only inward, with no cycle, has no problem', () => {
    const root = tree({
      'src/db/walletQueries.ts': "import { sql } from 'drizzle-orm';\nimport type { Db } from './openDatabase.js';\nexport const a = 1;",
      'src/db/openDatabase.ts': 'export type Db = object;',
      'src/tracker/follow.ts': "import { a } from '../db/walletQueries.js';\nexport const b = a;",
      'src/usecases/trackWallet.ts': "import { b } from '../tracker/follow.js';\nimport '../db/walletQueries.js';\nexport const c = b;",
      'src/bot/commands/track.ts': "import { c } from '../../usecases/trackWallet.js';\nexport const d = c;",
      'src/cli/main.ts': "import { d } from '../bot/commands/track.js';\nconsole.log(d);",
    });
    expect(checkImports(root)).toEqual([]);
  });

  it('error: type-only, re-exported and dynamic imports across a boundary are each one line', () => {
    const root = tree({
      'src/db/pnlQueries.ts': [
        "import type { PnlTrade } from '../tracker/pnl/types.js';",
        "export { Rational } from '../tracker/pnl/Rational.js';",
        "// import { nothing } from '../bot/reply.js' is a comment, not an import",
        "export const load = async () => (await import('../usecases/portfolioPnl.js')).x;",
        'export type T = PnlTrade;',
      ].join('\n'),
      'src/tracker/pnl/types.ts': 'export type PnlTrade = object;',
      'src/tracker/pnl/Rational.ts': 'export class Rational {}',
      'src/tracker/alerts.ts': "import '../cli/main.js';",
      'src/usecases/portfolioPnl.ts': "import type { Reply } from '../bot/reply.js';\nexport const x = 1 as unknown as Reply;",
      'src/bot/reply.ts': 'export type Reply = object;',
      'src/cli/main.ts': 'export {};',
    });
    expect(checkImports(root)).toEqual([
      'src/db/pnlQueries.ts imports src/tracker/pnl/types.ts: src/db may not import from src/tracker',
      'src/db/pnlQueries.ts imports src/tracker/pnl/Rational.ts: src/db may not import from src/tracker',
      'src/db/pnlQueries.ts imports src/usecases/portfolioPnl.ts: src/db may not import from src/usecases',
      'src/tracker/alerts.ts imports src/cli/main.ts: src/tracker may not import from src/cli',
      'src/usecases/portfolioPnl.ts imports src/bot/reply.ts: src/usecases may not import from src/bot',
    ]);
  });

  it('error: every import cycle is reported once with its files, a type-only one and a self-import included', () => {
    const root = tree({
      'src/db/groupQueries.ts': "import { requireWallets } from './walletQueries.js';\nexport const requireGroup = requireWallets;",
      'src/db/walletQueries.ts': "import type { requireGroup } from './groupQueries.js';\nexport const requireWallets = 1; export type G = typeof requireGroup;",
      'src/bot/a.ts': "import './b.js';",
      'src/bot/b.ts': "import './c.js';",
      'src/bot/c.ts': "import './a.js';",
      'src/bot/self.ts': "import './self.js';",
      'src/bot/clean.ts': "import './a.js';",
    });
    expect(checkImports(root)).toEqual([
      'import cycle among 3 files: src/bot/a.ts, src/bot/b.ts, src/bot/c.ts',
      'import cycle among 1 file: src/bot/self.ts',
      'import cycle among 2 files: src/db/groupQueries.ts, src/db/walletQueries.ts',
    ]);
  });
});
