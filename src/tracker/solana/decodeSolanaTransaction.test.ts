import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PublicKey, VersionedTransaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';

import { NATIVE } from '../walletDeltas.js';
import { base58Encode } from './base58.js';
import { decodeSolanaTransaction, SolanaDecodeError } from './decodeSolanaTransaction.js';
import { readSolanaTransactions } from './readSolanaTransactionFile.js';

const WSOL = 'So11111111111111111111111111111111111111112';
const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const RENT = 2_039_280;

/** A distinct valid address per number, so test cases read as W, X, mint... */
const address = (n: number): string => new PublicKey(new Uint8Array(32).fill(n)).toBase58();
const W = address(1);
const OTHER = address(2);
const ACCOUNT_A = address(3);
const ACCOUNT_B = address(4);
const MINT = address(5);
const PROGRAM = address(6);

type TokenBalanceSpec = { index: number; mint: string; owner: string; amount: bigint | number };

const tokenBalance = ({ index, mint, owner, amount }: TokenBalanceSpec): unknown => ({
  accountIndex: index,
  mint,
  owner,
  programId: TOKEN_PROGRAM,
  uiTokenAmount: { amount: String(amount), decimals: 9, uiAmount: null, uiAmountString: '' },
});

/** A json-encoded getTransaction result; the last key is the program its one instruction calls. */
function jsonResult(spec: {
  keys: string[];
  pre: number[];
  post: number[];
  fee?: number;
  err?: unknown;
  preTokens?: TokenBalanceSpec[];
  postTokens?: TokenBalanceSpec[];
}): Record<string, unknown> {
  return {
    slot: 1,
    blockTime: 1_700_000_000,
    transaction: {
      signatures: [base58Encode(new Uint8Array(64).fill(7))],
      message: {
        accountKeys: spec.keys,
        header: { numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 1 },
        instructions: [{ programIdIndex: spec.keys.length - 1, accounts: [], data: '' }],
        recentBlockhash: address(9),
      },
    },
    meta: {
      err: spec.err ?? null,
      fee: spec.fee ?? 5000,
      preBalances: spec.pre,
      postBalances: spec.post,
      preTokenBalances: (spec.preTokens ?? []).map(tokenBalance),
      postTokenBalances: (spec.postTokens ?? []).map(tokenBalance),
      innerInstructions: [],
    },
  };
}

const deltasOf = (result: unknown, wallet: string): Record<string, bigint> =>
  Object.fromEntries(decodeSolanaTransaction(result).walletDeltas(wallet).deltas);

