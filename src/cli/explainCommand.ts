import { existsSync, readFileSync } from 'node:fs';
import type { ChainConfig } from '../config/chainPresets.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import { LookoutError, RetryableError, UserInputError } from '../errors/LookoutError.js';
import { createLogger } from '../logger.js';
import { createJsonRpcClient } from '../tracker/evm/createJsonRpcClient.js';
import type { RpcReceipt, RpcTx } from '../tracker/evm/evmRpcTypes.js';
import { createInternalNativeMeter } from '../tracker/evm/measureInternalNative.js';
import { readEvmTransactionFile } from '../tracker/evm/readEvmTransactionFile.js';
import { explainEvmTransaction, explainSolanaTransaction, explanationJson, type Explanation } from '../tracker/explainTransaction.js';
import { toDecimalString } from '../tracker/formatAmount.js';
import { base58Decode } from '../tracker/solana/base58.js';
import { readSolanaTransactions } from '../tracker/solana/readSolanaTransactionFile.js';
import { parseEvmAddress, parseSolanaAddress } from '../tracker/walletAddress.js';
import { findCommand } from './commandTable.js';
import type { Output } from './executeCommand.js';
import { parseCommandLine } from './parseCommandLine.js';

/**
 * `lookout explain <tx-hash|signature|file>... [--wallet ADDRESS]... [--chain NAME] [--json]`: what Lookout
 * sees in a transaction, fetched from the chain's RPC or read offline from a saved file.
 */
