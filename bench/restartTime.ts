/**
 * How long `lookout run` takes, after a SIGKILL and a restart, to resume following: from the spawn to the
 * database being ready, to the first sync, and to the alert of a trade made while it was down. On the
 * embedded database, or on Postgres when DATABASE_URL is set. Needs `npm run build` first.
 *
 * Run: npm run bench:restart            (embedded)
 *      DATABASE_URL=postgres://... npm run bench:restart
 */
import { parseEther, type Address } from 'viem';
import { startLookout } from '../test/support/lookoutProcess.js';
import { prepareLocalChain } from '../test/support/prepareLocalChain.js';

const RESTARTS = Number(process.env.RESTARTS ?? 5);
const local = await prepareLocalChain({ chain: () => ({ blockTimeMs: 300 }) });
const [alice] = local.world.accounts as [Address];
try {
  const tracked = await local.lookout('track', alice, '--label', 'whale');
  if (tracked.code !== 0) throw new Error(tracked.stderr);
  const first = startLookout([], { env: local.env, cwd: local.cwd });
  await first.waitFor(/starting to follow/);
  await first.stop('SIGKILL');

  const figures: { ready: number; running: number; alert: number }[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const hash = await local.world.buyWithEth(alice, local.world.meme, parseEther('0.01'));
    await local.world.publicClient.waitForTransactionReceipt({ hash });
    const started = Date.now();
    const run = startLookout(['--json'], { env: local.env, cwd: local.cwd });
    await run.waitFor(/database ready/, 'stderr', 60_000);
    const ready = Date.now() - started;
    await run.waitFor(/Lookout is running/, 'stderr', 60_000);
    const running = Date.now() - started;
    await run.waitFor(new RegExp(hash), 'stdout', 60_000);
    const alert = Date.now() - started;
    figures.push({ ready, running, alert });
    await run.stop('SIGKILL');
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(JSON.stringify({ database: process.env.DATABASE_URL ? 'postgres' : 'pglite', restarts: figures }));
  console.log(
    `median ms after spawn: database ready ${median(figures.map((f) => f.ready))}, running ${median(figures.map((f) => f.running))}, ` +
      `first alert of a trade made while down ${median(figures.map((f) => f.alert))}`,
  );
} finally {
  await local.cleanup();
}
