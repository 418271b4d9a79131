import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRoutes as alertRoutesCommand } from '../src/bot/commands/alertRoutes.js';
import { createOutboxWorker } from '../src/bot/delivery/createOutboxWorker.js';
import { createWebhookSink, WEBHOOK_REJECTIONS_TO_PAUSE } from '../src/bot/webhook/createWebhookSink.js';
import { retryAfterMs } from '../src/bot/webhook/postWebhook.js';
import { signWebhook } from '../src/bot/webhook/signWebhook.js';
import { loadConfig, type LookoutConfig } from '../src/config/loadConfig.js';
import { alertOutbox, trades } from '../src/db/schema.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { parseWorkspaceName } from '../src/cli/parseWorkspaceName.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createLogger } from '../src/logger.js';
import { checkWebhookUrl, isPrivateAddress } from '../src/usecases/checkWebhookUrl.js';
import { routeAlerts } from '../src/usecases/routeAlerts.js';
import { startTelegramLookout } from './support/inProcessLookout.js';
import { offlineEnv, runCli, tempFolder } from './support/lookoutProcess.js';
import { createScratchPostgres, postgresUrl } from './support/testDatabase.js';

const SECRET = 'whsec_0123456789abcdef0123456789';
const GROUP = { id: -1005550077, type: 'supergroup' as const, title: 'Desk' };
const ADMIN = { id: 71, first_name: 'Ada' };
const MEMBER = { id: 72, first_name: 'Bo' };

type Received = { headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; headers?: Record<string, string>; delayMs?: number };

