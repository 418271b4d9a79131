/**
 * The memory of `lookout run` with 1, 100, 1,000 and 10,000 followed wallets, half EVM and half Solana, on
 * Postgres and on the embedded database (PGlite). It starts the built dist/cli/main.js with the Node flags of
 * `npm start` (the Docker image uses the same), or with those of `--flags` ('' for none, as the `lookout` command
 * runs). The process follows a mainnet-shaped local EVM RPC (bench/support/startMainnetShapedEvmRpc.ts: 2 s
 * blocks, 250 transactions a block) and a mainnet-shaped Solana node (bench/support/mainnetShapedSolanaNode.ts:
 * 400 ms slots, 1,000–1,500 transactions a block), serves its HTTP API, and its resident memory is read from
 * /proc/<pid>/status every 500 ms. Prints the steady RSS (median of the second half of the run) and the peak
 * (VmHWM) per case; the embedded database's own cost is the PGlite figure minus the Postgres one. Note: the
 * start-up growth of V8's heap can last a minute or more, and a shorter run reads it as steady, hence 3 minutes
 * a case by default.
 *
 * Run: npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/memory.ts
 *      [--sizes 1,10000] [--seconds 180] [--databases postgres,pglite] [--flags '']
 * Without DATABASE_URL only the embedded database is measured.
 */
import { spawn, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/openDatabase.js';
import { wallets } from '../src/db/schema.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createScratchPostgres } from '../test/support/testDatabase.js';
import { offlineEnv, tempFolder } from '../test/support/lookoutProcess.js';
import { startServerProcess } from './support/evmRpcServerClient.js';
import { followedWallet } from './support/followedWallet.js';
import { STABLE } from './support/startMainnetShapedEvmRpc.js';

const { values: args } = parseArgs({
  options: { sizes: { type: 'string' }, seconds: { type: 'string' }, databases: { type: 'string' }, flags: { type: 'string' } },
});
const sizes = (args.sizes ?? '1,100,1000,10000').split(',').map(Number);
const seconds = Number(args.seconds ?? 180);
const postgresUrl = process.env.DATABASE_URL || undefined;
const databases = (args.databases ?? (postgresUrl ? 'postgres,pglite' : 'pglite')).split(',') as ('postgres' | 'pglite')[];
if (databases.includes('postgres') && !postgresUrl) throw new Error('Set DATABASE_URL to a Postgres server to measure on Postgres.');
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) throw new Error('Run `npm run build` first: the benchmark measures the built dist/cli/main.js.');
/** The Node flags `npm start` (and the Docker image) run Lookout with, such as the young generation's size. */
const startScript: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start;
const nodeFlags = (args.flags ?? startScript).split(/\s+/).filter((word) => word.startsWith('--'));

const MiB = 1024 * 1024;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** VmRSS and VmHWM of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return null;
  }
}

async function startSolanaNode(walletCount: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = fork(new URL('./support/mainnetShapedSolanaNode.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WALLETS: String(Math.max(walletCount, 1)) },
  });
  process.once('exit', () => child.kill('SIGTERM'));
  const url = await new Promise<string>((resolve) => child.once('message', (message: { url: string }) => resolve(message.url)));
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

/** Fills a fresh database with `size` followed wallets: the EVM half on `bench`, the Solana half on `solana`. */
async function fill(location: { url?: string; dataDir: string }, size: number): Promise<void> {
  const database = await openDatabase({ url: location.url, dataDir: location.dataDir });
  await database.migrate();
  await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
  const solana = Math.floor(size / 2);
  const rows = [
    ...Array.from({ length: size - solana }, (_, i) => ({ chain: 'bench', address: `0x${randomBytes(20).toString('hex')}`, label: `e${i}` })),
    ...Array.from({ length: solana }, (_, i) => ({ chain: 'solana', address: followedWallet(i), label: `s${i}` })),
  ];
  for (let i = 0; i < rows.length; i += 1000) {
    await database.db.insert(wallets).values(rows.slice(i, i + 1000).map((row) => ({ ...row, workspaceId: 'local', addedBy: 'bench' })));
  }
  await database.close();
}

async function measure(kind: 'postgres' | 'pglite', size: number, evmUrl: string) {
  const cwd = tempFolder();
  const dataDir = path.join(cwd, 'data');
  const scratch = kind === 'postgres' ? await createScratchPostgres(postgresUrl!) : undefined;
  await fill({ url: scratch?.url, dataDir }, size);
  const solanaNode = await startSolanaNode(Math.floor(size / 2));
  writeFileSync(
    path.join(cwd, 'lookout.config.json'),
    JSON.stringify({
      chains: [
        { name: 'bench', kind: 'evm', chainId: 8453, rpcUrls: [evmUrl], nativeSymbol: 'ETH', stablecoins: [STABLE], blockTimeMs: 2000, explorer: 'https://basescan.org' },
      ],
    }),
  );
  const env = offlineEnv({
    LOOKOUT_CHAINS: 'bench,solana',
    SOLANA_RPC_URL: solanaNode.url,
    LOOKOUT_DATA_DIR: dataDir,
    LOOKOUT_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  const child = spawn(process.execPath, [...nodeFlags, main, 'run'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const samples: number[] = [];
  let peak = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000 && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const memory = memoryOf(child.pid!);
    if (!memory) break;
    samples.push(memory.rss);
    peak = Math.max(peak, memory.peak);
  }
  const exited = child.exitCode !== null;
  child.kill('SIGTERM');
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  await solanaNode.stop();
  await scratch?.drop();
  if (exited) throw new Error(`lookout run exited early:\n${stderr}`);
  return { steady: median(samples.slice(Math.floor(samples.length / 2))), peak, warnings: stderr.split('\n').filter((line) => line.includes('"level":50')).length };
}

const evm = await startServerProcess(undefined);
console.log(`lookout run (node ${[...nodeFlags, 'dist/cli/main.js'].join(' ')}) following a mainnet-shaped EVM RPC and Solana node, half the wallets on each; ${seconds} s a case`);
console.log('database  wallets  steady RSS MiB  peak RSS MiB  errors logged');
const figures = new Map<string, number>();
for (const size of sizes) {
  for (const kind of databases) {
    const result = await measure(kind, size, evm.url);
    figures.set(`${kind} ${size}`, result.steady);
    console.log(`${kind.padEnd(8)}  ${String(size).padStart(7)}  ${(result.steady / MiB).toFixed(0).padStart(14)}  ${(result.peak / MiB).toFixed(0).padStart(12)}  ${String(result.warnings).padStart(13)}`);
  }
}
if (databases.length === 2) {
  for (const size of sizes) {
    const cost = figures.get(`pglite ${size}`)! - figures.get(`postgres ${size}`)!;
    console.log(`embedded database's own cost at ${size} wallets: ${(cost / MiB).toFixed(0)} MiB steady`);
  }
}
await evm.stop();
