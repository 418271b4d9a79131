import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Connection, PublicKey, SolanaJSONRPCError, type Logs } from '@solana/web3.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';

import { decodeSolanaTransaction } from '../../../src/tracker/solana/decodeSolanaTransaction.js';
import { readSolanaTransactions } from '../../../src/tracker/solana/readSolanaTransactionFile.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './startSolanaRpcServer.js';
import { decodeSplTokenAccount } from './splTokenAccount.js';

type JsonObject = Record<string, unknown>;

const fixturesDir = fileURLToPath(new URL('../../fixtures/solana/', import.meta.url));
const fixture = (path: string): JsonObject =>
  readSolanaTransactions(JSON.parse(readFileSync(join(fixturesDir, path), 'utf8')))[0] as JsonObject;
const jowency = (name: string): JsonObject => fixture(`jowency-me_solana-tx-parser/testdata/transactions/${name}`);

// A Pump.fun buy fetched as jsonParsed, v0.
const PUMP_BUY = 'Tee-py_solana-txn-parser/tests/pumpfun/parsed-buy-txn.json';
// A Pump.fun buy fetched as json, legacy.
const PUMP_BUY_JSON = '0xjeffro_tx-parser/solana/data/pumpfun_buy_0.json';
// Four v0 base64 swaps by one wallet, oldest first on mainnet.
const SWAPPER = 'GJvewfRjqTUPtx6WsBSUnaFbdgXwgXnWfpDyLm65T4YA';
const SWAPS = ['swap_frlmh_2.json', 'swap_frlmh_via_jupiter_2.json', 'swap_frlmh_via_jupiter_4.json', 'swap_frlmh_via_jupiter_5.json'];
const TOKEN_PROGRAM_ID = new PublicKey('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const TOKEN_2022_PROGRAM_ID = new PublicKey('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The deltas the decoder finds for every wallet, in a form toEqual compares. */
function deltasOf(result: unknown): unknown {
  const decoded = decodeSolanaTransaction(result);
  return [decoded.feePayer, ...decoded.wallets()].map((wallet) => {
    const deltas = decoded.walletDeltas(wallet);
    return [wallet, deltas.fee, deltas.failed, [...deltas.deltas]];
  });
}

/** A raw JSON-RPC call, for what web3.js reshapes before returning. */
async function rawCall(server: SolanaRpcServer, method: string, params: unknown[]): Promise<JsonObject> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await response.json()) as JsonObject;
}

let server: SolanaRpcServer;
let connection: Connection;
const listeners: number[] = [];

function watchLogs(address: string): Array<{ logs: Logs; slot: number }> {
  const seen: Array<{ logs: Logs; slot: number }> = [];
  listeners.push(connection.onLogs(new PublicKey(address), (logs, { slot }) => seen.push({ logs, slot }), 'confirmed'));
  return seen;
}

beforeEach(async () => {
  server = await startSolanaRpcServer();
  connection = new Connection(server.url, { commitment: 'confirmed', wsEndpoint: server.wsUrl });
});

afterEach(async () => {
  try {
    // web3.js closes its WebSocket 500 ms after the last subscription goes; waiting for it
    // leaves no reconnect timer behind to keep the test process alive.
    await Promise.all(listeners.splice(0).map((id) => connection.removeOnLogsListener(id)));
    await waitFor(() => server.sockets().open === 0, 'web3.js to close its WebSocket');
  } finally {
    await server.stop();
    vi.restoreAllMocks();
  }
});

