import { base58Encode } from '../../../src/tracker/solana/base58.js';
import type { LedgerAccount } from './simulatedLedger.js';
import { invalidParams } from './solanaRpcError.js';
import { decodeSplTokenAccount, TOKEN_PROGRAMS } from './splTokenAccount.js';

// Note: every account on a current cluster is rent-exempt, which nodes report as u64::MAX.
const RENT_EXEMPT_EPOCH = 18446744073709551615;

// The `tokenAmount` object nodes attach to raw token amounts; uiAmount is computed as the node does, in f64.
function uiTokenAmount(amount: bigint, decimals: number): JsonUiTokenAmount {
  const digits = amount.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return {
    amount: amount.toString(),
    decimals,
    uiAmount: Number(amount) / 10 ** decimals,
    uiAmountString: fraction === '' ? whole : `${whole}.${fraction}`,
  };
}

type JsonUiTokenAmount = { amount: string; decimals: number; uiAmount: number; uiAmountString: string };

/**
 * An account as getAccountInfo and getTokenAccountsByOwner return it in `encoding`. With
 * jsonParsed, token accounts whose mint's decimals are known come parsed; anything else falls
 * back to base64, as a node does for data it cannot parse.
 */
export function encodeAccount(
  account: LedgerAccount,
  encoding: unknown,
  mintDecimals: (mint: string) => number | undefined,
): Record<string, unknown> {
  return {
    data: encodeData(account, encoding, mintDecimals),
    executable: account.executable,
    lamports: Number(account.lamports),
    owner: account.owner,
    rentEpoch: RENT_EXEMPT_EPOCH,
    space: account.data.length,
  };
}

function encodeData(
  account: LedgerAccount,
  encoding: unknown,
  mintDecimals: (mint: string) => number | undefined,
): unknown {
  switch (encoding) {
    // The node's default, kept for old clients: bare base58 text.
    case undefined:
    case 'binary':
      return base58Encode(account.data);
    case 'base58':
      return [base58Encode(account.data), 'base58'];
    case 'base64':
      return [account.data.toString('base64'), 'base64'];
    case 'jsonParsed':
      return parsedData(account, mintDecimals) ?? [account.data.toString('base64'), 'base64'];
    default:
      throw invalidParams(`Invalid params: unsupported account encoding ${JSON.stringify(encoding)}.`);
  }
}

function parsedData(account: LedgerAccount, mintDecimals: (mint: string) => number | undefined): unknown {
  const program = TOKEN_PROGRAMS.get(account.owner);
  if (program === undefined) return null;
  const token = decodeSplTokenAccount(account.data);
  if (token === null) return null;
  const decimals = mintDecimals(token.mint);
  if (decimals === undefined) return null;
  return {
    parsed: {
      info: {
        isNative: token.isNative,
        mint: token.mint,
        owner: token.owner,
        state: token.state,
        tokenAmount: uiTokenAmount(token.amount, decimals),
      },
      type: 'account',
    },
    program,
    space: account.data.length,
  };
}
