import { z } from 'zod';

// Note: one set of zod schemas validates requests, checks responses and writes the OpenAPI document.

/** An exact decimal number as text: amounts and USD are never JSON numbers, which would lose digits. */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/).describe('an exact decimal number, as a string');
/** A time as ISO-8601 text in UTC. */
export const isoTime = z.string().describe('an ISO-8601 time in UTC');

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'unsupported_media_type', 'internal']),
      message: z.string().describe('one sentence: what was wrong and what to do'),
    }),
  })
  .describe('An error');

/** The error answers every route of the API may give, beside its own. */
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema };

export const walletSchema = z.object({
  label: z.string(),
  address: z.string(),
  chains: z.array(z.string()),
  groups: z.array(z.string()),
  addedAt: isoTime,
});

export const trackBodySchema = z
  .object({
    address: z.string().max(200).describe('an EVM 0x address or a Solana address'),
    chain: z.string().max(64).optional().describe('one chain; default every followed chain of the address kind'),
    label: z.string().max(200).optional().describe('1 to 32 characters; default the short address'),
    group: z.string().max(200).optional().describe('an existing group to add the wallet to'),
    since: z.string().max(20).optional().describe('also read its history over this long: 24h, 7d, 30d'),
    fromBlock: z.string().max(30).optional().describe('also read its history from this block (a slot on Solana) on'),
  })
  .strict();

export const trackedSchema = z.object({
  address: z.string(),
  label: z.string(),
  group: z.string().nullable(),
  chains: z.array(z.string()),
  history: z.string().nullable().describe('what reading its history said, when asked'),
});

export const walletRowSchema = z.object({ chain: z.string(), address: z.string(), label: z.string() });

export const groupSchema = z.object({
  name: z.string(),
  wallets: z.array(z.object({ label: z.string(), address: z.string(), chains: z.array(z.string()) })),
});

export const tokenAmountSchema = z.object({
  asset: z.string().nullable(),
  symbol: z.string().nullable(),
  decimals: z.number().int().nullable(),
  amount: decimalString.nullable().describe('in whole tokens; null when the decimals are unknown'),
  rawAmount: decimalString.nullable().describe('in the smallest unit'),
});

export const tradeSchema = z.object({
  id: z.number().int(),
  chain: z.string(),
  wallet: z.string(),
  label: z.string(),
  txHash: z.string(),
  blockNumber: decimalString,
  blockTime: isoTime.nullable(),
  kind: z.string(),
  base: tokenAmountSchema,
  quote: tokenAmountSchema,
  feeRaw: decimalString.describe("network fee in the native coin's smallest unit"),
  usdValue: decimalString.nullable(),
  venue: z.string().nullable(),
  counterparty: z.string().nullable(),
  failed: z.boolean(),
  spam: z.boolean(),
});

export const tradePageSchema = z.object({
  trades: z.array(tradeSchema),
  next: z.string().nullable().describe('pass as cursor to get the next page; null on the last page'),
});

export const scopeQuerySchema = z.object({
  wallet: z.string().max(200).optional().describe('one wallet, by label or address'),
  group: z.string().max(200).optional().describe('the wallets of one group'),
});

export const pnlQuerySchema = scopeQuerySchema.extend({
  window: z.string().max(10).optional().describe('24h, 7d, 30d or all (default all)'),
  method: z.string().max(10).optional().describe("fifo or average (default: the workspace's setting)"),
});