describe('startSolanaRpcServer: getSignaturesForAddress', () => {
  it('behavior: lists a wallet’s transactions newest first, with slot, blockTime and status', async () => {
    server.publish(fixture(PUMP_BUY));
    const published = SWAPS.map((name, i) => server.publish(jowency(name), { blockTime: 1_800_000_000 + i }));
    const list = await connection.getSignaturesForAddress(new PublicKey(SWAPPER));
    expect(list.map((entry) => entry.signature)).toEqual(published.map((tx) => tx.signature).reverse());
    // The newest of the four failed on mainnet; its error travels with its signature.
    expect(list[0]).toEqual({
      signature: published[3]!.signature,
      slot: published[3]!.slot,
      err: { InstructionError: [1, { Custom: 6001 }] },
      memo: null,
      blockTime: 1_800_000_003,
      confirmationStatus: 'confirmed',
    });
    expect(list.map((entry) => entry.slot)).toEqual([...list.map((entry) => entry.slot)].sort((a, b) => b - a));
    expect(published[0]!.slot).toBe(server.slot() - 3);
  });

  it('behavior: pages backwards with before and limit, and stops at until', async () => {
    const sigs = SWAPS.map((name) => server.publish(jowency(name)).signature).reverse();
    const wallet = new PublicKey(SWAPPER);
    const page1 = await connection.getSignaturesForAddress(wallet, { limit: 2 });
    const page2 = await connection.getSignaturesForAddress(wallet, { limit: 2, before: page1[1]!.signature });
    const page3 = await connection.getSignaturesForAddress(wallet, { limit: 2, before: page2[1]!.signature });
    expect([...page1, ...page2].map((entry) => entry.signature)).toEqual(sigs);
    expect(page3).toEqual([]);
    const newer = await connection.getSignaturesForAddress(wallet, { until: sigs[2]! });
    expect(newer.map((entry) => entry.signature)).toEqual(sigs.slice(0, 2));
  });

  it('behavior: finds a transaction by a token account loaded from a lookup table', async () => {
    const result = jowency('swap_jupiter_v4_1.json');
    const decoded = decodeSolanaTransaction(result);
    const loaded = ((result['meta'] as JsonObject)['loadedAddresses'] as { writable: string[] }).writable;
    const tokenAccount = decoded.tokenBalances.post.find((balance) => loaded.includes(balance.account))!.account;
    server.publish(fixture(PUMP_BUY));
    const { signature } = server.publish(result);
    const list = await connection.getSignaturesForAddress(new PublicKey(tokenAccount));
    expect(list.map((entry) => entry.signature)).toEqual([signature]);
  });

  it('behavior: marks a transaction finalized once 32 slots have passed', async () => {
    const { signature } = server.publish(fixture(PUMP_BUY));
    server.publish(jowency(SWAPS[0]!), { slot: server.slot() + 32 });
    const [entry] = await connection.getSignaturesForAddress(new PublicKey(decodeSolanaTransaction(fixture(PUMP_BUY)).feePayer));
    expect(entry).toMatchObject({ signature, confirmationStatus: 'finalized' });
  });

  it('error: rejects a limit above 1000 as the node does', async () => {
    await expect(connection.getSignaturesForAddress(new PublicKey(SWAPPER), { limit: 1001 })).rejects.toThrow(
      'Invalid limit; max 1000',
    );
  });
});

describe('startSolanaRpcServer: getTransaction', () => {
  it.each([
    ['jsonParsed v0', PUMP_BUY],
    ['base64 v0', `jowency-me_solana-tx-parser/testdata/transactions/${SWAPS[0]}`],
    ['json legacy', PUMP_BUY_JSON],
  ])('behavior: a %s transaction comes back with the fixture’s deltas and the new slot', async (_kind, path) => {
    const original = fixture(path);
    const { signature, slot, blockTime } = server.publish(original);
    const response = await rawCall(server, 'getTransaction', [signature, { maxSupportedTransactionVersion: 0 }]);
    const decoded = decodeSolanaTransaction(response['result']);
    expect(decoded.signature).toBe(signature);
    expect([decoded.slot, decoded.blockTime]).toEqual([slot, blockTime]);
    expect(deltasOf(response['result'])).toEqual(deltasOf(original));
    // getParsedTransaction turns addresses into PublicKeys, which JSON turns back into text.
    const parsed = await connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(deltasOf(JSON.parse(JSON.stringify(parsed)))).toEqual(deltasOf(original));
  });

  it('behavior: web3.js getTransaction accepts base64 and json transactions re-encoded as json', async () => {
    for (const original of [jowency(SWAPS[0]!), fixture(PUMP_BUY_JSON)]) {
      const { signature, slot } = server.publish(original);
      const tx = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
      const decoded = decodeSolanaTransaction(original);
      expect(tx?.slot).toBe(slot);
      expect(tx?.version).toBe(decoded.version);
      const keys = tx!.transaction.message.getAccountKeys({ accountKeysFromLookups: tx!.meta!.loadedAddresses! });
      expect(keys.keySegments().flat().map((key) => key.toBase58())).toEqual(decoded.accountKeys);
      expect(BigInt(tx!.meta!.fee)).toBe(decoded.fee);
    }
  });

  it('error: a v0 transaction asked for without maxSupportedTransactionVersion fails with -32015', async () => {
    const { signature } = server.publish(jowency(SWAPS[0]!));
    const failure = await connection.getTransaction(signature).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SolanaJSONRPCError);
    expect(failure).toMatchObject({ code: -32015 });
    expect(String(failure)).toContain('Transaction version (0) is not supported by the requesting client');
  });

  it('behavior: a legacy transaction asked for without a version comes back without a version field', async () => {
    const { signature } = server.publish(fixture(PUMP_BUY_JSON));
    const unversioned = await rawCall(server, 'getTransaction', [signature, { encoding: 'json' }]);
    expect(unversioned['result']).not.toHaveProperty('version');
    const versioned = await rawCall(server, 'getTransaction', [signature, { maxSupportedTransactionVersion: 0 }]);
    expect(versioned['result']).toMatchObject({ version: 'legacy' });
  });

  it('behavior: an unknown signature gives null', async () => {
    const signature = decodeSolanaTransaction(jowency(SWAPS[1]!)).signature;
    expect(await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 })).toBeNull();
  });

  it('behavior: answers a JSON-RPC batch in order', async () => {
    const sigs = SWAPS.map((name) => server.publish(jowency(name)).signature);
    const txs = await connection.getParsedTransactions(sigs, { maxSupportedTransactionVersion: 0 });
    expect(txs.map((tx) => tx?.transaction.signatures[0])).toEqual(sigs);
    expect(server.requests.getTransaction).toBe(4);
  });
});

