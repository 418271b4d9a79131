import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnv, runCli, startLookout, tempFolder, type RunningLookout } from './support/lookoutProcess.js';

// Note: PGlite, so the apikey commands reach the database through the running instance's control socket.
describe('lookout apikey and the HTTP API of lookout run', () => {
  const cwd = tempFolder();
  const env = offlineEnv({ LOOKOUT_DATA_DIR: path.join(cwd, 'data'), LOOKOUT_CHAINS: 'base', LOOKOUT_HTTP_PORT: '0', LOG_LEVEL: 'info' });
  const lookout = (...args: string[]) => runCli(args, { env, cwd });
  let run: RunningLookout;
  let url: string;

  beforeAll(async () => {
    run = startLookout([], { env, cwd });
    await run.waitFor(/HTTP API listening on http:\/\/127\.0\.0\.1:\d+/, 'stderr', 60_000);
    const port = /HTTP API listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr())![1]!;
    expect(Number(port)).toBeGreaterThan(0);
    url = `http://127.0.0.1:${port}`;
    await run.waitFor(/Lookout is running/);
  });

  afterAll(async () => {
    expect(await run?.stop()).toBe(0);
  });

  it('behavior: apikey create prints the key once, as its last line; list never shows it; a revoked key is refused', async () => {
    const created = await lookout('apikey', 'create', '--name', 'ci');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split('\n');
    const key = lines[lines.length - 1]!.trim();
    expect(key).toMatch(/^lk_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout.split(key).length - 1).toBe(1);

    const live = await fetch(`${url}/live`);
    expect(await live.json()).toEqual({ status: 'live' });
    expect((await fetch(`${url}/api/v1/wallets`)).status).toBe(401);
    const tracked = await fetch(`${url}/api/v1/wallets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ address: '0x1111111111111111111111111111111111111111', label: 'whale' }),
    });
    expect(tracked.status).toBe(201);
    const listed = await fetch(`${url}/api/v1/wallets`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await listed.json()) as { wallets: { label: string }[] }).wallets.map((wallet) => wallet.label)).toEqual(['whale']);

    const readOnly = await lookout('apikey', 'create', '--name', 'dashboard', '--read-only', '--json');
    const readKey = (JSON.parse(readOnly.stdout) as { key: string; readOnly: boolean }).key;
    const refused = await fetch(`${url}/api/v1/wallets/whale`, { method: 'DELETE', headers: { authorization: `Bearer ${readKey}` } });
    expect(refused.status).toBe(403);

    const list = await lookout('apikey', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/#1 ci: created .* by cli:\S+, last used/);
    expect(list.stdout).toMatch(/#2 dashboard \(read-only\)/);
    expect(list.stdout).not.toContain(key);
    expect(list.stdout).not.toContain(readKey);
    expect((await lookout('apikey', 'list', '--json')).stdout).not.toMatch(/lk_/);

    expect((await lookout('apikey', 'create', '--name', 'ci')).stderr).toMatch(/^A key named 'ci' already exists/);
    const revoked = await lookout('apikey', 'revoke', 'ci');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked API key #1 'ci'/);
    expect((await fetch(`${url}/api/v1/wallets`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await lookout('apikey', 'revoke', 'ci')).stderr).toMatch(/^No active key 'ci'/);

    const wallets = await lookout('wallets', '--json');
    expect(wallets.stdout).toContain('whale');
  });

  it('behavior: /metrics counts the RPC requests of the followed chain; /ready says why it is not ready', async () => {
    // Note: the RPC of offlineEnv is a closed local port, so every request fails.
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline && !/lookout_rpc_requests_total\{chain="base",method="eth_blockNumber",outcome="error"\} [1-9]/.test(text)) {
      text = await (await fetch(`${url}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(text).toMatch(/lookout_rpc_requests_total\{chain="base",method="eth_blockNumber",outcome="error"\} [1-9]/);
    expect(text).toMatch(/lookout_rpc_request_duration_seconds_count\{chain="base",method="eth_blockNumber"\} [1-9]/);
    expect(text).toContain('lookout_outbox_pending{sink="console"} 0');
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', reasons: ['base has not reported its head yet.'] });
  });

  it('error: bad apikey input is answered with one sentence', async () => {
    expect((await lookout('apikey')).stderr).toMatch(/^lookout apikey needs an action; use apikey create, apikey list or apikey revoke <id\|name>\.\n$/);
    expect((await lookout('apikey', 'create', '--name', 'no spaces')).stderr).toMatch(/^'no spaces' is not a key name/);
    expect((await lookout('apikey', 'revoke')).stderr).toMatch(/^Name the key to revoke/);
    expect((await lookout('apikey', 'list', '--read-only')).stderr).toMatch(/^--name and --read-only go with apikey create only\./);
  });
});
