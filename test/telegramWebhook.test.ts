import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnv, startLookout, tempFolder, type RunningLookout } from './support/lookoutProcess.js';
import { startTelegramServer, type TelegramServer } from './support/telegram/startTelegramServer.js';
import { createScratchPostgres, postgresUrl } from './support/testDatabase.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Telegram in webhook mode', () => {
  let telegram: TelegramServer;
  let lookout: RunningLookout;
  let drop: (() => Promise<void>) | undefined;
  let url: string;

  beforeAll(async () => {
    telegram = await startTelegramServer();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/telegram/updates`;
    const cwd = tempFolder();
    const env = offlineEnv({
      LOOKOUT_CHAINS: 'base',
      LOOKOUT_DATA_DIR: path.join(cwd, 'data'),
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: url,
      TELEGRAM_WEBHOOK_PORT: String(port),
    });
    if (postgresUrl) {
      const scratch = await createScratchPostgres(postgresUrl);
      env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    }
    lookout = startLookout([], { env, cwd });
    await lookout.waitFor(/telegram webhook listening/);
  }, 60_000);

  afterAll(async () => {
    await lookout?.stop();
    await telegram?.stop();
    await drop?.();
  });

  it('behavior: sets the webhook with a secret and answers commands that arrive through it', { timeout: 30_000 }, async () => {
    expect(telegram.webhook()).toMatchObject({ url });
    expect(telegram.webhook()?.secretToken).toMatch(/^[0-9a-f]{48}$/);
    const chat = { id: 4242, type: 'private' as const };
    telegram.sendText(chat, { id: 4242, first_name: 'Ada' }, '/help');
    const [reply] = await telegram.waitForMessages(chat.id, 1, 20_000);
    expect(reply!.shownText).toMatch(/Lookout commands/);
    expect(telegram.calls.getUpdates ?? 0).toBe(0);
  });
});