describe('startSolanaRpcServer: logsSubscribe', () => {
  it('behavior: notifies a subscriber of a transaction that mentions its address, and no other', async () => {
    const buy = fixture(PUMP_BUY);
    const seen = watchLogs(decodeSolanaTransaction(buy).feePayer);
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    server.publish(jowency(SWAPS[0]!));
    const { signature, slot } = server.publish(buy);
    await waitFor(() => seen.length > 0, 'a logs notification');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.slot).toBe(slot);
    expect(seen[0]!.logs.signature).toBe(signature);
    expect(seen[0]!.logs.err).toBeNull();
    expect(seen[0]!.logs.logs).toEqual((buy['meta'] as JsonObject)['logMessages']);
  });

  it('behavior: web3.js reconnects by itself and resubscribes after the sockets drop', async () => {
    const seen = watchLogs(SWAPPER);
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    server.publish(jowency(SWAPS[0]!));
    await waitFor(() => seen.length === 1, 'the first notification');
    server.dropSockets();
    await waitFor(() => server.requests.logsSubscribe === 2, 'web3.js to resubscribe');
    const { signature } = server.publish(jowency(SWAPS[1]!));
    await waitFor(() => seen.length === 2, 'a notification after the reconnect');
    expect(seen[1]!.logs.signature).toBe(signature);
  });

  it('behavior: web3.js reconnects after a clean close (1000) but does not resubscribe', async () => {
    const seen = watchLogs(SWAPPER);
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    server.dropSockets({ code: 1000 });
    await waitFor(() => server.sockets().accepted === 2 && server.sockets().open === 1, 'web3.js to reconnect');
    server.publish(jowency(SWAPS[0]!));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests.logsSubscribe).toBe(1);
    expect(seen).toEqual([]);
    // Only an abrupt drop makes web3.js forget the dead subscription and ask again.
    server.dropSockets();
    await waitFor(() => server.requests.logsSubscribe === 2, 'web3.js to resubscribe');
    server.publish(jowency(SWAPS[1]!));
    await waitFor(() => seen.length === 1, 'a notification after the abrupt drop');
  });

  it('behavior: after a clean close, removing the listener makes web3.js send logsUnsubscribe without end', async () => {
    watchLogs(SWAPPER);
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    server.dropSockets({ code: 1000 });
    await waitFor(() => server.sockets().accepted === 2 && server.sockets().open === 1, 'web3.js to reconnect');
    // The node does not know the old connection's subscription id and says so; web3.js asks again at once.
    let removed = false;
    void connection.removeOnLogsListener(listeners.pop()!).then(() => (removed = true));
    await waitFor(() => (server.requests.logsUnsubscribe ?? 0) > 100, 'a storm of logsUnsubscribe');
    // An abrupt drop ends the storm: web3.js forgets the subscription, reconnects, finds
    // nothing to subscribe and closes.
    server.dropSockets();
    await waitFor(() => server.sockets().accepted === 3 && server.sockets().open === 0, 'web3.js to reconnect and close');
    const unsubscribes = server.requests.logsUnsubscribe;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests.logsUnsubscribe).toBe(unsubscribes);
    // The call in flight when the socket dropped is never answered, so the removal never settles.
    expect(removed).toBe(false);
  });

  it('behavior: web3.js finds the pubsub on the RPC port + 1 when given no wsEndpoint', async () => {
    const plain = new Connection(server.url, 'confirmed');
    const seen: string[] = [];
    const id = plain.onLogs(new PublicKey(SWAPPER), (logs) => seen.push(logs.signature));
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    const { signature } = server.publish(jowency(SWAPS[0]!));
    await waitFor(() => seen.length === 1, 'a notification');
    expect(seen).toEqual([signature]);
    await plain.removeOnLogsListener(id);
  });

  it('behavior: speaks raw pubsub on the HTTP port too, with the node’s notification shapes', async () => {
    const socket = new WebSocket(server.url.replace('http:', 'ws:'));
    const messages: JsonObject[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as JsonObject));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'logsSubscribe', params: [{ mentions: [SWAPPER] }, { commitment: 'confirmed' }] }));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'slotSubscribe' }));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'logsSubscribe', params: [{ mentions: [SWAPPER, SWAPPER] }] }));
    await waitFor(() => messages.length === 3, 'the answers');
    const [logsId, slotId] = [messages[0]!['result'], messages[1]!['result']];
    expect(messages[2]).toEqual({ jsonrpc: '2.0', error: { code: -32602, message: 'Invalid Request: Only 1 address supported' }, id: 3 });
    const swap = jowency(SWAPS[0]!);
    const { signature, slot } = server.publish(swap);
    await waitFor(() => messages.length === 5, 'the notifications');
    expect(messages.slice(3)).toEqual([
      {
        jsonrpc: '2.0',
        method: 'logsNotification',
        params: {
          result: {
            context: { slot },
            value: { signature, err: null, logs: (swap['meta'] as JsonObject)['logMessages'] },
          },
          subscription: logsId,
        },
      },
      { jsonrpc: '2.0', method: 'slotNotification', params: { result: { parent: slot - 1, root: slot - 32, slot }, subscription: slotId } },
    ]);
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'logsUnsubscribe', params: [logsId] }));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'logsUnsubscribe', params: [logsId] }));
    await waitFor(() => messages.length === 7, 'the unsubscribe answers');
    expect(messages.slice(5)).toEqual([
      { jsonrpc: '2.0', result: true, id: 4 },
      { jsonrpc: '2.0', error: { code: -32602, message: 'Invalid subscription id.' }, id: 5 },
    ]);
    socket.close();
  });

  it('behavior: unsubscribing stops the notifications', async () => {
    const seen = watchLogs(SWAPPER);
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    await connection.removeOnLogsListener(listeners.pop()!);
    await waitFor(() => server.requests.logsUnsubscribe === 1, 'the unsubscription');
    server.publish(jowency(SWAPS[0]!));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual([]);
  });
});

