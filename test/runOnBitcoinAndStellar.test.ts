import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsploraServer, transaction, type EsploraServer } from './support/bitcoin/startEsploraServer.js';
import { offlineEnv, runCli, startLookout, tempFolder } from './support/lookoutProcess.js';
import { startHorizonServer, type HorizonServer } from './support/stellar/startHorizonServer.js';
import { stellarAccount } from './support/stellar/stellarAccount.js';
import { createScratchPostgres, postgresUrl } from './support/testDatabase.js';

type Leg = { asset: string; symbol: string; amount: string };
type Alert = { type: string; chain: string; tx: string; wallet: string; label: string; kind: string; sent: Leg[]; received: Leg[] };

const BTC_WALLET = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';
const BTC_SENDER = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const XLM_WALLET = 'GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ';
const XLM_SENDER = stellarAccount('sender');

const alertsIn = (stdout: string): Alert[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Alert)
    .filter((alert) => alert.type === 'trade');

describe('lookout on Bitcoin and Stellar', () => {
  let esplora: EsploraServer;
  let horizon: HorizonServer;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  const cwd = tempFolder();
  const lookout = (...args: string[]) => runCli(args, { env, cwd });

  beforeAll(async () => {
    esplora = await startEsploraServer();
    horizon = await startHorizonServer();
    // Short block times, so the run looks at the tip about every quarter second.
    const configFile = path.join(cwd, 'lookout.config.json');
    writeFileSync(configFile, JSON.stringify({ chains: [{ name: 'bitcoin', blockTimeMs: 500 }, { name: 'stellar', blockTimeMs: 200 }] }));
    env = offlineEnv({
      LOOKOUT_CHAINS: 'bitcoin,stellar',
      BITCOIN_API_URL: esplora.url,
      STELLAR_HORIZON_URL: horizon.url,
      LOOKOUT_CONFIG: configFile,
      LOOKOUT_DATA_DIR: path.join(cwd, 'data'),
    });
    if (postgresUrl) {
      const scratch = await createScratchPostgres(postgresUrl);
      env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    }
  }, 60_000);

  afterAll(async () => {
    await esplora?.stop();
    await horizon?.stop();
    await drop?.();
  });

  it('error: track refuses a Bitcoin address with a bad checksum and a muxed Stellar account, in one sentence each', async () => {
    const broken = await lookout('track', `${BTC_WALLET.slice(0, -1)}4`);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('That Bitcoin address has a bad checksum; copy it again.');
    const muxed = await lookout('track', 'MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUQ');
    expect(muxed.stderr).toMatch(/muxed Stellar account/);
  });

  it('behavior: a tracked BTC address and XLM account get a JSON alert for a payment in, once each', { timeout: 120_000 }, async () => {
    for (const [address, label] of [[BTC_WALLET, 'cold'], [XLM_WALLET, 'anchor']] as const) {
      const result = await lookout('track', address, '--label', label);
      expect(result.code, result.stderr).toBe(0);
    }
    const run = startLookout(['--json'], { env, cwd });
    try {
      await run.waitFor(/starting to follow at block/);
      await run.waitFor(/starting to follow at ledger/);
      const payment = transaction([{ address: BTC_SENDER, value: 150_000_000 }], [{ address: BTC_WALLET, value: 123_456_789 }, { address: BTC_SENDER, value: 26_533_211 }]);
      esplora.mine([payment]);
      const { txs } = horizon.closeLedger([{ source: XLM_SENDER, operations: [{ type: 'payment', asset_type: 'native', from: XLM_SENDER, to: XLM_WALLET, amount: '42.0000001' }] }]);
      await run.waitFor(new RegExp(payment.txid), 'stdout', 30_000);
      await run.waitFor(new RegExp(txs[0]!.hash), 'stdout', 30_000);
      // Another block and ledger go by: nothing is announced twice.
      esplora.mine([]);
      horizon.closeLedger([]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const alerts = alertsIn(run.stdout());
      expect(alerts.filter((alert) => alert.tx === payment.txid)).toEqual([
        expect.objectContaining({ chain: 'bitcoin', wallet: BTC_WALLET, label: 'cold', kind: 'transfer_in', received: [{ asset: 'native', symbol: 'BTC', amount: '1.23456789' }] }),
      ]);
      expect(alerts.filter((alert) => alert.tx === txs[0]!.hash)).toEqual([
        expect.objectContaining({ chain: 'stellar', wallet: XLM_WALLET, label: 'anchor', kind: 'transfer_in', received: [{ asset: 'native', symbol: 'XLM', amount: '42.0000001' }] }),
      ]);
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });
});
