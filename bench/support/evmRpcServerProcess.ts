/**
 * Runs the mainnet-shaped EVM RPC in a process of its own, so that the benchmark's CPU and RSS figures are
 * Lookout's alone. Prints `{"url": ...}` on its first line; arguments: `--rate-limit N` (requests a second).
 */
import { parseArgs } from 'node:util';
import { startMainnetShapedEvmRpc } from './startMainnetShapedEvmRpc.js';

const { values } = parseArgs({ options: { 'rate-limit': { type: 'string' } } });
const rpc = await startMainnetShapedEvmRpc({ requestsPerSecond: values['rate-limit'] ? Number(values['rate-limit']) : undefined });
console.log(JSON.stringify({ url: rpc.url }));
process.on('SIGTERM', () => void rpc.stop().then(() => process.exit(0)));