describe('startSolanaRpcServer: accounts', () => {
  const owner = 'EfbbhahGNuhqEraRZXrwETfsaKxScngEttdQixWAW4WE';
  const mint = 'FstBRGMkNKf4wNvfieYUPS9YsbNoQJMCh6v89zajpump';
  const tokenAccount = 'HoB5DAFC69L8SzD5F1uJDEFZ3CDFy4ceA7Z1kyNMKy7B';

  it('behavior: getBalance returns what was set, and 0 for an unknown account', async () => {
    server.setBalance(owner, 1_234_567_890n);
    expect(await connection.getBalance(new PublicKey(owner))).toBe(1_234_567_890);
    expect(await connection.getBalance(new PublicKey(mint))).toBe(0);
  });

  it('behavior: getTokenAccountsByOwner lists the owner’s accounts of a program, parsed', async () => {
    server.setTokenAccount({ address: tokenAccount, owner, mint, amount: 724_879_458_841n, decimals: 6 });
    server.setTokenAccount({ address: 'ADuUkR4vqLUMWXxW9gh6D6L8pMSawimctcNZ5pGwDcEt', owner: SWAPPER, mint, amount: 5, decimals: 6 });
    server.setTokenAccount({
      address: '4SrXdKFYoiUfYzWN7YV8kdJ2TkZieDmjVCEJg4mTAun6',
      owner,
      mint: 'So11111111111111111111111111111111111111112',
      amount: 0,
      decimals: 9,
      programId: TOKEN_2022_PROGRAM_ID.toBase58(),
    });
    const { value } = await connection.getParsedTokenAccountsByOwner(new PublicKey(owner), { programId: TOKEN_PROGRAM_ID });
    expect(JSON.parse(JSON.stringify(value))).toEqual([
      {
        pubkey: tokenAccount,
        account: {
          data: {
            program: 'spl-token',
            parsed: {
              info: {
                isNative: false,
                mint,
                owner,
                state: 'initialized',
                tokenAmount: { amount: '724879458841', decimals: 6, uiAmount: 724879.458841, uiAmountString: '724879.458841' },
              },
              type: 'account',
            },
            space: 165,
          },
          executable: false,
          lamports: 2039280,
          owner: TOKEN_PROGRAM_ID.toBase58(),
          rentEpoch: 18446744073709551615,
          space: 165,
        },
      },
    ]);
    const byMint = await connection.getTokenAccountsByOwner(new PublicKey(owner), { mint: new PublicKey(mint) });
    expect(byMint.value.map((entry) => entry.pubkey.toBase58())).toEqual([tokenAccount]);
    expect(decodeSplTokenAccount(byMint.value[0]!.account.data)).toMatchObject({ mint, owner, amount: 724_879_458_841n });
    const token2022 = await connection.getParsedTokenAccountsByOwner(new PublicKey(owner), { programId: TOKEN_2022_PROGRAM_ID });
    expect(token2022.value[0]?.account.data.program).toBe('spl-token-2022');
  });

  it('behavior: getAccountInfo returns the data set, raw or parsed', async () => {
    server.setAccount(mint, { data: Buffer.from([1, 2, 3]), owner: SWAPPER, lamports: 10n });
    const info = await connection.getAccountInfo(new PublicKey(mint));
    expect(info?.data).toEqual(Buffer.from([1, 2, 3]));
    expect(info?.owner.toBase58()).toBe(SWAPPER);
    expect(await connection.getAccountInfo(new PublicKey(owner))).toBeNull();
    server.setTokenAccount({ address: tokenAccount, owner, mint: SWAPPER, amount: 1_500_000n, decimals: 6 });
    const parsed = await connection.getParsedAccountInfo(new PublicKey(tokenAccount));
    expect(parsed.value?.data).toMatchObject({ parsed: { info: { tokenAmount: { uiAmountString: '1.5' } } } });
  });
});