/** A webhook receiver on 127.0.0.1 that answers from a script (200 when it runs out) and keeps every POST. */
async function startReceiver(): Promise<{ url: string; received: Received[]; script: Answer[]; stop(): Promise<void> }> {
  const received: Received[] = [];
  const script: Answer[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = script.shift() ?? { status: 200 };
      setTimeout(() => response.writeHead(answer.status, answer.headers).end('{}'), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    script,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks a POST's signature as the README shows a receiver doing it. */
function verified(post: Received, secret: string): boolean {
  const [t, v1] = String(post.headers['lookout-signature']).split(',').map((part) => part.slice(part.indexOf('=') + 1));
  const expected = createHmac('sha256', secret).update(`${t}.${post.body}`).digest('hex');
  return v1 !== undefined && v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected)) && Math.abs(Date.now() / 1000 - Number(t)) < 300;
}

function testConfig(env: Record<string, string> = {}): LookoutConfig {
  return loadConfig({ LOOKOUT_CONFIG: '', PRICE_SOURCES: 'chainlink,pyth', DEFILLAMA_URL: 'http://127.0.0.1:9', LOOKOUT_HTTP_PORT: 'off', ...env }, '/nonexistent-lookout-config-dir');
}

describe('signing and the address check', () => {
  it('behavior: the signature is the hex HMAC-SHA256 of "<t>.<body>" with the secret', () => {
    const body = '{"id":"1"}';
    expect(signWebhook('k'.repeat(16), body, 1_700_000_000)).toBe(`t=1700000000,v1=${createHmac('sha256', 'k'.repeat(16)).update(`1700000000.${body}`).digest('hex')}`);
    expect(signWebhook('k'.repeat(16), body, 1_700_000_000)).not.toBe(signWebhook('k'.repeat(16), body, 1_700_000_001));
  });

  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['172.32.0.1', false], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['100.128.0.1', false], ['0.0.0.0', true], ['8.8.8.8', false], ['93.184.216.34', false],
    ['::1', true], ['::', true], ['fc00::1', true], ['fd12:3456::1', true], ['fe80::1', true], ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true], ['::ffff:8.8.8.8', false], ['2606:4700:4700::1111', false], ['not an address', true],
  ])('behavior: %s is private or loopback: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('error: private and loopback hosts are refused unless allowed; only http and https', async () => {
    const publicHost = async () => [{ address: '93.184.216.34' }];
    await expect(checkWebhookUrl('http://127.0.0.1:8080/x', { allowPrivate: false })).rejects.toThrow(/loopback or private address.*LOOKOUT_WEBHOOK_ALLOW_PRIVATE=1/);
    await expect(checkWebhookUrl('https://[::1]/x', { allowPrivate: false })).rejects.toThrow(/loopback or private/);
    await expect(checkWebhookUrl('https://hooks.example/x', { allowPrivate: false, resolve: async () => [{ address: '93.184.216.34' }, { address: '10.0.0.5' }] })).rejects.toThrow(
      /hooks\.example \(10\.0\.0\.5\) is a loopback or private address/,
    );
    expect((await checkWebhookUrl('https://hooks.example/x', { allowPrivate: false, resolve: publicHost })).href).toBe('https://hooks.example/x');
    expect((await checkWebhookUrl('http://127.0.0.1:8080/x', { allowPrivate: true })).href).toBe('http://127.0.0.1:8080/x');
    await expect(checkWebhookUrl('ftp://hooks.example/x', { allowPrivate: true })).rejects.toThrow(/must be an http or https URL, not ftp/);
    await expect(checkWebhookUrl('file:///etc/passwd', { allowPrivate: true })).rejects.toThrow(/http or https/);
    await expect(checkWebhookUrl('not a url', { allowPrivate: true })).rejects.toThrow(/is not a URL/);
  });

  it('behavior: Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('webhook sink: signed POSTs through the outbox, retries and pause', () => {
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workspaceId: string;
  let destination: string;
  const logs: string[] = [];
  const say = async (from: typeof ADMIN, text: string) => {
    const before = lookout.telegram.messages(GROUP.id).length;
    lookout.telegram.sendText(GROUP, from, text);
    const [reply] = (await lookout.telegram.waitForMessages(GROUP.id, before + 1, 15_000)).slice(before);
    return reply!.shownText;
  };
  const deps = (config: LookoutConfig = lookout.config) => ({
    db: lookout.database.db,
    config,
    events: createEventBus(),
    workspaceId,
    actor: 'cli:test',
    prices: async () => null,
  });
  const drain = async (options: { allowPrivate?: boolean; timeoutMs?: number } = {}) => {
    const sink = createWebhookSink({ db: lookout.database.db, allowPrivate: options.allowPrivate ?? true, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
    const logger = createLogger({ level: 'info', pretty: false, secrets: [], destination: new Writable({ write: (chunk, _e, done) => void (logs.push(String(chunk)), done()) }) });
    const worker = createOutboxWorker({ db: lookout.database.db, config: lookout.config, logger, events: createEventBus(), scope: sink.scope, deliverGroup: sink.deliverGroup });
    return worker.drain();
  };
  let trade = 0;
  /** A new trade's alert (or correction), queued for the webhook. */
  const enqueue = async (kind: 'alert' | 'correction' = 'alert') => {
    trade += 1;
    const [stored] = await lookout.database.db
      .insert(trades)
      .values({
        chain: 'base',
        blockNumber: 100n + BigInt(trade),
        blockHash: `0x${trade.toString(16).padStart(64, 'b')}`,
        blockTime: new Date(),
        txHash: `0x${trade.toString(16).padStart(64, 'a')}`,
        wallet: '0x1111111111111111111111111111111111111111',
        kind: 'buy',
        usdValue: '100',
      })
      .returning();
    const tradeId = stored!.id;
    const [row] = await lookout.database.db.insert(alertOutbox).values({ tradeId, workspaceId, destination, kind }).returning();
    return row!;
  };
  const outboxRow = async (id: number) => (await lookout.database.db.select().from(alertOutbox).where(eq(alertOutbox.id, id)))[0]!;
  /** The retry time comes: every waiting alert is due now. */
  const timePasses = () => lookout.database.db.update(alertOutbox).set({ nextAttemptAt: sql`now()` }).where(eq(alertOutbox.state, 'pending'));

  beforeAll(async () => {
    lookout = await startTelegramLookout({ LOOKOUT_WEBHOOK_ALLOW_PRIVATE: '1' });
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
    lookout.telegram.setMember(GROUP.id, MEMBER.id, 'member');
    receiver = await startReceiver();
    workspaceId = await ensureWorkspace(lookout.database.db, parseWorkspaceName('local'));
    const { route } = await routeAlerts(deps(), { destination: 'webhook', webhook: { url: receiver.url, secret: SECRET } });
    destination = route.destination;
    expect(destination).toMatch(/^webhook:[0-9a-f]{12}$/);
  }, 60_000);
  afterAll(async () => {
    await receiver?.stop();
    await lookout?.stop();
  });

  it('behavior: each alert is POSTed as the --json object with its id and workspace, signed with the secret', async () => {
    const row = await enqueue();
    receiver.received.length = 0;
    expect(await drain()).toBe(1);
    const [post] = receiver.received;
    expect(verified(post!, SECRET)).toBe(true);
    expect(verified(post!, 'another secret of enough length')).toBe(false);
    expect(post!.headers['lookout-event-id']).toBe(String(row.id));
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.headers['user-agent']).toMatch(/^Lookout\/\d+\.\d+\.\d+/);
    expect(JSON.parse(post!.body)).toMatchObject({ id: String(row.id), workspace: workspaceId, type: 'trade', chain: 'base', tx: expect.stringMatching(/^0xa+[0-9a-f]$/), kind: 'buy' });
    expect((await outboxRow(row.id)).state).toBe('sent');
  });

  it('behavior: a correction after a reorg is posted too, saying so', async () => {
    const row = await enqueue('correction');
    receiver.received.length = 0;
    expect(await drain()).toBe(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ id: String(row.id), type: 'correction' });
  });

  it('behavior: 500 then 200 is delivered once after a retry, with the same Lookout-Event-Id', async () => {
    const row = await enqueue();
    receiver.received.length = 0;
    receiver.script.push({ status: 500 });
    expect(await drain()).toBe(0);
    expect(await outboxRow(row.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'the webhook answered 500 Internal Server Error' });
    await timePasses();
    expect(await drain()).toBe(1);
    expect(receiver.received.map((post) => post.headers['lookout-event-id'])).toEqual([String(row.id), String(row.id)]);
    expect(receiver.received.every((post) => verified(post, SECRET))).toBe(true);
    expect(await drain()).toBe(0);
    expect(receiver.received).toHaveLength(2);
    expect((await outboxRow(row.id)).state).toBe('sent');
  });

  it('behavior: 429 waits as long as Retry-After asks', async () => {
    const row = await enqueue();
    receiver.script.push({ status: 429, headers: { 'retry-after': '120' } });
    const before = Date.now();
    expect(await drain()).toBe(0);
    const waiting = await outboxRow(row.id);
    expect(waiting).toMatchObject({ state: 'pending', lastError: 'the webhook answered 429 Too Many Requests' });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 119_000);
    expect(waiting.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
    await timePasses();
    expect(await drain()).toBe(1);
  });

  it('behavior: a webhook that does not answer in time is retried', async () => {
    const row = await enqueue();
    receiver.script.push({ status: 200, delayMs: 2_000 });
    expect(await drain({ timeoutMs: 200 })).toBe(0);
    expect(await outboxRow(row.id)).toMatchObject({ state: 'pending', lastError: 'the webhook did not answer in time' });
    await timePasses();
    expect(await drain()).toBe(1);
  });

  it('behavior: a run of 4xx pauses the webhook with the reason in the route list; routing to it again resumes it', async () => {
    const rows = [];
    for (let index = 0; index < WEBHOOK_REJECTIONS_TO_PAUSE; index++) rows.push(await enqueue());
    for (const _ of rows) receiver.script.push({ status: 410 });
    expect(await drain()).toBe(0);
    for (const row of rows) expect((await outboxRow(row.id)).state).toBe('paused');
    const listed = await alertRoutesCommand(deps() as unknown as Parameters<typeof alertRoutesCommand>[0], { action: 'list', describe: (d) => d });
    expect(listed.lines.join('\n')).toMatch(/webhook http:\/\/127\.0\.0\.1:\d+\/hook \(paused: the webhook answered 410 Gone 5 times in a row; fix it, then route alerts to/);
    expect(JSON.stringify(listed.data)).not.toContain(SECRET);
    expect(logs.join('')).not.toContain(SECRET);

    await routeAlerts(deps(), { destination: 'webhook', webhook: { url: receiver.url, secret: SECRET } });
    receiver.received.length = 0;
    expect(await drain()).toBe(rows.length);
    expect(receiver.received.map((post) => post.headers['lookout-event-id']).sort()).toEqual(rows.map((row) => String(row.id)).sort());
  });

  it('error: private and loopback URLs are refused without LOOKOUT_WEBHOOK_ALLOW_PRIVATE, at routing and at delivery', async () => {
    const strict = testConfig();
    expect(strict.webhooks.allowPrivate).toBe(false);
    await expect(routeAlerts(deps(strict), { destination: 'webhook', webhook: { url: 'http://localhost:8080/hook', secret: SECRET } })).rejects.toThrow(/loopback or private/);
    await expect(routeAlerts(deps(), { destination: 'webhook', webhook: { url: 'gopher://127.0.0.1/x', secret: SECRET } })).rejects.toThrow(/http or https/);
    await expect(routeAlerts(deps(), { destination: 'webhook', webhook: { url: receiver.url, secret: 'short' } })).rejects.toThrow(/16 to 200 printable characters/);

    // The route was checked with private addresses allowed; a process without the setting still refuses to post there.
    const row = await enqueue();
    receiver.received.length = 0;
    expect(await drain({ allowPrivate: false })).toBe(0);
    expect(receiver.received).toHaveLength(0);
    expect(await outboxRow(row.id)).toMatchObject({ state: 'paused', lastError: expect.stringMatching(/loopback or private address/) });
    await routeAlerts(deps(), { destination: 'webhook', webhook: { url: receiver.url, secret: SECRET } });
    expect(await drain()).toBe(1);
  });

  it('behavior: in a chat only admins add a webhook route; the list shows its host and path, never the secret', async () => {
    const url = receiver.url.replace('/hook', '/chat-hook');
    expect(await say(MEMBER, `/alerts route webhook ${url} ${SECRET}`)).toMatch(/Only this chat’s administrators/);
    expect(await say(ADMIN, `/alerts route webhook ${url} ${SECRET} 500`)).toMatch(/go to the webhook http:\/\/127\.0\.0\.1:\d+\/chat-hook \(from \$500\.00\)/);
    const listed = await say(MEMBER, '/alerts routes');
    expect(listed).toMatch(/#\d+: all wallets → webhook http:\/\/127\.0\.0\.1:\d+\/chat-hook \(from \$500\.00\)/);
    expect(listed).not.toContain(SECRET);
    expect(await say(ADMIN, `/alerts route webhook ftp://example.com/x ${SECRET}`)).toMatch(/must be an http or https URL/);
  });
});

describe('lookout alerts route --webhook', () => {
  const cwd = tempFolder();
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  const lookout = (...args: string[]) => runCli(args, { env, cwd });

  beforeAll(async () => {
    env = offlineEnv({ LOOKOUT_DATA_DIR: path.join(cwd, 'data'), LOOKOUT_WEBHOOK_ALLOW_PRIVATE: '1' });
    if (postgresUrl) {
      const scratch = await createScratchPostgres(postgresUrl);
      env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    }
  });
  afterAll(async () => drop?.());

  it('behavior: adds a webhook route, updates it for the same URL and group, lists it without the secret, removes it', { timeout: 300_000 }, async () => {
    const added = await lookout('alerts', 'route', '--webhook', 'http://127.0.0.1:9/hook?token=x', '--secret', SECRET, '--min-usd', '250', '--json');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ destination: expect.stringMatching(/^webhook:/), minUsd: '250', webhook: 'http://127.0.0.1:9/hook' });
    const again = await lookout('alerts', 'route', '--webhook', 'http://127.0.0.1:9/hook?token=x', '--secret', `${SECRET}-2`, '--types', 'buy');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/go to the webhook http:\/\/127\.0\.0\.1:9\/hook \(only buy\)/);
    const listed = await lookout('alerts', 'list', '--json');
    const routes = JSON.parse(listed.stdout) as { id: number; destination: string; webhook: string }[];
    expect(routes).toHaveLength(1);
    expect(routes[0]!.destination).toBe(JSON.parse(added.stdout).destination);
    expect(listed.stdout).not.toContain(SECRET);
    expect((await lookout('alerts', 'list')).stdout).toMatch(/#\d+: all wallets → webhook http:\/\/127\.0\.0\.1:9\/hook \(only buy\)/);
    expect((await lookout('alerts', 'remove', String(routes[0]!.id))).code).toBe(0);
    expect(JSON.parse((await lookout('alerts', 'list', '--json')).stdout)).toEqual([]);
  });

  it('error: a loopback URL without LOOKOUT_WEBHOOK_ALLOW_PRIVATE, or a URL that is not http(s), gets one sentence and exit code 1', { timeout: 120_000 }, async () => {
    const { LOOKOUT_WEBHOOK_ALLOW_PRIVATE: _allowed, ...strict } = env;
    const refused = await runCli(['alerts', 'route', '--webhook', 'http://127.0.0.1:9/hook', '--secret', SECRET], { env: strict, cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/loopback or private address/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    const scheme = await lookout('alerts', 'route', '--webhook', 'ftp://example.com/x', '--secret', SECRET);
    expect(scheme.code).toBe(1);
    expect(scheme.stderr.trim()).toMatch(/^A webhook must be an http or https URL, not ftp/);
  });
});