describe('decodeSolanaTransaction: what a wallet did', () => {
  it('behavior: folds wrapped SOL and token-account rent into SOL', () => {
    // W unwraps 0.5 SOL by closing its wrapped SOL account: the lamports come home, nothing was traded.
    const result = jsonResult({
      keys: [W, ACCOUNT_A, PROGRAM],
      pre: [1_000_000_000, RENT + 500_000_000, 1],
      post: [1_000_000_000 + RENT + 500_000_000 - 5000, 0, 1],
      preTokens: [{ index: 1, mint: WSOL, owner: W, amount: 500_000_000 }],
    });
    expect(deltasOf(result, W)).toEqual({});
  });

  it('behavior: counts a token account created in the transaction, seen only in post balances, for its owner', () => {
    // W pays the rent of its new token account and receives 100 tokens: the rent stays W's.
    const result = jsonResult({
      keys: [W, ACCOUNT_A, PROGRAM],
      pre: [1_000_000_000, 0, 1],
      post: [1_000_000_000 - RENT - 5000, RENT, 1],
      postTokens: [{ index: 1, mint: MINT, owner: W, amount: 100 }],
    });
    expect(deltasOf(result, W)).toEqual({ [MINT]: 100n });
  });

  it('behavior: counts the rent of a token account W closes into another wallet as SOL W lost', () => {
    const result = jsonResult({
      keys: [W, OTHER, ACCOUNT_A, PROGRAM],
      pre: [1_000_000_000, 0, RENT, 1],
      post: [1_000_000_000 - 5000, RENT, 0, 1],
      preTokens: [{ index: 2, mint: MINT, owner: W, amount: 0 }],
    });
    expect(deltasOf(result, W)).toEqual({ [NATIVE]: BigInt(-RENT) });
    expect(deltasOf(result, OTHER)).toEqual({ [NATIVE]: BigInt(RENT) });
  });

  it('behavior: sums a mint over all the token accounts the wallet owns', () => {
    const result = jsonResult({
      keys: [W, ACCOUNT_A, ACCOUNT_B, PROGRAM],
      pre: [1_000_000_000, RENT, RENT, 1],
      post: [1_000_000_000 - 5000, RENT, RENT, 1],
      preTokens: [
        { index: 1, mint: MINT, owner: W, amount: 70 },
        { index: 2, mint: MINT, owner: W, amount: 30 },
      ],
      postTokens: [
        { index: 1, mint: MINT, owner: W, amount: 0 },
        { index: 2, mint: MINT, owner: W, amount: 100 },
      ],
    });
    expect(deltasOf(result, W)).toEqual({});
  });

  it('behavior: keeps amounts beyond 2^53 exact', () => {
    const result = jsonResult({
      keys: [W, ACCOUNT_A, PROGRAM],
      pre: [1_000_000_000, RENT, 1],
      post: [1_000_000_000 - 5000, RENT, 1],
      preTokens: [{ index: 1, mint: MINT, owner: W, amount: 57_886_551_891_123_424n }],
      postTokens: [{ index: 1, mint: MINT, owner: W, amount: 1n }],
    });
    expect(deltasOf(result, W)).toEqual({ [MINT]: -57_886_551_891_123_423n });
  });

  it('behavior: reports the fee apart, for the fee payer only', () => {
    const result = jsonResult({
      keys: [W, OTHER, PROGRAM],
      pre: [1_000_000_000, 0, 1],
      post: [1_000_000_000 - 300_000_000 - 5000, 300_000_000, 1],
    });
    const decoded = decodeSolanaTransaction(result);
    expect(decoded.walletDeltas(W)).toEqual({
      wallet: W,
      failed: false,
      fee: 5000n,
      deltas: new Map([[NATIVE, -300_000_000n]]),
    });
    expect(decoded.walletDeltas(OTHER).fee).toBe(0n);
    expect(decoded.walletDeltas(OTHER).deltas).toEqual(new Map([[NATIVE, 300_000_000n]]));
  });

  it('behavior: a failed transaction costs its fee and changes nothing else', () => {
    const result = jsonResult({
      keys: [W, OTHER, PROGRAM],
      pre: [1_000_000_000, 0, 1],
      post: [1_000_000_000 - 5000, 0, 1],
      err: { InstructionError: [0, { Custom: 6001 }] },
    });
    const decoded = decodeSolanaTransaction(result);
    expect(decoded.failed).toBe(true);
    expect(decoded.error).toBe('{"InstructionError":[0,{"Custom":6001}]}');
    expect(decoded.walletDeltas(W)).toEqual({ wallet: W, failed: true, fee: 5000n, deltas: new Map() });
    expect(decoded.wallets()).toEqual([]);
  });

  it('behavior: finds a wallet that appears only as the owner of a token account', () => {
    // A plain token transfer lists the token accounts, not the receiving wallet.
    const result = jsonResult({
      keys: [W, ACCOUNT_A, ACCOUNT_B, PROGRAM],
      pre: [1_000_000_000, RENT, RENT, 1],
      post: [1_000_000_000 - 5000, RENT, RENT, 1],
      preTokens: [
        { index: 1, mint: MINT, owner: W, amount: 100 },
        { index: 2, mint: MINT, owner: OTHER, amount: 0 },
      ],
      postTokens: [
        { index: 1, mint: MINT, owner: W, amount: 40 },
        { index: 2, mint: MINT, owner: OTHER, amount: 60 },
      ],
    });
    const decoded = decodeSolanaTransaction(result);
    expect(decoded.wallets()).toEqual([W, OTHER]);
    expect(deltasOf(result, OTHER)).toEqual({ [MINT]: 60n });
    expect(decoded.accountKeys).not.toContain(OTHER);
  });

  it('behavior: leaves token accounts out of wallets() even when their lamports move', () => {
    const result = jsonResult({
      keys: [W, ACCOUNT_A, PROGRAM],
      pre: [1_000_000_000, RENT + 100, 1],
      post: [1_000_000_000 - 100 - 5000, RENT + 200, 1],
      preTokens: [{ index: 1, mint: WSOL, owner: OTHER, amount: 100 }],
      postTokens: [{ index: 1, mint: WSOL, owner: OTHER, amount: 200 }],
    });
    const decoded = decodeSolanaTransaction(result);
    expect(decoded.wallets()).toEqual([W, OTHER]);
    expect(deltasOf(result, OTHER)).toEqual({ [NATIVE]: 100n });
  });

  it('behavior: a wallet the transaction did not touch has empty deltas and no fee', () => {
    const result = jsonResult({ keys: [W, PROGRAM], pre: [10_000, 1], post: [5000, 1] });
    expect(decodeSolanaTransaction(result).walletDeltas(OTHER)).toEqual({
      wallet: OTHER,
      failed: false,
      fee: 0n,
      deltas: new Map(),
    });
  });

  it('behavior: hands out a fresh delta map on every call', () => {
    const decoded = decodeSolanaTransaction(
      jsonResult({ keys: [W, OTHER, PROGRAM], pre: [10_000, 0, 1], post: [4000, 1000, 1] }),
    );
    decoded.walletDeltas(W).deltas.clear();
    expect(decoded.walletDeltas(W).deltas).toEqual(new Map([[NATIVE, -1000n]]));
  });

  it('behavior: resolves lookup-table accounts after the static keys, writable before readonly', () => {
    const result = jsonResult({
      keys: [W, PROGRAM],
      pre: [1_000_000_000, 1, RENT, 1],
      post: [1_000_000_000 - 5000, 1, RENT, 1],
      preTokens: [{ index: 2, mint: MINT, owner: W, amount: 0 }],
      postTokens: [{ index: 2, mint: MINT, owner: W, amount: 9 }],
    });
    const message = (result['transaction'] as { message: Record<string, unknown> }).message;
    message['addressTableLookups'] = [{ accountKey: address(8), writableIndexes: [4], readonlyIndexes: [2] }];
    (result['meta'] as Record<string, unknown>)['loadedAddresses'] = { writable: [ACCOUNT_A], readonly: [MINT] };
    const decoded = decodeSolanaTransaction(result);
    expect(decoded.accountKeys).toEqual([W, PROGRAM, ACCOUNT_A, MINT]);
    expect(decoded.version).toBe(0);
    expect(decoded.tokenBalances.post[0]!.account).toBe(ACCOUNT_A);
    expect(deltasOf(result, W)).toEqual({ [MINT]: 9n });
  });
});