describe('startSolanaRpcServer: chain head', () => {
  it('behavior: the slot, block height and blockhash move when a transaction is published', async () => {
    const before = [await connection.getSlot(), await connection.getBlockHeight(), await connection.getLatestBlockhash()] as const;
    const { slot } = server.publish(fixture(PUMP_BUY));
    expect(await connection.getSlot()).toBe(slot);
    expect(slot).toBe(before[0] + 1);
    expect(await connection.getBlockHeight()).toBe(before[1] + 1);
    const latest = await connection.getLatestBlockhash();
    expect(latest.blockhash).not.toBe(before[2].blockhash);
    expect(latest.lastValidBlockHeight).toBe(before[1] + 1 + 150);
    expect(await connection.getVersion()).toHaveProperty('solana-core');
    expect(await connection.getGenesisHash()).toBe('5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d');
    expect((await rawCall(server, 'getHealth', []))['result']).toBe('ok');
  });
});

describe('startSolanaRpcServer: faults', () => {
  it('error: a 429 surfaces as an error when web3.js is told not to retry', async () => {
    const strict = new Connection(server.url, { commitment: 'confirmed', disableRetryOnRateLimit: true });
    server.failNext(1, { httpStatus: 429 });
    await expect(strict.getSlot()).rejects.toThrow(/^429 Too Many Requests/);
    expect(await strict.getSlot()).toBe(server.slot());
    expect(server.requests.getSlot).toBe(2);
  });

  it('behavior: web3.js retries a 429 by itself, after 500 ms then twice as long', async () => {
    const complaints = vi.spyOn(console, 'error').mockImplementation(() => {});
    server.failNext(2, { httpStatus: 429 });
    expect(await connection.getSlot()).toBe(server.slot());
    expect(server.requests.getSlot).toBe(3);
    expect(complaints).toHaveBeenCalledWith(expect.stringContaining('Retrying after 1000ms delay'));
  });

  it('error: a JSON-RPC fault surfaces as a SolanaJSONRPCError with its code', async () => {
    server.failNext(1, { code: -32005, message: 'Node is behind by 42 slots' });
    const failure = await connection.getSlot().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SolanaJSONRPCError);
    expect(failure).toMatchObject({ code: -32005, message: 'failed to get slot: Node is behind by 42 slots' });
  });

  it('error: a 500 or 503 surfaces with its status', async () => {
    server.failNext(1, { httpStatus: 503 });
    server.failNext(1, { httpStatus: 500 });
    await expect(connection.getSlot()).rejects.toThrow(/^503 Service Unavailable/);
    await expect(connection.getSlot()).rejects.toThrow(/^500 Internal Server Error/);
    await expect(connection.getSlot()).resolves.toBe(server.slot());
  });

  it('error: an offline node refuses connections, or answers 503, until it comes back', async () => {
    await server.setOffline(true);
    const refused = await connection.getSlot().catch((error: unknown) => error as Error);
    expect(String((refused as Error & { cause?: unknown }).cause)).toContain('ECONNREFUSED');
    await server.setOffline(true, 'unavailable');
    await expect(connection.getSlot()).rejects.toThrow(/^503/);
    await server.setOffline(false);
    await expect(connection.getSlot()).resolves.toBe(server.slot());
  });

  it('behavior: an offline node drops subscribers, who resubscribe when it comes back', async () => {
    // web3.js reports each refused reconnection on the console.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen = watchLogs(SWAPPER);
    await waitFor(() => server.requests.logsSubscribe === 1, 'the subscription');
    await server.setOffline(true);
    await waitFor(() => server.sockets().open === 0, 'the socket to drop');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await server.setOffline(false);
    await waitFor(() => server.requests.logsSubscribe === 2, 'web3.js to resubscribe');
    server.publish(jowency(SWAPS[0]!));
    await waitFor(() => seen.length === 1, 'a notification');
  });
});

