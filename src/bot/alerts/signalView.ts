import { explorerUrl, type ChainConfig } from '../../config/chainPresets.js';
import type { StoredSignal } from '../../db/signalQueries.js';
import { formatAmount, formatUsd, toDecimalString } from '../../tracker/formatAmount.js';
import { sumDecimals } from '../../tracker/multiWalletSignal.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { NATIVE } from '../../tracker/walletDeltas.js';
import { formatWindow } from '../../usecases/parseSignalSetting.js';
import { chartLink, tokenExplorerUrl, type ChartLink } from './tokenLinks.js';

/** One wallet of a signal: its label, what it bought in the window (exact whole units) and its USD value. */
export type SignalWalletView = { wallet: string; label: string; amount: string; raw: bigint; decimals: number | null; usd: string | null; walletUrl: string | null };

/** A multi-wallet buy signal, free of any platform: the console, Telegram, Discord and webhooks render it. */
export type SignalView = {
  chain: string;
  group: string;
  token: { asset: string; symbol: string; contract: string | null; explorerUrl: string | null; chart: ChartLink | null };
  wallets: SignalWalletView[];
  /** The sum of the wallets' USD values; null when one of them is unpriced. */
  totalUsd: string | null;
  minWallets: number;
  windowStart: Date;
  windowEnd: Date;
  windowSeconds: number;
  /** The buy that raised it. */
  tx: string;
  txUrl: string | null;
  /** Set when a buy it counted was undone and it no longer holds: how many wallets still have a buy standing. */
  withdrawn?: { remaining: number };
};

/** Builds a stored signal as its workspace sees it (its labels), with the buy that raised it. */
export function signalView(signal: StoredSignal, trigger: { txHash: string }, chain: ChainConfig | undefined): SignalView {
  const native = signal.token === NATIVE;
  const decimals = signal.decimals ?? (native && chain ? chain.nativeDecimals : null);
  const symbol = signal.symbol ?? (native ? (chain?.nativeSymbol ?? 'native') : shortAddress(signal.token));
  const wallets = signal.wallets.map(
    (wallet): SignalWalletView => ({
      wallet: wallet.wallet,
      label: wallet.label ?? shortAddress(wallet.wallet),
      amount: decimals === null ? wallet.amount.toString() : toDecimalString(wallet.amount, decimals),
      raw: wallet.amount,
      decimals,
      usd: wallet.usd,
      walletUrl: chain ? explorerUrl(chain, 'address', wallet.wallet) : null,
    }),
  );
  const total = wallets.every((wallet) => wallet.usd !== null)
    ? sumDecimals(wallets.map((wallet) => wallet.usd!))
    : null;
  return {
    chain: signal.chain,
    group: signal.groupName,
    token: {
      asset: signal.token,
      symbol: decimals === null ? `${symbol} (raw units, decimals unknown)` : symbol,
      contract: native ? null : signal.token,
      explorerUrl: chain ? tokenExplorerUrl(chain, signal.token) : null,
      chart: chain ? chartLink(chain, signal.token) : null,
    },
    wallets,
    totalUsd: total,
    minWallets: signal.minWallets,
    windowStart: signal.windowStart,
    windowEnd: signal.windowEnd,
    windowSeconds: signal.windowSeconds,
    tx: trigger.txHash,
    txUrl: chain ? explorerUrl(chain, 'tx', trigger.txHash) : null,
  };
}

/**
 * The signal as one JSON object: what the console's `--json` prints and what webhooks send. Amounts are exact
 * decimal strings, USD values exact decimal strings (null when unpriced).
 */
export function signalJson(view: SignalView): Record<string, unknown> {
  return {
    type: view.withdrawn ? 'signal_withdrawn' : 'signal',
    ...(view.withdrawn ? { remainingWallets: view.withdrawn.remaining } : {}),
    chain: view.chain,
    group: view.group,
    token: { asset: view.token.asset, symbol: view.token.symbol, contract: view.token.contract, chart: view.token.chart?.url ?? null },
    wallets: view.wallets.map((wallet) => ({ label: wallet.label, wallet: wallet.wallet, amount: wallet.amount, usd: wallet.usd })),
    totalUsd: view.totalUsd,
    minWallets: view.minWallets,
    window: { start: view.windowStart.toISOString(), end: view.windowEnd.toISOString(), seconds: view.windowSeconds },
    tx: view.tx,
  };
}

/** The headline every renderer starts with: `3 wallets of whales bought MEME within 1h`. */
export function signalHeadline(view: SignalView): string {
  return `${view.wallets.length} wallets of ${view.group} bought ${view.token.symbol} within ${formatWindow(view.windowSeconds)}`;
}

/** Why a withdrawn signal no longer holds, in one sentence; null for a signal that stands. */
export function signalWithdrawnNote(view: SignalView): string | null {
  if (!view.withdrawn) return null;
  return `A buy it counted was undone: ${view.withdrawn.remaining} of the ${view.minWallets} wallets it needs still bought within ${formatWindow(view.windowSeconds)}.`;
}

/** One wallet's part: `whale1 1,000 MEME ($8,250.00)`. */
export function signalWalletText(view: SignalView, wallet: SignalWalletView): string {
  const amount = wallet.decimals === null ? wallet.raw.toString() : formatAmount(wallet.raw, wallet.decimals);
  return `${wallet.label} ${amount} ${view.token.symbol} (${formatUsd(wallet.usd)})`;
}

/** The console's line: `[base] SIGNAL 3 wallets of whales bought MEME within 1h: whale1 … ($…), … · total $… · MEME 0x…`. */
export function signalLine(view: SignalView): string {
  const note = signalWithdrawnNote(view);
  if (note) return `[${view.chain}] SIGNAL WITHDRAWN ${signalHeadline(view)}: ${note} · ${shortAddress(view.tx)}`;
  const wallets = view.wallets.map((wallet) => signalWalletText(view, wallet)).join(', ');
  const token = view.token.contract ? ` · ${view.token.symbol} ${view.token.contract}` : '';
  return `[${view.chain}] SIGNAL ${signalHeadline(view)}: ${wallets} · total ${formatUsd(view.totalUsd)}${token} · ${shortAddress(view.tx)}`;
}