const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/solana/', import.meta.url));
/** Fixture file names are unique across the sources; find one by name. */
function fixturePath(name: string, dir = fixturesDir): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? fixturePath(name, path) : entry.name === name ? path : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}
const readFixture = (name: string): unknown => JSON.parse(readFileSync(fixturePath(name) ?? name, 'utf8'));
const fixtureResult = (name: string): Record<string, unknown> =>
  readSolanaTransactions(readFixture(name))[0] as Record<string, unknown>;

/** The same transaction in the other encodings RPC offers, rebuilt from its base64 bytes. */
function reencode(result: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const [data] = result['transaction'] as [string, string];
  const bytes = Buffer.from(data, 'base64');
  const { message, signatures } = VersionedTransaction.deserialize(bytes);
  const meta = result['meta'] as { loadedAddresses: { writable: string[]; readonly: string[] } } & Record<string, unknown>;
  const staticKeys = message.staticAccountKeys.map((key) => key.toBase58());
  const allKeys = [...staticKeys, ...meta.loadedAddresses.writable, ...meta.loadedAddresses.readonly];
  const json = {
    ...result,
    transaction: {
      signatures: signatures.map(base58Encode),
      message: {
        accountKeys: staticKeys,
        header: message.header,
        recentBlockhash: message.recentBlockhash,
        instructions: message.compiledInstructions.map((instruction) => ({
          programIdIndex: instruction.programIdIndex,
          accounts: instruction.accountKeyIndexes,
          data: base58Encode(instruction.data),
        })),
        addressTableLookups: message.addressTableLookups.map((lookup) => ({
          accountKey: lookup.accountKey.toBase58(),
          writableIndexes: lookup.writableIndexes,
          readonlyIndexes: lookup.readonlyIndexes,
        })),
      },
    },
  };
  const byAddress = (instruction: { programIdIndex: number; accounts: number[] }): unknown => ({
    programId: allKeys[instruction.programIdIndex],
    accounts: instruction.accounts.map((index) => allKeys[index]),
  });
  const { loadedAddresses: _dropped, ...parsedMeta } = meta;
  const jsonParsed = {
    ...json,
    transaction: {
      signatures: json.transaction.signatures,
      message: {
        ...json.transaction.message,
        accountKeys: allKeys.map((pubkey, i) => ({ pubkey, signer: i < message.header.numRequiredSignatures })),
        instructions: json.transaction.message.instructions.map(byAddress),
      },
    },
    meta: {
      ...parsedMeta,
      innerInstructions: (meta['innerInstructions'] as { index: number; instructions: [] }[]).map((group) => ({
        index: group.index,
        instructions: group.instructions.map(byAddress),
      })),
    },
  };
  return { base58: { ...result, transaction: [base58Encode(bytes), 'base58'] }, json, jsonParsed };
}