describe('startSolanaRpcServer: getBlock, getBlocks and getBlockTime', () => {
  it('behavior: getBlocks lists produced slots only, and getBlock serves a block as the node does or says why there is none', async () => {
    const first = server.publish(fixture(PUMP_BUY_JSON));
    server.skipSlots([first.slot + 1, first.slot + 2]);
    const second = server.publish(jowency(SWAPS[0]!));
    expect(second.slot).toBe(first.slot + 3);
    expect((await rawCall(server, 'getBlocks', [first.slot, second.slot + 5]))['result']).toEqual([first.slot, second.slot]);

    const block = (await rawCall(server, 'getBlock', [second.slot, { encoding: 'json', maxSupportedTransactionVersion: 0, transactionDetails: 'full', rewards: false }]))[
      'result'
    ] as JsonObject;
    expect(block).toMatchObject({ parentSlot: first.slot, blockTime: second.blockTime, blockHeight: expect.any(Number), blockhash: expect.any(String) });
    expect(block['rewards']).toBeUndefined();
    const [entry] = block['transactions'] as JsonObject[];
    expect(entry).toMatchObject({ version: 0, meta: expect.any(Object) });
    expect(entry!['slot']).toBeUndefined();
    // With the block's slot and time put back, a block's transaction decodes as getTransaction's does.
    const viaBlock = decodeSolanaTransaction({ ...entry, slot: second.slot, blockTime: block['blockTime'] });
    expect(viaBlock.signature).toBe(second.signature);
    expect(viaBlock.accountKeys).toEqual(second.accountKeys);

    const signatures = (await rawCall(server, 'getBlock', [first.slot, { transactionDetails: 'signatures', maxSupportedTransactionVersion: 0 }]))['result'] as JsonObject;
    expect(signatures['signatures']).toEqual([first.signature]);
    expect(signatures['transactions']).toBeUndefined();

    expect((await rawCall(server, 'getBlock', [first.slot + 1, { maxSupportedTransactionVersion: 0 }]))['error']).toEqual({
      code: -32007,
      message: `Slot ${first.slot + 1} was skipped, or missing due to ledger jump to recent snapshot`,
    });
    expect(((await rawCall(server, 'getBlock', [second.slot + 1, {}]))['error'] as JsonObject)['code']).toBe(-32004);
    // A v0 transaction needs maxSupportedTransactionVersion, as on mainnet.
    expect(((await rawCall(server, 'getBlock', [second.slot, {}]))['error'] as JsonObject)['code']).toBe(-32015);
    expect((await rawCall(server, 'getBlockTime', [second.slot]))['result']).toBe(second.blockTime);
  });
});
