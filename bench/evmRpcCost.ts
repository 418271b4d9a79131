/**
 * RPC calls per block of the EVM follower for 1, 100 and 10,000 followed wallets, on a local anvil with
 * Uniswap V2. The same wallet trades in every case; the others are idle addresses, so any growth in
 * calls would come from the number of wallets alone. Also measures the alternative of address-filtered
 * getLogs (topic filters in chunks of 1,000 addresses, both directions) against one unfiltered getLogs.
 *
 * Run: npm run bench:evm
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { pad, parseEther, type Address } from 'viem';
import type { ChainConfig } from '../src/config/chainPresets.js';
import { balanceChanges, trades, transfers, wallets } from '../src/db/schema.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createJsonRpcClient } from '../src/tracker/evm/createJsonRpcClient.js';
import { createEvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { TRANSFER_TOPIC } from '../src/tracker/evm/erc20TransfersOf.js';
import { fetchTransferLogs } from '../src/tracker/evm/fetchBlockRange.js';
import { deployUniswap } from '../test/support/evm/deployUniswap.js';
import { localChainConfig } from '../test/support/evm/localChainConfig.js';
import { startAnvil } from '../test/support/evm/startAnvil.js';
import { createTestDatabase } from '../test/support/testDatabase.js';

const BLOCKS = 40;
const logger = pino({ level: 'silent' });

const anvil = await startAnvil();
const world = await deployUniswap(anvil);
const trader = world.accounts[0]! as Address;
const from = BigInt(await anvil.rpc<string>('eth_blockNumber'));
for (let i = 0; i < BLOCKS; i++) {
  // With automine each trade is its own block: one of the followed trader, one of an account nobody follows.
  await world.buyWithEth(trader, world.meme, parseEther('0.01'));
  await world.buyWithEth(world.accounts[1]! as Address, world.meme, parseEther('0.01'));
}
const to = BigInt(await anvil.rpc<string>('eth_blockNumber'));
const blocks = Number(to - from);

const chain: ChainConfig = localChainConfig(anvil, world, { name: 'bench' });

console.log(`EVM follower RPC cost over ${blocks} blocks (half of them with a trade of the followed trader, half with an unrelated trade), ranges of ${chain.maxBlockRange} blocks`);
console.log('wallets  calls/block  http/block  ms/block  calls by method');
for (const count of [1, 100, 10_000]) {
  const database = await createTestDatabase();
  await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
  const addresses = [trader.toLowerCase(), ...Array.from({ length: count - 1 }, () => `0x${randomBytes(20).toString('hex')}`)];
  for (let i = 0; i < addresses.length; i += 1000) {
    await database.db.insert(wallets).values(
      addresses.slice(i, i + 1000).map((address, j) => ({ workspaceId: 'local', chain: 'bench', address, label: `w${i + j}`, addedBy: 'bench' })),
    );
  }
  const rpc = createJsonRpcClient({ urls: [anvil.url], logger });
  const follower = createEvmFollower({ chain, db: database.db, logger, events: createEventBus(), rpc, startBlock: from });
  await follower.syncToHead();
  rpc.calls.clear();
  const httpBefore = rpc.httpRequests();
  const started = performance.now();
  // Re-run the same blocks from the start: a fresh cursor at `from`.
  await database.db.execute(`update chain_cursors set block_number = ${from}, block_hash = null where chain = 'bench'`);
  for (const table of [trades, balanceChanges, transfers]) await database.db.delete(table);
  const result = await follower.syncToHead();
  const elapsed = performance.now() - started;
  const total = [...rpc.calls.values()].reduce((sum, n) => sum + n, 0);
  const byMethod = [...rpc.calls].map(([method, n]) => `${method}=${n}`).join(' ');
  console.log(
    `${String(count).padStart(7)}  ${(total / blocks).toFixed(2).padStart(11)}  ${((rpc.httpRequests() - httpBefore) / blocks).toFixed(2).padStart(10)}  ${(elapsed / blocks).toFixed(1).padStart(8)}  ${byMethod}  (trades stored: ${result.stored.length})`,
  );
  await database.close();
}

console.log('\ngetLogs strategies for one range of all blocks:');
const rpc = createJsonRpcClient({ urls: [anvil.url], logger });
for (const count of [1, 100, 10_000]) {
  const addresses = [trader.toLowerCase(), ...Array.from({ length: count - 1 }, () => `0x${randomBytes(20).toString('hex')}`)];
  rpc.calls.clear();
  let started = performance.now();
  const unfiltered = await fetchTransferLogs(rpc, from + 1n, to);
  const unfilteredMs = performance.now() - started;
  const unfilteredCalls = rpc.calls.get('eth_getLogs') ?? 0;
  rpc.calls.clear();
  started = performance.now();
  let filtered = 0;
  for (let i = 0; i < addresses.length; i += 1000) {
    const topics = addresses.slice(i, i + 1000).map((address) => pad(address as Address));
    filtered += (await fetchTransferLogs(rpc, from + 1n, to, [TRANSFER_TOPIC, topics])).length;
    filtered += (await fetchTransferLogs(rpc, from + 1n, to, [TRANSFER_TOPIC, null, topics])).length;
  }
  const filteredMs = performance.now() - started;
  console.log(
    `${String(count).padStart(7)} wallets: unfiltered ${unfilteredCalls} call, ${unfiltered.length} logs, ${unfilteredMs.toFixed(0)} ms | topic-filtered ${rpc.calls.get('eth_getLogs')} calls, ${filtered} logs, ${filteredMs.toFixed(0)} ms`,
  );
}
await anvil.stop();
