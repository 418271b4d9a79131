import { PublicKey, type Connection, type ParsedAccountData } from '@solana/web3.js';
import { TOKEN_PROGRAM_IDS } from './createSolanaRpc.js';
import { translateSolanaRpcError } from './solanaRpcError.js';

/** What a Solana wallet holds now: lamports, and raw token amounts summed per mint over its token accounts. */
export type SolanaHoldings = {
  sol: bigint;
  tokens: { mint: string; amount: bigint; decimals: number; programId: string }[];
};

/**
 * Reads a wallet's SOL and token holdings under both token programs, at `confirmed`. Token accounts
 * with nothing in them are left out; tokens are ordered by mint.
 */
export async function readSolanaHoldings(connection: Connection, owner: string): Promise<SolanaHoldings> {
  const key = new PublicKey(owner);
  // Note: the ...AndContext variant keeps the node's error code, which plain getBalance loses.
  const balance = await attempt('getBalance', () => connection.getBalanceAndContext(key, 'confirmed'));
  const byMint = new Map<string, SolanaHoldings['tokens'][number]>();
  for (const programId of TOKEN_PROGRAM_IDS) {
    const response = await attempt('getTokenAccountsByOwner', () =>
      connection.getParsedTokenAccountsByOwner(key, { programId: new PublicKey(programId) }, 'confirmed'),
    );
    for (const { account } of response.value) {
      const token = parsedTokenAccount(account.data);
      if (token === null || token.amount === 0n) continue;
      const held = byMint.get(token.mint);
      byMint.set(token.mint, { mint: token.mint, amount: (held?.amount ?? 0n) + token.amount, decimals: token.decimals, programId });
    }
  }
  return {
    sol: BigInt(balance.value),
    tokens: [...byMint.values()].sort((a, b) => (a.mint < b.mint ? -1 : a.mint > b.mint ? 1 : 0)),
  };
}

/** The mint, raw amount and decimals of a jsonParsed token account; null for data the node could not parse. */
function parsedTokenAccount(data: ParsedAccountData | Buffer): { mint: string; amount: bigint; decimals: number } | null {
  if (Buffer.isBuffer(data)) return null;
  const info = (data.parsed as { info?: { mint?: unknown; tokenAmount?: { amount?: unknown; decimals?: unknown } } }).info;
  const mint = info?.mint;
  const amount = info?.tokenAmount?.amount;
  const decimals = info?.tokenAmount?.decimals;
  if (typeof mint !== 'string' || typeof amount !== 'string' || !/^\d+$/.test(amount) || typeof decimals !== 'number') return null;
  return { mint, amount: BigInt(amount), decimals };
}

async function attempt<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateSolanaRpcError(error, method);
  }
}
