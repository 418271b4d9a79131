import { existsSync, readFileSync } from 'node:fs';
import type { ChainConfig } from '../config/chainPresets.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import { LookoutError, RetryableError, UserInputError } from '../errors/LookoutError.js';
import { createLogger } from '../logger.js';
import { createJsonRpcClient } from '../tracker/evm/createJsonRpcClient.js';
import type { RpcReceipt, RpcTx } from '../tracker/evm/evmRpcTypes.js';
import { createInternalNativeMeter } from '../tracker/evm/measureInternalNative.js';
import { readErc20Metadata } from '../tracker/evm/readErc20Metadata.js';
import { readEvmTransactionFile } from '../tracker/evm/readEvmTransactionFile.js';
import { explainEvmTransaction, explainSolanaTransaction, explanationJson, type Explanation } from '../tracker/explainTransaction.js';
import { toDecimalString } from '../tracker/formatAmount.js';
import { base58Decode } from '../tracker/solana/base58.js';
import { createSolanaConnection, createSolanaRpc } from '../tracker/solana/createSolanaRpc.js';
import { readSolanaTokenMetadata } from '../tracker/solana/readSolanaTokenMetadata.js';
import { readSolanaTransactions } from '../tracker/solana/readSolanaTransactionFile.js';
import { parseEvmAddress, parseSolanaAddress } from '../tracker/walletAddress.js';
import { findCommand } from './commandTable.js';
import type { Output } from './executeCommand.js';
import { parseCommandLine } from './parseCommandLine.js';

/** Symbol and decimals of the tokens a live transaction moved, as their chain answered; absent for saved files. */
type TokenNames = ReadonlyMap<string, { symbol: string | null; decimals: number | null }>;

type Explained = { entries: Explanation[]; tokens: TokenNames };

const NO_NAMES: TokenNames = new Map();

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
      const { entries, tokens } = await explainTarget(config, target, chain, values.wallet);
      for (const entry of entries) output.out(values.json ? `${JSON.stringify(explanationJson(entry))}\n` : describe(config, entry, tokens));
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
): Promise<Explained> {
  if (existsSync(target)) return { entries: explainFile(config, target, chain, wallets), tokens: NO_NAMES };
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

async function explainEvmHash(config: LookoutConfig, hash: string, chain: ChainConfig | undefined, wallets: string[]): Promise<Explained> {
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
    const entries = explainEvmTransaction(candidate, { tx, receipt }, targets, internal.moved.get(hash));
    const assets = tokenAssets(entries);
    // Note: names are a courtesy; a token that cannot be read is shown raw rather than failing the explanation.
    const read = await readErc20Metadata(rpc, assets, candidate.multicall3).catch(() => []);
    return { entries, tokens: new Map(read.map((token) => [token.address, token])) };
  }
  if (unreachable.length > 0) {
    throw unreachableError(unreachable);
  }
  throw new UserInputError(
    `No followed EVM chain (${chains.map((c) => c.name).join(', ') || 'none'}) knows ${hash}; pass --chain NAME or check the hash.`,
  );
}

async function explainSolanaSignature(chain: ChainConfig, signature: string, wallets: string[]): Promise<Explained> {
  const logger = createLogger({ level: 'error' });
  const rpc = createJsonRpcClient({ urls: chain.rpcUrls, logger, maxRounds: 2 });
  const result = await rpc
    .request<unknown>('getTransaction', [signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' }])
    .catch((error: unknown) => {
      throw error instanceof RetryableError ? unreachableError([chain.name]) : error;
    });
  if (result === null) throw new UserInputError(`${chain.name} does not know the signature ${signature}; check it, or wait for confirmation.`);
  const entries = explainSolanaTransaction(chain, result, wallets);
  const mints = tokenAssets(entries);
  if (mints.length === 0) return { entries, tokens: NO_NAMES };
  const solana = createSolanaRpc(createSolanaConnection(chain), { attempts: 2 });
  const read = await readSolanaTokenMetadata(solana, mints, tokenBalanceDecimals(result)).catch(() =>
    mints.map((address) => ({ address, symbol: null, decimals: tokenBalanceDecimals(result).get(address) ?? null })),
  );
  const tokens = new Map<string, { symbol: string | null; decimals: number | null }>(read.map((token) => [token.address, token]));
  // The wrapped native has no metadata account on every cluster; what it is is known from the chain's config.
  if (chain.wrappedNative && tokens.has(chain.wrappedNative)) {
    const wrapped = tokens.get(chain.wrappedNative)!;
    tokens.set(chain.wrappedNative, { symbol: wrapped.symbol ?? `W${chain.nativeSymbol}`, decimals: wrapped.decimals ?? chain.nativeDecimals });
  }
  return { entries, tokens };
}

/** The token assets (neither the native coin nor its Solana alias) the explanations moved. */
function tokenAssets(entries: Explanation[]): string[] {
  return [...new Set(entries.flatMap((entry) => Object.keys(entry.deltas)))].filter((asset) => asset !== 'native' && asset !== 'SOL');
}

/** Decimals of each mint as the transaction's own token balances state them. */
function tokenBalanceDecimals(result: unknown): Map<string, number> {
  const meta = (result as { meta?: { preTokenBalances?: unknown; postTokenBalances?: unknown } } | null)?.meta;
  const balances = [meta?.preTokenBalances, meta?.postTokenBalances].flatMap((list) => (Array.isArray(list) ? list : []));
  const decimals = new Map<string, number>();
  for (const balance of balances as { mint?: unknown; uiTokenAmount?: { decimals?: unknown } }[]) {
    if (typeof balance.mint === 'string' && typeof balance.uiTokenAmount?.decimals === 'number') {
      decimals.set(balance.mint, balance.uiTokenAmount.decimals);
    }
  }
  return decimals;
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

function describe(config: LookoutConfig, entry: Explanation, tokens: TokenNames): string {
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
    lines.push(`  ${amount > 0n ? '+' : ''}${isNative ? `${toDecimalString(amount, decimals)} ${native}` : tokenAmount(asset, amount, tokens.get(asset))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A token amount in whole units with its symbol when the chain told them, else the raw integer and the address. */
function tokenAmount(asset: string, amount: bigint, token: { symbol: string | null; decimals: number | null } | undefined): string {
  const value = token?.decimals != null ? toDecimalString(amount, token.decimals) : `${amount} (raw)`;
  return token?.symbol ? `${value} ${token.symbol} (${asset})` : `${value} ${asset}`;
}
