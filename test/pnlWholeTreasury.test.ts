import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PublicKey } from '@solana/web3.js';
import { parseEther, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSolanaTransaction } from '../src/tracker/solana/decodeSolanaTransaction.js';
import { METAPLEX_METADATA_PROGRAM_ID, metaplexMetadataAddress } from '../src/tracker/solana/tokenMetadata.js';
import { startEsploraServer, transaction, type EsploraServer } from './support/bitcoin/startEsploraServer.js';
import { deployFixedPriceDesk } from './support/evm/deployFixedPriceDesk.js';
import { startBinanceServer, type BinanceServer } from './support/exchanges/binanceServer.js';
import { startLookout, type RunningLookout } from './support/lookoutProcess.js';
import { prepareLocalChain, type LocalChain } from './support/prepareLocalChain.js';
import { startPriceApiServer, type PriceApiServer } from './support/prices/startPriceApiServer.js';
import { solanaFixture } from './support/solana/solanaFixtures.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { startHorizonServer, type HorizonServer } from './support/stellar/startHorizonServer.js';
import { stellarAccount } from './support/stellar/stellarAccount.js';
import { startTelegramServer, type TelegramServer } from './support/telegram/startTelegramServer.js';

const SECRET_KEY = 'q3Xh0bWJ0jZ8mC8yB8m2c2m0Yk1d0b7r9qV1k2PZC3s=';
const BINANCE = { key: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A', secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j' };
const GROUP = { id: -1004242, type: 'supergroup' as const, title: 'Treasury' };
const MEMBER = { id: 33, first_name: 'Cy', username: 'cy' };
const WORKSPACE = `telegram:${GROUP.id}`;

const BTC_WALLET = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';
const BTC_SENDER = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const XLM_WALLET = 'GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ';
const XLM_DEX = stellarAccount('market maker');
const STELLAR_USDC = { asset_code: 'USDC', asset_issuer: 'GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN' };
// A real mainnet Jupiter route: its fee payer pays exactly 100 USDC for 0.94494517 of this token.
const JUPITER = solanaFixture('jupiterAggregatorV6_sharedAccountsRoute_1.json');
const SOL_WALLET = decodeSolanaTransaction(JUPITER).feePayer;
const OREO = 'oreoN2tQbHXVaZsr3pf66A48miqcBXCDJozganhEJgz';

