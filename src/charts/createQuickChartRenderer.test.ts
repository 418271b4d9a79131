import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, LookoutError, RetryableError } from '../errors/LookoutError.js';
import { createLocalChartRenderer } from './createLocalChartRenderer.js';
import { createQuickChartRenderer } from './createQuickChartRenderer.js';
import { pnlByTokenChart } from './pnlByTokenChart.js';

type Received = { method: string; url: string; body: Record<string, unknown> };

/** A local stand-in for a QuickChart server: answers POST /chart with what `reply` says. */
function startServer(reply: (received: Received, res: ServerResponse) => void): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
      received.push(entry);
      reply(entry, res);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, received });
    });
  });
}

describe('createQuickChartRenderer', () => {
  const config = pnlByTokenChart([{ symbol: 'TOK', token: '0xaa', realizedUsd: '5', unrealizedUsd: '-2' }]);
  let png: Buffer;
  let status = 200;
  let body: () => Buffer;
  let local: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    png = await createLocalChartRenderer().renderChart(config, { width: 320, height: 200 });
    local = await startServer((received, res) => {
      if (received.method !== 'POST' || received.url !== '/chart') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(status, { 'content-type': status === 200 ? 'image/png' : 'text/plain' }).end(body());
    });
  });

  afterAll(async () => {
    local.server.closeAllConnections();
    await new Promise((resolve) => local.server.close(resolve));
  });

  test('behavior: POSTs /chart with the Chart.js v4 configuration, size and key, and returns the PNG bytes', async () => {
    status = 200;
    body = () => png;
    const renderer = createQuickChartRenderer({ url: local.url, key: 'secret-key' });
    const image = await renderer.renderChart(config, { width: 320, height: 200 });
    expect(image.equals(png)).toBe(true);
    const request = local.received.at(-1)!;
    expect(request.body).toMatchObject({ width: 320, height: 200, version: '4', format: 'png', key: 'secret-key', backgroundColor: '#ffffff' });
    expect(JSON.parse(request.body.chart as string)).toEqual(config);
  });

  test('behavior: sends no key when none is configured', async () => {
    status = 200;
    body = () => png;
    await createQuickChartRenderer({ url: local.url }).renderChart(config, { width: 320, height: 200 });
    expect(local.received.at(-1)!.body).not.toHaveProperty('key');
  });

  test('error: a server failure is retryable and its message is for people', async () => {
    status = 503;
    body = () => Buffer.from('overloaded');
    const failure = createQuickChartRenderer({ url: local.url }).renderChart(config, { width: 320, height: 200 });
    await expect(failure).rejects.toBeInstanceOf(RetryableError);
    await expect(failure).rejects.toMatchObject({ message: 'The chart could not be drawn right now.', details: expect.stringContaining('status=503') });
  });

  test('error: a rejected configuration is not retried', async () => {
    status = 400;
    body = () => Buffer.from('bad chart');
    const failure = createQuickChartRenderer({ url: local.url }).renderChart(config, { width: 320, height: 200 });
    await expect(failure).rejects.toMatchObject({ action: 'stop' });
    await expect(failure).rejects.toBeInstanceOf(LookoutError);
  });

  test('error: an answer that is not a PNG is an error, not an image', async () => {
    status = 200;
    body = () => Buffer.from('<html>login</html>');
    await expect(createQuickChartRenderer({ url: local.url }).renderChart(config, { width: 320, height: 200 })).rejects.toMatchObject({
      action: 'stop',
    });
  });

  test('error: an unreachable server is retryable', async () => {
    const closed = await startServer(() => undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(createQuickChartRenderer({ url: closed.url }).renderChart(config, { width: 320, height: 200 })).rejects.toBeInstanceOf(
      RetryableError,
    );
  });

  test('error: a URL with a path or another scheme is a configuration error', () => {
    expect(() => createQuickChartRenderer({ url: 'https://charts.example.com/quickchart' })).toThrow(ConfigError);
    expect(() => createQuickChartRenderer({ url: 'ftp://charts.example.com' })).toThrow(ConfigError);
    expect(() => createQuickChartRenderer({ url: 'not a url' })).toThrow(ConfigError);
  });
});
