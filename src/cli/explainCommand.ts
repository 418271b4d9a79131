import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChainConfig } from '../config/chainPresets.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { SkippedTransaction } from '../db/skippedTransactionQueries.js';
import { LookoutError, UserInputError } from '../errors/LookoutError.js';
import { createLogger } from '../logger.js';
import type { Explained, TokenNames } from '../tracker/ChainDriver.js';
import { NO_CHAIN_STORE } from '../tracker/ChainStore.js';
import { CHAIN_KINDS, createDriver, kindOf, type ChainKind } from '../tracker/chainKinds.js';
import { explanationJson, type Explanation } from '../tracker/explainTransaction.js';
import { toDecimalString } from '../tracker/formatAmount.js';
import { findCommand } from './commandTable.js';
import type { Output } from './executeCommand.js';
import { parseCommandLine } from './parseCommandLine.js';

/** Where explain finds the transactions Lookout skipped as undecodable; absent when no database can be read. */
export type SkippedLookup = (txHash: string) => Promise<SkippedTransaction[]>;


const NO_NAMES: TokenNames = new Map();

/**
 * `lookout explain <tx-hash|signature|file>... [--wallet ADDRESS]... [--chain NAME] [--json]`: what Lookout
 * sees in a transaction, fetched from the chain's RPC or read offline from a saved file.
 */
export async function explainCommand(config: LookoutConfig, argv: string[], output: Output, lookup?: SkippedLookup): Promise<number> {
  const { values: options, positionals } = parseCommandLine(findCommand('explain')!, argv);
  const values = options as { wallet: string[]; chain: string | undefined; json: boolean };
  if (positionals.length === 0) {
    throw new UserInputError('Name a transaction: lookout explain <tx hash | Solana signature | file>.');
  }
  const chain = values.chain === undefined ? undefined : findChain(config, values.chain);
  const ids = positionals.filter((target) => !existsSync(target) && Object.values(CHAIN_KINDS).some((kind) => kind.isTransactionId(target)));
  const skippedByTarget = await skippedOf(config, ids, lookup);
  let failures = 0;
  for (const target of positionals) {
    try {
      for (const skip of skippedByTarget.get(target) ?? []) {
        output.out(
          values.json
            ? `${JSON.stringify({ chain: skip.chain, tx: skip.txHash, skipped: true, block: skip.blockNumber.toString(), reason: skip.reason })}\n`
            : `[${skip.chain}] ${skip.txHash}\n  Lookout skipped this transaction at block ${skip.blockNumber}: ${skip.reason}\n`,
        );
      }
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
  if (existsSync(target)) return { entries: await explainFile(config, target, chain, wallets), tokens: NO_NAMES };
  // Note: a Bitcoin txid and a Stellar hash look alike (64 hex digits); --chain says which is meant.
  const kinds = Object.values(CHAIN_KINDS).filter((candidate) => candidate.isTransactionId(target));
  const kind = kinds.find((candidate) => candidate.kind === chain?.kind) ?? kinds[0];
  if (!kind) throw new UserInputError(`'${target}' is not a file, an EVM transaction hash (0x and 64 hex digits) or a Solana signature.`);
  if (chain && chain.kind !== kind.kind) {
    throw new UserInputError(`'${target}' is an ${kind.label} transaction id, but ${chain.name} is a chain of another kind; pass --chain with an ${kind.label} chain.`);
  }
  const chains = chain ? [chain] : config.followed.filter((candidate) => candidate.kind === kind.kind);
  if (chains.length === 0) throw new UserInputError(`'${target}' looks like an ${kind.label} transaction, but no ${kind.label} chain is followed; pass --chain NAME.`);
  const parsed = wallets.map((wallet) => kind.parseWallet(wallet));
  // Note: an unreachable RPC is said in the one sentence below, not in log lines.
  const logger = createLogger({ level: 'error' });
  const unreachable: string[] = [];
  for (const candidate of chains) {
    const driver = await createDriver(candidate, { store: NO_CHAIN_STORE, logger });
    try {
      const outcome = await driver.explain(target, parsed);
      if (outcome.kind === 'found') return outcome.explained;
      if (outcome.kind === 'unreachable') unreachable.push(candidate.name);
    } finally {
      await driver.close();
    }
  }
  if (unreachable.length > 0) throw unreachableError(unreachable);
  throw new UserInputError(
    `No followed ${kind.label} chain (${chains.map((c) => c.name).join(', ')}) knows ${target}; pass --chain NAME or check the ${kind.transactionIdName}.`,
  );
}

/**
 * The chains on which Lookout skipped each of these transactions, from the database when one can be read without
 * disturbing a running Lookout: Postgres, or a PGlite folder no process holds. The database is opened once.
 */
async function skippedOf(config: LookoutConfig, ids: string[], lookup: SkippedLookup | undefined): Promise<Map<string, SkippedTransaction[]>> {
  const byId = new Map<string, SkippedTransaction[]>();
  if (ids.length === 0) return byId;
  if (lookup) {
    for (const id of ids) byId.set(id, await lookup(id));
    return byId;
  }
  if (!config.databaseUrl && !existsSync(path.join(config.dataDir, 'PG_VERSION'))) return byId;
  const { tryLockDataDir } = await import('./dataDirLock.js');
  const lock = config.databaseUrl ? undefined : tryLockDataDir(config.dataDir, 'command');
  if (lock && !('release' in lock)) return byId;
  try {
    const [{ openDatabase }, { findSkippedTransactions }] = await Promise.all([
      import('../db/openDatabase.js'),
      import('../db/skippedTransactionQueries.js'),
    ]);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      // Note: no migration from explain; a database older than the skipped list has none to show (the query fails, caught below).
      for (const id of ids) byId.set(id, await findSkippedTransactions(database.db, id));
    } finally {
      await database.close();
    }
  } catch {
    // Note: the skipped list is a courtesy of explain; a database that cannot be read leaves it out.
  } finally {
    lock?.release();
  }
  return byId;
}

async function explainFile(config: LookoutConfig, file: string, chain: ChainConfig | undefined, wallets: string[]): Promise<Explanation[]> {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (chain) return kindOf(chain).explainFile(json, { chain, chains: config.chains, wallets });
  const kind = Object.values(CHAIN_KINDS).find((candidate) => candidate.isTransactionFile(json));
  if (!kind) throw new UserInputError('the file holds no transaction Lookout can read.');
  return (kind as ChainKind).explainFile(json, { chain: undefined, chains: config.chains, wallets });
}

function unreachableError(chains: string[]): LookoutError {
  const variables = chains.map((name) => `${name.toUpperCase()}_RPC_URL`).join(' or ');
  return new LookoutError(`The RPC of ${chains.join(', ')} did not answer; check ${variables} (or the chain's rpcUrls) and try again.`, {
    action: 'tell_user',
  });
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