/** Metaplex Token Metadata account data (key 4, update authority, mint, name, symbol, uri). */
function metaplexData(mint: string, name: string, symbol: string): Buffer {
  const text = (value: string): Buffer => {
    const bytes = Buffer.from(value);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([Buffer.from([4]), Buffer.alloc(32, 7), new PublicKey(mint).toBuffer(), text(name), text(symbol), text('')]);
}

/** An exact decimal as a fraction over a power of ten: '0.94494517' is 94494517 / 10^8. */
type Decimal = { units: bigint; scale: number };
const decimal = (text: string): Decimal => {
  const [whole, fraction = ''] = text.split('.');
  return { units: BigInt(`${whole}${fraction}`), scale: fraction.length };
};
const sum = (values: Decimal[]): Decimal => {
  const scale = Math.max(0, ...values.map((value) => value.scale));
  return { units: values.reduce((total, value) => total + value.units * 10n ** BigInt(scale - value.scale), 0n), scale };
};
/** Rounded half-even to cents, as Lookout shows USD: '113.39'. */
function cents(value: Decimal): string {
  const negative = value.units < 0n;
  const units = negative ? -value.units : value.units;
  const divisor = 10n ** BigInt(Math.max(0, value.scale - 2));
  const scaled = value.scale >= 2 ? units : units * 10n ** BigInt(2 - value.scale);
  let quotient = scaled / divisor;
  const remainder = scaled % divisor;
  if (remainder * 2n > divisor || (remainder * 2n === divisor && quotient % 2n === 1n)) quotient += 1n;
  const digits = quotient.toString().padStart(3, '0');
  return `${negative && quotient !== 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
/** Adds USD amounts given to the cent ('1438.39'), exactly. */
function centsSum(values: string[]): string {
  for (const value of values) if (!/^-?\d+\.\d\d$/.test(value)) throw new Error(`not an amount to the cent: ${value}`);
  return cents(sum(values.map(decimal)));
}

type Position = { chain: string; token: string; symbol: string | null; amount: string; costBasisUsd: string; realizedUsd: string; unrealizedUsd: string | null; valueUsd: string | null; priceUsd: string | null };
type Report = {
  realizedUsd: string;
  unrealizedUsd: string;
  investedUsd: string;
  proceedsUsd: string;
  valueUsd: string;
  unknownValueUsd: string;
  unpricedTrades: number;
  positions: Position[];
  unknownBasis: { chain: string; symbol: string | null; amount: string; valueUsd: string | null }[];
};

// The prices now, per whole coin.
const PRICE = { btc: '60000', xlm: '0.125' };

describe('one /pnl over an EVM wallet, a Solana wallet, a Bitcoin address, a Stellar account and a Binance account', () => {
  let local: LocalChain;
  let solana: SolanaRpcServer;
  let esplora: EsploraServer;
  let horizon: HorizonServer;
  let binance: BinanceServer;
  let priceApi: PriceApiServer;
  let telegram: TelegramServer;
  let running: RunningLookout;
  let trader: Address;
  const lookout = (...args: string[]) => local.lookout(...args, '--workspace', WORKSPACE);

  beforeAll(async () => {
    [solana, esplora, horizon, priceApi, telegram] = await Promise.all([startSolanaRpcServer(), startEsploraServer(), startHorizonServer(), startPriceApiServer(), startTelegramServer()]);
    binance = await startBinanceServer(BINANCE);
    telegram.setMember(GROUP.id, MEMBER.id, 'member');
    solana.setAccount(metaplexMetadataAddress(OREO), { owner: METAPLEX_METADATA_PROGRAM_ID, lamports: 1n, data: metaplexData(OREO, 'Ore', 'OREO') });
    const nowSeconds = Math.floor(Date.now() / 1000);
    priceApi.setHistory('coingecko:bitcoin', [{ time: 1_730_000_000, price: '55000' }, { time: nowSeconds, price: PRICE.btc }]);
    priceApi.setHistory('coingecko:stellar', [{ time: Date.parse('2024-11-01T12:00:00Z') / 1000, price: '0.1' }, { time: nowSeconds, price: PRICE.xlm }]);
    
    local = await prepareLocalChain({
      env: {
        LOOKOUT_CHAINS: 'localbase,solana,bitcoin,stellar',
        SOLANA_RPC_URL: solana.url,
        SOLANA_WS_URL: solana.wsUrl,
        BITCOIN_API_URL: esplora.url,
        STELLAR_HORIZON_URL: horizon.url,
        PRICE_SOURCES: 'defillama',
        DEFILLAMA_URL: priceApi.url,
        LOOKOUT_SECRET_KEY: SECRET_KEY,
        BINANCE_API_URL: binance.url,
        EXCHANGE_SYNC_SECONDS: '10',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
    });
    // The local EVM chain, and short block times for Bitcoin and Stellar, so the run looks at their tips often.
    const configFile = path.join(local.cwd, 'lookout.config.json');
    const { chains } = JSON.parse(readFileSync(configFile, 'utf8')) as { chains: unknown[] };
    writeFileSync(configFile, JSON.stringify({ chains: [...chains, { name: 'bitcoin', blockTimeMs: 500 }, { name: 'stellar', blockTimeMs: 200 }] }));

    trader = local.world.accounts[5]! as Address;
    for (const [address, label] of [[trader, 'evm'], [SOL_WALLET, 'sol'], [BTC_WALLET, 'cold'], [XLM_WALLET, 'anchor']] as const) {
      const tracked = await lookout('track', address, '--label', label);
      expect(tracked.code, tracked.stderr).toBe(0);
    }
    binance.balances.push({ asset: 'BTC', free: '0.01000000', locked: '0.00000000' });
    const added = await lookout('exchange', 'add', 'binance', '--label', 'desk', '--key', BINANCE.key, '--secret', BINANCE.secret);
    expect(added.code, added.stderr).toBe(0);

    running = startLookout(['--json'], { env: local.env, cwd: local.cwd });
    await running.waitFor(/telegram bot polling/, 'stderr', 60_000);
    await running.waitFor(/starting to follow at block[\s\S]*starting to follow at block/, 'stderr', 60_000);
    await running.waitFor(/starting to follow at ledger/, 'stderr', 60_000);
    await running.waitFor(new RegExp(`"address":"${SOL_WALLET}".*address seen for the first time`), 'stderr', 60_000);
    const deadline = Date.now() + 30_000;
    while ((solana.requests['logsSubscribe'] ?? 0) < 1 || solana.sockets().open === 0) {
      if (Date.now() > deadline) throw new Error(`no logs subscription:\n${running.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // EVM: two buys and a sale of MEME against USDC at fixed prices.
    const { world } = local;
    const desk = await deployFixedPriceDesk(world);
    await world.publicClient.waitForTransactionReceipt({ hash: await world.fundToken(world.usdc, trader, parseUnits('1000', 6)) });
    await desk.trade(trader, world.usdc, parseUnits('100', 6), world.meme, parseEther('1000'));
    await desk.trade(trader, world.usdc, parseUnits('300', 6), world.meme, parseEther('1000'));
    const sale = await desk.trade(trader, world.meme, parseEther('500'), world.usdc, parseUnits('200', 6));
    // Solana: the Jupiter buy. Bitcoin: 0.5 BTC in. Stellar: 1000 XLM bought for 110 USDC through the DEX.
    const { signature } = solana.publish(JUPITER);
    const payment = transaction([{ address: BTC_SENDER, value: 60_000_000 }], [{ address: BTC_WALLET, value: 50_000_000 }, { address: BTC_SENDER, value: 9_990_000 }]);
    esplora.mine([payment]);
    const { txs } = horizon.closeLedger([
      {
        source: XLM_WALLET,
        operations: [
          { type: 'path_payment_strict_send', asset_type: 'native', from: XLM_WALLET, to: XLM_WALLET, amount: '1000.0000000', source_amount: '110.0000000', source_asset_type: 'credit_alphanum4', source_asset_code: STELLAR_USDC.asset_code, source_asset_issuer: STELLAR_USDC.asset_issuer, destination_min: '990.0000000', path: [] },
        ],
        trades: [{ operation: 0, base_account: XLM_DEX, base_amount: '1000.0000000', base_asset_type: 'native', counter_account: XLM_WALLET, counter_amount: '110.0000000', counter_asset_type: 'credit_alphanum4', counter_asset_code: STELLAR_USDC.asset_code, counter_asset_issuer: STELLAR_USDC.asset_issuer, base_is_seller: true }],
      },
    ]);
    // Binance: 0.01 BTC bought at 40,000, 0.40 USDT of fee.
    binance.trades.push({ symbol: 'BTCUSDT', id: 21, orderId: 1021, orderListId: -1, price: '40000.00000000', qty: '0.01000000', quoteQty: '400.00000000', commission: '0.40000000', commissionAsset: 'USDT', time: Date.now(), isBuyer: true, isMaker: false, isBestMatch: true });
    // Note: the workspace's alerts go to its Telegram chat; what was stored is read back through the CLI.
    const wanted = [sale, signature, payment.txid, txs[0]!.hash, 'BTC/USDT#21'].map((id) => id.toLowerCase());
    const deadline2 = Date.now() + 120_000;
    for (;;) {
      const listed = await lookout('trades', '--json');
      const stored = listed.code === 0 ? (JSON.parse(listed.stdout) as { tx: string }[]).map((trade) => trade.tx.toLowerCase()) : [];
      if (wanted.every((id) => stored.includes(id))) break;
      if (Date.now() > deadline2) throw new Error(`trades not stored: ${wanted.filter((id) => !stored.includes(id)).join(', ')}\n${running.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 300_000);

  afterAll(async () => {
    await running?.stop();
    await Promise.all([solana?.stop(), esplora?.stop(), horizon?.stop(), priceApi?.stop(), telegram?.stop(), binance?.close()]);
    await local?.cleanup();
  });

  it('behavior: lookout pnl --json lists the five accounts with exact amounts and USD values, and the parts add up to the totals', { timeout: 60_000 }, async () => {
    const result = await lookout('pnl', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const on = (chain: string, symbol: string) => report.positions.find((position) => position.chain === chain && position.symbol === symbol);

    // EVM: 1500 MEME left, 500 at 0.10 and 1000 at 0.30; priced at the last sale, 0.40.
    expect(on('localbase', 'MEME')).toMatchObject({ amount: '1500', costBasisUsd: '350.00', realizedUsd: '150.00', unrealizedUsd: '250.00', valueUsd: '600.00', priceUsd: '0.4' });
    // Solana: the token bought for 100 USDC, worth 120 a coin now.
    // Solana: the token bought for 100 USDC; no source prices it, so its own trade does.
    const oreoValue = decimal('100');
    expect(on('solana', 'OREO')).toMatchObject({ token: OREO, amount: '0.94494517', costBasisUsd: '100.00', valueUsd: '100.00', unrealizedUsd: '0.00' });
    // Stellar: 1000 XLM for 110 USDC, worth 0.125 a coin now.
    expect(on('stellar', 'XLM')).toMatchObject({ token: 'native', amount: '1000', costBasisUsd: '110.00', valueUsd: '125.00', unrealizedUsd: '15.00', priceUsd: '0.125' });
    // Binance: 0.01 BTC bought at 40,000, worth the market's 60,000 now, as the same coin on chain.
    expect(on('binance', 'BTC')).toMatchObject({ amount: '0.01', costBasisUsd: '400.00', valueUsd: '600.00', unrealizedUsd: '200.00', priceUsd: '60000' });
    // Bitcoin: 0.5 BTC received from outside: held at an unknown cost, valued apart.
    expect(on('bitcoin', 'BTC')).toMatchObject({ token: 'native', amount: '0.5', costBasisUsd: '0.00', valueUsd: '30000.00', priceUsd: '60000' });
    expect(report.unknownBasis).toEqual([expect.objectContaining({ chain: 'bitcoin', symbol: 'BTC', amount: '0.5', valueUsd: '30000.00' })]);
    expect(report.unpricedTrades).toBe(0);

    // Totals, exactly: every part summed as a decimal, rounded once.
    const knownValues = [decimal('600'), oreoValue, decimal('125'), decimal('600')];
    expect(report).toMatchObject({
      realizedUsd: '150.00',
      investedUsd: '1010.00',
      proceedsUsd: '200.00',
      valueUsd: cents(sum(knownValues)),
      unrealizedUsd: cents(sum([decimal('250'), oreoValue, decimal('-100'), decimal('15'), decimal('200')])),
      unknownValueUsd: '30000.00',
    });
    // What the positions show adds up to what the totals show, to the cent.
    const held = report.positions.filter((position) => position.amount !== '0');
    expect(held.map((position) => position.chain).sort()).toEqual(['binance', 'bitcoin', 'localbase', 'solana', 'stellar']);
    expect(centsSum(held.map((position) => position.valueUsd!))).toBe(centsSum([report.valueUsd, report.unknownValueUsd]));
    // realized + unrealized = proceeds + value - invested, on the priced part.
    expect(centsSum([report.realizedUsd, report.unrealizedUsd])).toBe(centsSum([report.proceedsUsd, report.valueUsd, `-${report.investedUsd}`]));
  });

  it('behavior: lookout pnl prints every account in one summary with the total held, and draws the chart', { timeout: 60_000 }, async () => {
    const result = await lookout('pnl', '--chart', 'treasury.png');
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toMatch(/PnL · all wallets · all · FIFO/);
    expect(text).toMatch(/Realized: 🟢 \+\$150\.00/);
    expect(text).toMatch(/MEME \[localbase\]: 1,500 held, worth \$600\.00/);
    expect(text).toMatch(/OREO \[solana\]: 0\.9449 held, worth \$100\.00/);
    expect(text).toMatch(/XLM \[stellar\]: 1,000 held, worth \$125\.00/);
    expect(text).toMatch(/BTC \[binance\]: 0\.01 held, worth \$600\.00/);
    expect(text).toMatch(/BTC \[bitcoin\]: 0\.5 held, worth \$30,000\.00/);
    expect(text).toMatch(/Held in all: \$31,425\.00 in 5 positions/);
    const png = readFileSync(path.join(local.cwd, 'treasury.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('behavior: /pnl in the Telegram chat of the workspace answers the same summary and the chart as a photo', { timeout: 60_000 }, async () => {
    const before = telegram.messages(GROUP.id).length;
    telegram.sendText(GROUP, MEMBER, '/pnl');
    const answered = async () => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const found = telegram.messages(GROUP.id).slice(before).filter((message) => /PnL · all wallets/.test(message.shownText) || message.method === 'sendPhoto');
        if (found.length >= 2) return found;
        if (Date.now() > deadline) throw new Error(`no /pnl answer:\n${JSON.stringify(telegram.messages(GROUP.id).slice(before).map((message) => message.shownText))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const [summary, photo] = await answered();
    expect(summary!.shownText.length).toBeLessThanOrEqual(4096);
    for (const shown of ['MEME [localbase]: 1,500 held, worth $600.00', 'OREO [solana]: 0.9449 held, worth $100.00', 'XLM [stellar]: 1,000 held, worth $125.00', 'BTC [binance]: 0.01 held, worth $600.00', 'BTC [bitcoin]: 0.5 held, worth $30,000.00', 'Held in all: $31,425.00 in 5 positions']) {
      expect(summary!.shownText).toContain(shown);
    }
    expect(photo!.method).toBe('sendPhoto');
    expect(photo!.photo && 'bytes' in photo!.photo ? photo!.photo.bytes.subarray(1, 4).toString() : '').toBe('PNG');
  });
});