export async function explainCommand(config: LookoutConfig, argv: string[], output: Output): Promise<number> {
  const { values: options, positionals } = parseCommandLine(findCommand('explain')!, argv);
  const values = options as { wallet: string[]; chain: string | undefined; json: boolean };
  if (positionals.length === 0) {
    throw new UserInputError('Name a transaction: lookout explain <tx hash | Solana signature | file>.');
  }
  const chain = values.chain === undefined ? undefined : findChain(config, values.chain);
  let failures = 0;
  for (const target of positionals) {
    try {
      const explained = await explainTarget(config, target, chain, values.wallet);
      for (const entry of explained) output.out(values.json ? `${JSON.stringify(explanationJson(entry))}\n` : describe(config, entry));
    } catch (error) {
      if (!(error instanceof LookoutError) && !(error instanceof SyntaxError)) throw error;
      failures++;
      output.err(`${target}: ${error.message}\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

async function explainTarget(
  config: LookoutConfig,
  target: string,
  chain: ChainConfig | undefined,
  wallets: string[],
): Promise<Explanation[]> {
  if (existsSync(target)) return explainFile(config, target, chain, wallets);
  if (/^0x[0-9a-fA-F]{64}$/.test(target)) {
    if (chain?.kind === 'solana') throw new UserInputError(`'${target}' is an EVM transaction hash, not a Solana signature.`);
    return explainEvmHash(config, target, chain, wallets.map(parseEvmAddress));
  }
  if (/^[1-9A-HJ-NP-Za-km-z]{64,90}$/.test(target)) {
    const solana = chain ?? config.chains.find((candidate) => candidate.kind === 'solana');
    if (!solana || solana.kind !== 'solana') throw new UserInputError(`'${target}' looks like a Solana signature; pass --chain solana.`);
    // Note: a node answers a signature of the wrong size with a bare "Invalid param: WrongSize".
    const size = base58Decode(target).length;
    if (size !== 64) {
      throw new UserInputError(`'${target}' is not a Solana signature: it decodes to ${size} bytes where a signature has 64; check that it was copied whole.`);
    }
    return explainSolanaSignature(solana, target, wallets.map(parseSolanaAddress));
  }
  throw new UserInputError(`'${target}' is not a file, an EVM transaction hash (0x and 64 hex digits) or a Solana signature.`);
}

function explainFile(config: LookoutConfig, file: string, chain: ChainConfig | undefined, wallets: string[]): Explanation[] {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const looksEvm = typeof json === 'object' && json !== null && ('raw' in json || 'receipt' in json) && !isSolanaWrapper(json);
  if (chain?.kind === 'solana' || (!chain && !looksEvm)) {
    const solana = chain ?? config.chains.find((candidate) => candidate.kind === 'solana')!;
    const results = readSolanaTransactions(json);
    if (results.length === 0) throw new UserInputError('the file holds no Solana transaction.');
    return results.flatMap((result) => explainSolanaTransaction(solana, result, wallets.map(parseSolanaAddress)));
  }
  const saved = readEvmTransactionFile(json);
  const evmChain = chain ?? config.chains.find((candidate) => candidate.chainId === saved.chainId) ?? {
    name: `evm-${saved.chainId}`,
    stablecoins: [],
    wrappedNative: null,
  };
  return explainEvmTransaction(evmChain, saved, wallets.map(parseEvmAddress));
}

async function explainEvmHash(config: LookoutConfig, hash: string, chain: ChainConfig | undefined, wallets: string[]) {
  const chains = chain ? [chain] : config.followed.filter((candidate) => candidate.kind === 'evm');
  // Note: an unreachable RPC is said in the one sentence below, not in log lines.
  const logger = createLogger({ level: 'error' });
  const unreachable: string[] = [];
  for (const candidate of chains) {
    const rpc = createJsonRpcClient({ urls: candidate.rpcUrls, logger, maxRounds: 2 });
    const tx = await rpc
      .request<(RpcTx & { from: string; blockNumber: string | null }) | null>('eth_getTransactionByHash', [hash])
      .catch((error: unknown) => {
        if (error instanceof RetryableError) unreachable.push(candidate.name);
        return null;
      });
    if (!tx) continue;
    if (tx.blockNumber === null) throw new UserInputError(`${hash} is still pending on ${candidate.name}; try again once it is mined.`);
    const receipt = await rpc.request<RpcReceipt>('eth_getTransactionReceipt', [hash]);
    const targets = wallets.length ? wallets : [tx.from.toLowerCase()];
    const meter = createInternalNativeMeter(rpc, logger);
    const internal = await meter.measure([{ hash, blockNumber: BigInt(tx.blockNumber), tx, receipt, wallets: targets }]);
    return explainEvmTransaction(candidate, { tx, receipt }, targets, internal.moved.get(hash));
  }
  if (unreachable.length > 0) {
    throw unreachableError(unreachable);
  }
  throw new UserInputError(
    `No followed EVM chain (${chains.map((c) => c.name).join(', ') || 'none'}) knows ${hash}; pass --chain NAME or check the hash.`,
  );
}

async function explainSolanaSignature(chain: ChainConfig, signature: string, wallets: string[]) {
  const logger = createLogger({ level: 'error' });
  const rpc = createJsonRpcClient({ urls: chain.rpcUrls, logger, maxRounds: 2 });
  const result = await rpc
    .request<unknown>('getTransaction', [signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' }])
    .catch((error: unknown) => {
      throw error instanceof RetryableError ? unreachableError([chain.name]) : error;
    });
  if (result === null) throw new UserInputError(`${chain.name} does not know the signature ${signature}; check it, or wait for confirmation.`);
  return explainSolanaTransaction(chain, result, wallets);
}

function unreachableError(chains: string[]): LookoutError {
  const variables = chains.map((name) => `${name.toUpperCase()}_RPC_URL`).join(' or ');
  return new LookoutError(`The RPC of ${chains.join(', ')} did not answer; check ${variables} (or the chain's rpcUrls) and try again.`, {
    action: 'tell_user',
  });
}

function isSolanaWrapper(json: object): boolean {
  return 'signature' in json || ('raw' in json && typeof (json as { raw: unknown }).raw === 'object' && 'meta' in ((json as { raw: object }).raw ?? {}));
}

function findChain(config: LookoutConfig, name: string): ChainConfig {
  const chain = config.chains.find((candidate) => candidate.name === name.toLowerCase());
  if (!chain) throw new UserInputError(`'${name}' is not a known chain; use one of ${config.chains.map((c) => c.name).join(', ')}.`);
  return chain;
}

function describe(config: LookoutConfig, entry: Explanation): string {
  const chain = config.chains.find((candidate) => candidate.name === entry.chain);
  const native = chain?.nativeSymbol ?? (entry.deltas.SOL !== undefined ? 'SOL' : 'native');
  const decimals = chain?.nativeDecimals ?? 18;
  const lines = [
    `[${entry.chain}] ${entry.tx}`,
    `  wallet ${entry.wallet}: ${entry.kind.toUpperCase()}${entry.failed ? ' (failed)' : ''}${entry.venue ? ` on ${entry.venue}` : ''}`,
    `  fee ${toDecimalString(entry.fee, decimals)} ${native}`,
  ];
  const assets = Object.entries(entry.deltas);
  if (assets.length === 0) lines.push('  no balance changes');
  for (const [asset, amount] of assets) {
    const isNative = asset === 'native' || asset === 'SOL';
    lines.push(`  ${amount > 0n ? '+' : ''}${isNative ? `${toDecimalString(amount, decimals)} ${native}` : `${amount} (raw) ${asset}`}`);
  }
  return `${lines.join('\n')}\n`;
}