function summary(result: unknown): unknown {
  const decoded = decodeSolanaTransaction(result);
  const { walletDeltas: _w, wallets: _ws, ...fields } = decoded;
  return { ...fields, deltas: decoded.wallets().map((wallet) => decoded.walletDeltas(wallet)) };
}

describe('decodeSolanaTransaction: encodings', () => {
  it.each(['swap_raydium_v4_1.json', 'swap_orca_v1_1.json', 'jupiter_route_frlmh_1.json'])(
    'behavior: base64, base58, json and jsonParsed encodings of %s decode alike',
    (name) => {
      const base64 = fixtureResult(name);
      const expected = summary(base64);
      for (const [encoding, result] of Object.entries(reencode(base64))) {
        expect(summary(result), encoding).toEqual(expected);
      }
    },
  );

  it('behavior: lists invoked programs in the order they ran and names the venues, router first', () => {
    const decoded = decodeSolanaTransaction(fixtureResult('photon_pumpfun_buy_0.json'));
    expect(decoded.programIds).toEqual([
      'ComputeBudget111111111111111111111111111111',
      'BSfD6SHZigAfDWSjzD5Q41jw8LmKwtmjskPH9XW1mrRW',
      '6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P',
      'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      '11111111111111111111111111111111',
    ]);
    expect(decoded.venues).toEqual(['Photon', 'Pump.fun']);
  });

  it('behavior: reads a jsonParsed result whose account keys already include every account', () => {
    const decoded = decodeSolanaTransaction(fixtureResult('parsed-buy-txn.json'));
    expect(decoded.signers).toEqual([decoded.feePayer]);
    expect(decoded.venues).toEqual(['Pump.fun']);
    expect(decoded.accountKeys).toHaveLength(decoded.lamports.pre.length);
  });

  it('behavior: reads signature, slot, block time, version and fee of a v0 base64 result', () => {
    const wrapper = readFixture('swap_raydium_v4_1.json') as { signature: string; slot: number; blockTime: number };
    const decoded = decodeSolanaTransaction(fixtureResult('swap_raydium_v4_1.json'));
    expect(decoded).toMatchObject({
      signature: wrapper.signature,
      slot: wrapper.slot,
      blockTime: wrapper.blockTime,
      version: 0,
      fee: 6612n,
      failed: false,
      error: null,
    });
    expect(decoded.venues).toEqual(['Jupiter v6', 'Raydium AMM v4']);
  });
});