const usd = decimalString;
export const pnlReportSchema = z.object({
  method: z.enum(['fifo', 'average']),
  window: z.enum(['24h', '7d', '30d', 'all']),
  feesInBasis: z.boolean(),
  realizedUsd: usd,
  unrealizedUsd: usd,
  investedUsd: usd,
  carriedInUsd: usd,
  boughtUsd: usd,
  leftAtCostUsd: usd,
  proceedsUsd: usd,
  valueUsd: usd,
  heldAtCostUsd: usd,
  unknownProceedsUsd: usd,
  unknownValueUsd: usd,
  feesUsd: usd,
  unpricedFees: z.number().int(),
  roi: decimalString.nullable(),
  winRate: decimalString.nullable(),
  closedPositions: z.number().int(),
  unpricedTrades: z.number().int(),
  unpriced: z.array(
    z.object({
      id: z.string(),
      tx: z.string(),
      chain: z.string(),
      wallet: z.string(),
      time: isoTime,
      kind: z.string(),
      manual: z.boolean(),
      reason: z.enum(['no_usd_value', 'several_tokens']),
    }),
  ),
  unknownBasis: z.array(
    z.object({
      chain: z.string(),
      token: z.string(),
      symbol: z.string().nullable(),
      amount: decimalString,
      byOrigin: z.object({ received: decimalString, unpriced: decimalString, unseen: decimalString }),
      valueUsd: usd.nullable(),
    }),
  ),
  positions: z.array(
    z.object({
      chain: z.string(),
      token: z.string(),
      symbol: z.string().nullable(),
      decimals: z.number().int(),
      amount: decimalString,
      unknownBasisAmount: decimalString,
      costBasisUsd: usd,
      realizedUsd: usd,
      unknownProceedsUsd: usd,
      unrealizedUsd: usd.nullable(),
      valueUsd: usd.nullable(),
      priceUsd: decimalString.nullable(),
      priceAt: isoTime.nullable(),
    }),
  ),
});

export const portfolioSchema = z.object({
  at: isoTime.describe('when the values were computed'),
  valueUsd: usd.describe('the value of every holding with a price'),
  holdings: z.array(
    z.object({
      chain: z.string(),
      token: z.string(),
      symbol: z.string().nullable(),
      decimals: z.number().int(),
      amount: decimalString,
      valueUsd: usd.nullable(),
      priceUsd: decimalString.nullable(),
      priceAt: isoTime.nullable(),
      priceAgeSeconds: z.number().int().nullable(),
      stale: z.boolean().describe('the price is older than an hour'),
    }),
  ),
});

export const historySchema = z.object({
  window: z.enum(['24h', '7d', '30d', 'all']),
  points: z.array(z.object({ at: isoTime, valueUsd: usd })),
});

export const alertRouteSchema = z.object({
  id: z.number().int(),
  destination: z.string(),
  group: z.string().nullable(),
  minUsd: usd.nullable(),
  types: z.array(z.string()).nullable(),
  signal: z
    .object({ minWallets: z.number().int(), windowSeconds: z.number().int() })
    .nullable()
    .describe("a group route's multi-wallet buy signal: this many of its wallets buying one token within the window; null when off"),
  paused: z.boolean(),
  pausedReason: z.string().nullable(),
  /** A webhook route's host and path; its secret is never shown again. */
  webhook: z.string().nullable(),
  createdBy: z.string(),
  createdAt: isoTime,
});

export const alertRouteBodySchema = z
  .object({
    destination: z
      .string()
      .regex(/^(console|telegram:-?\d{1,20}|discord:\d{1,20})$/, { message: 'must be console, telegram:<chat id> or discord:<channel id>' })
      .optional()
      .describe('where the alerts go; give either destination or webhook'),
    webhook: z
      .object({ url: z.string().max(2000), secret: z.string().max(200) })
      .strict()
      .optional()
      .describe('post each alert to this http(s) URL, signed with the secret (shown only here, never again)'),
    group: z.string().max(200).optional(),
    minUsd: z.string().max(40).optional().describe('a minimum in USD such as 500; 0 for none'),
    types: z.string().max(200).optional().describe('kinds of trade such as buy,sell; all for every kind'),
    signal: z.string().max(20).optional().describe('with a group: wallets/window such as 3/1h (the default for a group route), or off'),
  })
  .strict();

export const settingsSchema = z.object({
  alertsEnabled: z.boolean(),
  alertsMinUsd: usd.nullable(),
  alertsTypes: z.array(z.string()).nullable(),
  pnlMethod: z.enum(['fifo', 'average']),
  feesInBasis: z.boolean(),
});

export const settingsBodySchema = z
  .object({
    alertsEnabled: z.boolean().optional(),
    alertsMinUsd: z.string().max(40).optional().describe('a minimum in USD such as 500; 0 for none'),
    alertsTypes: z.string().max(200).optional().describe('kinds of trade such as buy,sell; all for every kind'),
    pnlMethod: z.string().max(10).optional().describe('fifo or average'),
    feesInBasis: z.boolean().optional(),
  })
  .strict();