describe('decodeSolanaTransaction: damaged input', () => {
  const valid = (): Record<string, unknown> =>
    jsonResult({ keys: [W, OTHER, PROGRAM], pre: [10_000, 0, 1], post: [4000, 1000, 1] });
  const damaged = (damage: (result: Record<string, any>) => void): Record<string, unknown> => {
    const result = valid();
    damage(result);
    return result;
  };

  const oneMoreTokenBalance = (fields: Record<string, unknown>) => (r: Record<string, any>) =>
    r.meta.postTokenBalances.push({
      ...(tokenBalance({ index: 1, mint: MINT, owner: W, amount: 1 }) as object),
      ...fields,
    });
  const lookup = { accountKey: address(8), writableIndexes: [0], readonlyIndexes: [] };

  it.each([
    ['a string', 'This is a broken data file', 'a getTransaction result must be an object, got a string'],
    ['null', null, 'a getTransaction result must be an object, got null'],
    ['no meta', damaged((r) => delete r.meta), 'transaction has no meta'],
    ['no preBalances', damaged((r) => delete r.meta.preBalances), 'transaction has no meta.preBalances'],
    [
      'a fractional balance',
      damaged((r) => (r.meta.postBalances[1] = 1.5)),
      'meta.postBalances[1] is not a non-negative whole amount (got a number)',
    ],
    [
      'too few balances',
      damaged((r) => r.meta.preBalances.pop()),
      'meta.preBalances has 2 entries for 3 account keys',
    ],
    ['no fee', damaged((r) => delete r.meta.fee), 'transaction has no meta.fee'],
    ['no token balances', damaged((r) => delete r.meta.postTokenBalances), 'transaction has no meta.postTokenBalances'],
    ['no transaction', damaged((r) => delete r.transaction), 'transaction has no transaction'],
    ['no signatures', damaged((r) => (r.transaction.signatures = [])), 'transaction has no transaction.signatures[0]'],
    [
      'a garbage account key',
      damaged((r) => (r.transaction.message.accountKeys[0] = '!!!Removed some keys!!!')),
      'transaction.message.accountKeys[0] is not a base58 address (got a string)',
    ],
    [
      'a program index past the keys',
      damaged((r) => (r.transaction.message.instructions[0].programIdIndex = 9)),
      'transaction.message.instructions[0].programIdIndex 9 is past the 3 account keys',
    ],
    ['no slot', damaged((r) => delete r.slot), 'transaction has no slot'],
    [
      'lookups without loaded addresses',
      damaged((r) => (r.transaction.message.addressTableLookups = [lookup])),
      'transaction has no meta.loadedAddresses',
    ],
    [
      'an unknown binary encoding',
      damaged((r) => (r.transaction = ['AAAA', 'base32'])),
      'transaction encoding "base32" is not supported',
    ],
    [
      'bytes that are not a transaction',
      damaged((r) => (r.transaction = ['AAAA', 'base64'])),
      'transaction[0] is not a serialized Solana transaction',
    ],
    [
      'a token balance past the keys',
      damaged(oneMoreTokenBalance({ accountIndex: 5 })),
      'meta.postTokenBalances[0].accountIndex 5 is past the 3 account keys',
    ],
    [
      'a decimal token amount',
      damaged(oneMoreTokenBalance({ uiTokenAmount: { amount: '1.5', decimals: 9 } })),
      'meta.postTokenBalances[0].uiTokenAmount.amount is not a non-negative whole amount (got a string)',
    ],
    [
      'a token balance without owner',
      damaged(oneMoreTokenBalance({ owner: undefined })),
      'transaction has no meta.postTokenBalances[0].owner',
    ],
  ])('error: rejects %s with a message naming it', (_case, input, message) => {
    expect(() => decodeSolanaTransaction(input)).toThrow(new SolanaDecodeError(message));
  });

  it('error: the damaged error is a SolanaDecodeError and an Error', () => {
    const error = (() => {
      try {
        decodeSolanaTransaction(42);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SolanaDecodeError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('SolanaDecodeError');
  });

  /**
   * Damages one field at a time, in place, and yields while it is damaged: removed, or given
   * a value of the wrong kind. The field is restored before the next one is damaged.
   */
  function* damageEachField(root: unknown): Generator<string> {
    const replacements: unknown[] = [undefined, null, 'x', -1, 1.5, {}, []];
    function* visit(node: unknown, path: string): Generator<string> {
      if (typeof node !== 'object' || node === null) return;
      const fields = node as Record<string, unknown>;
      for (const key of Object.keys(fields)) {
        if (key === 'logMessages' || key === 'rewards') continue;
        const original = fields[key];
        for (const replacement of replacements) {
          if (replacement === undefined && !Array.isArray(fields)) delete fields[key];
          else fields[key] = replacement;
          yield `${path}.${key} = ${JSON.stringify(replacement) ?? 'removed'}`;
        }
        fields[key] = original;
        yield* visit(original, `${path}.${key}`);
      }
    }
    yield* visit(root, 'result');
  }

  it.each([
    'jupiterAggregatorV6_sharedAccountsRoute_1.json',
    'parsed-sell-txn.json',
    'swap_orca_v1_1.json',
  ])('error: any single damaged field of %s gives a SolanaDecodeError or a decoded transaction, never another error', (path) => {
    let cases = 0;
    let rejected = 0;
    const result = fixtureResult(path);
    for (const damage of damageEachField(result)) {
      cases++;
      try {
        decodeSolanaTransaction(result).wallets();
      } catch (error) {
        rejected++;
        expect(error, damage).toBeInstanceOf(SolanaDecodeError);
      }
    }
    expect(rejected).toBeGreaterThan(50);
    expect(cases).toBeGreaterThan(100);
  });
});
