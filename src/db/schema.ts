import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { decimal, rawAmount } from './numeric.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const id = () => bigserial('id', { mode: 'number' }).primaryKey();

/** A Discord guild, a Telegram chat, or `local` (the CLI): the owner of wallets, groups, routes and settings. */
export const workspaces = pgTable(
  'workspaces',
  {
    id: text('id').primaryKey(),
    platform: text('platform', { enum: ['local', 'discord', 'telegram'] }).notNull(),
    externalId: text('external_id').notNull(),
    name: text('name'),
    pnlMethod: text('pnl_method', { enum: ['fifo', 'average'] }).notNull().default('fifo'),
    /** Whether PnL adds network fees (and manual trades' fees) to the cost basis and deducts them from proceeds. */
    feesInBasis: boolean('fees_in_basis').notNull().default(false),
    alertsEnabled: boolean('alerts_enabled').notNull().default(true),
    alertsMinUsd: decimal('alerts_min_usd'),
    alertsTypes: text('alerts_types').array(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('workspaces_platform_external_uq').on(t.platform, t.externalId)],
);

/**
 * One address followed on one chain for one workspace. EVM addresses are stored lower-case.
 * Note: a label names one address in a workspace; the same address on several chains shares it.
 */
export const wallets = pgTable(
  'wallets',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    chain: text('chain').notNull(),
    address: text('address').notNull(),
    label: text('label').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('wallets_workspace_chain_address_uq').on(t.workspaceId, t.chain, t.address),
    uniqueIndex('wallets_workspace_chain_label_uq').on(t.workspaceId, t.chain, sql`lower(${t.label})`),
    index('wallets_chain_address_idx').on(t.chain, t.address),
  ],
);

export const groups = pgTable(
  'groups',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('groups_workspace_name_uq').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: bigint('group_id', { mode: 'number' })
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    walletId: bigint('wallet_id', { mode: 'number' })
      .notNull()
      .references(() => wallets.id, { onDelete: 'cascade' }),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.walletId] }), index('group_members_wallet_idx').on(t.walletId)],
);

/** Token metadata per chain; `address` is the lower-case EVM address, the mint, or `native`. */
export const tokens = pgTable(
  'tokens',
  {
    chain: text('chain').notNull(),
    address: text('address').notNull(),
    symbol: text('symbol'),
    name: text('name'),
    decimals: smallint('decimals').notNull(),
    isNative: boolean('is_native').notNull().default(false),
    isWrappedNative: boolean('is_wrapped_native').notNull().default(false),
    isStablecoin: boolean('is_stablecoin').notNull().default(false),
    isSpam: boolean('is_spam').notNull().default(false),
    /** True when the token did not give its symbol or decimals: it is read again after a while. */
    metadataFallback: boolean('metadata_fallback').notNull().default(false),
    /** False when the contract has no `decimals()`: `decimals` is then a placeholder, and amounts are shown raw. */
    decimalsKnown: boolean('decimals_known').notNull().default(true),
    /** When the metadata was last read from the chain; null for rows stored before it was kept (read again). */
    metadataCheckedAt: timestamp('metadata_checked_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address] })],
);

/** Per chain, the last processed block (or slot) and its hash. */
export const chainCursors = pgTable('chain_cursors', {
  chain: text('chain').primaryKey(),
  blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
  blockHash: text('block_hash'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per followed address on a chain that is read address by address (Solana): the newest signature
 * already processed, so that catching up after a restart or an outage starts right after it.
 */
export const addressCursors = pgTable(
  'address_cursors',
  {
    chain: text('chain').notNull(),
    address: text('address').notNull(),
    lastSignature: text('last_signature').notNull(),
    lastSlot: bigint('last_slot', { mode: 'bigint' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.address] })],
);

/** USD prices read once and kept: the native coin at a block, or a token's latest trade price. */
export const prices = pgTable(
  'prices',
  {
    chain: text('chain').notNull(),
    /** `native`, a token address or mint. */
    asset: text('asset').notNull(),
    /** The block or slot the price holds at; 0 for a price read without one (an API's current price). */
    blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
    priceUsd: decimal('price_usd').notNull(),
    /** `chainlink`, `pyth`, `trade`, `defillama`, `coingecko`, `dexscreener`, or `api` (rows from before the sources had names). */
    source: text('source').notNull(),
    /** When the price was true: the feed's update time, the trade's block time. */
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chain, t.asset, t.blockNumber, t.source] }),
    index('prices_latest_idx').on(t.chain, t.asset, t.observedAt),
  ],
);

/**
 * What a price source with history answered for one asset in one time bucket, so that the same question is
 * asked once. A null price is the source's "I know no price for it", kept for a while and then asked again.
 */
export const historicalPrices = pgTable(
  'historical_prices',
  {
    chain: text('chain').notNull(),
    /** `native`, a token address (lower-case on EVM) or mint. */
    asset: text('asset').notNull(),
    /** `defillama`, `coingecko`. */
    source: text('source').notNull(),
    /** The start of the time bucket the question was about. */
    bucketStart: timestamp('bucket_start', { withTimezone: true }).notNull(),
    priceUsd: decimal('price_usd'),
    /** When the price was true, as the source says; null with a null price. */
    observedAt: timestamp('observed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.asset, t.source, t.bucketStart] })],
);

/** Each wallet's holdings and their value at a moment, stored by the scheduled job: the value-over-time series. */
export const holdingSnapshots = pgTable(
  'holding_snapshots',
  {
    id: id(),
    chain: text('chain').notNull(),
    wallet: text('wallet').notNull(),
    asset: text('asset').notNull(),
    amount: rawAmount('amount').notNull(),
    /** Null when the asset had no price at the time. */
    valueUsd: decimal('value_usd'),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('holding_snapshots_uq').on(t.chain, t.wallet, t.asset, t.takenAt),
    index('holding_snapshots_wallet_idx').on(t.chain, t.wallet, t.takenAt),
  ],
);

/** Hashes of recently processed blocks, to detect a reorg by parent hash and undo it. */
export const recentBlocks = pgTable(
  'recent_blocks',
  {
    chain: text('chain').notNull(),
    blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
    blockHash: text('block_hash').notNull(),
    parentHash: text('parent_hash').notNull(),
    timestamp: timestamp('timestamp', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.chain, t.blockNumber] })],
);

/** Columns that place a chain record: unique and orderable, so re-processing is idempotent and a reorg can be undone. */
const chainPosition = () => ({
  chain: text('chain').notNull(),
  blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
  blockHash: text('block_hash').notNull(),
  blockTime: timestamp('block_time', { withTimezone: true }),
  txHash: text('tx_hash').notNull(),
  /** Position of the transaction in its block, when the chain tells it. */
  txIndex: integer('tx_index'),
});

/** The net change of one asset for one followed wallet in one transaction, raw integer amount. */
/**
 * Transactions a follower could not decode (a malformed body or receipt, an unsupported version): kept so
 * that `lookout explain` can say why a trade is missing, while the chain moves past them.
 */
export const skippedTransactions = pgTable(
  'skipped_transactions',
  {
    chain: text('chain').notNull(),
    txHash: text('tx_hash').notNull(),
    blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
    reason: text('reason').notNull(),
    firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.txHash] })],
);

export const balanceChanges = pgTable(
  'balance_changes',
  {
    id: id(),
    ...chainPosition(),
    wallet: text('wallet').notNull(),
    asset: text('asset').notNull(),
    amount: rawAmount('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('balance_changes_uq').on(t.chain, t.txHash, t.wallet, t.asset),
    index('balance_changes_wallet_idx').on(t.chain, t.wallet, t.blockNumber),
  ],
);

/** What one followed wallet did in one transaction, as classified. Keyed by (chain, tx, wallet), never by tx alone. */
export const trades = pgTable(
  'trades',
  {
    id: id(),
    ...chainPosition(),
    wallet: text('wallet').notNull(),
    kind: text('kind', {
      enum: ['buy', 'sell', 'swap', 'transfer_in', 'transfer_out', 'wrap', 'unwrap', 'other'],
    }).notNull(),
    failed: boolean('failed').notNull().default(false),
    /** The asset bought or sold (the non-quote side), when there is one. */
    baseAsset: text('base_asset'),
    baseAmount: rawAmount('base_amount'),
    /** The asset paid or received in exchange, when there is one. */
    quoteAsset: text('quote_asset'),
    quoteAmount: rawAmount('quote_amount'),
    /** Network fee paid by this wallet, in raw native units. */
    fee: rawAmount('fee').notNull().default(sql`0`),
    venue: text('venue'),
    /** Another address in a transfer, when there is exactly one. */
    counterparty: text('counterparty'),
    /** USD value at the time of the trade; null when it could not be priced. */
    usdValue: decimal('usd_value'),
    /** Unsolicited transfers of unknown tokens are stored but raise no alert. */
    isSpam: boolean('is_spam').notNull().default(false),
    /**
     * Native coin moved inside calls in this block for this wallet that could not be split between its
     * transactions (no call traces); it is not in the balance changes, and the alert says so.
     */
    unsplitNative: rawAmount('unsplit_native'),
    /**
     * Set when a reorg dropped the block after an alert for this trade went out; the row stays so
     * that the correction can say what was undone. Trades whose alerts never left are deleted instead.
     */
    revertedAt: timestamp('reverted_at', { withTimezone: true }),
    /**
     * True while the trade was seen only in a block being built (a Flashblocks preconfirmation): its block number is
     * the one being built and its block hash is not final. The follower settles it when that block seals: the same
     * transaction with the same deltas clears it; anything else retracts it as a reorg would. A retracted row keeps it.
     */
    preconfirmed: boolean('preconfirmed').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('trades_chain_tx_wallet_uq').on(t.chain, t.txHash, t.wallet).where(sql`${t.revertedAt} is null`),
    index('trades_preconfirmed_idx').on(t.chain, t.blockNumber).where(sql`${t.preconfirmed} and ${t.revertedAt} is null`),
    index('trades_wallet_time_idx').on(t.chain, t.wallet, t.blockNumber),
    index('trades_created_idx').on(t.createdAt),
  ],
);

/** One movement of one asset touching a followed wallet: an ERC-20 Transfer log, a native send, an SPL transfer. */
export const transfers = pgTable(
  'transfers',
  {
    id: id(),
    ...chainPosition(),
    /** Log index on EVM chains, instruction index on Solana; -1 for a transaction's own native value. */
    position: integer('position').notNull(),
    asset: text('asset').notNull(),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    amount: rawAmount('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('transfers_uq').on(t.chain, t.txHash, t.position, t.asset),
    index('transfers_from_idx').on(t.chain, t.fromAddress),
    index('transfers_to_idx').on(t.chain, t.toAddress),
  ],
);

/** Where a workspace's alerts go: a chat, a channel, or the console, optionally for one group only. */
export const alertRoutes = pgTable(
  'alert_routes',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** `console`, `telegram:<chat id>` or `discord:<channel id>`. */
    destination: text('destination').notNull(),
    groupId: bigint('group_id', { mode: 'number' }).references(() => groups.id, { onDelete: 'cascade' }),
    minUsd: decimal('min_usd'),
    types: text('types').array(),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    pausedReason: text('paused_reason'),
    /**
     * The multi-wallet buy signal of a group route: this many of the group's wallets buying the same token
     * within `signal_window_seconds` raise one signal. Both null when the signal is off (always on a route
     * without a group).
     */
    signalMinWallets: smallint('signal_min_wallets'),
    signalWindowSeconds: integer('signal_window_seconds'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('alert_routes_uq').on(t.workspaceId, t.destination, sql`coalesce(${t.groupId}, 0)`),
    check(
      'alert_routes_signal_ck',
      sql`(${t.signalMinWallets} is null and ${t.signalWindowSeconds} is null) or (${t.groupId} is not null and ${t.signalMinWallets} >= 2 and ${t.signalWindowSeconds} > 0)`,
    ),
  ],
);

/**
 * One multi-wallet buy signal: enough wallets of a group bought the same token within a route's window.
 * Unique per (route's destination and group, token, window start), so a burst raises it once; the window
 * starts at the burst's first counted buy and no new signal for that token starts before it ends.
 */
export const walletSignals = pgTable(
  'wallet_signals',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    destination: text('destination').notNull(),
    groupId: bigint('group_id', { mode: 'number' })
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    chain: text('chain').notNull(),
    /** The token bought: a lower-case EVM address, a mint, or `native`. */
    token: text('token').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    minWallets: smallint('min_wallets').notNull(),
    /** The buy that made the count reach the minimum; a reorg that deletes it before delivery drops the signal. */
    triggerTradeId: bigint('trigger_trade_id', { mode: 'number' })
      .notNull()
      .references(() => trades.id, { onDelete: 'cascade' }),
    /** `SignalPayload`: the wallets counted, their raw amounts and USD values, as the buys stood when it was raised. */
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wallet_signals_uq').on(t.workspaceId, t.destination, t.groupId, t.chain, t.token, t.windowStart),
    index('wallet_signals_trigger_idx').on(t.triggerTradeId),
  ],
);

/**
 * Where a webhook destination posts: `webhook:<id>` in alert_routes and alert_outbox names a row here. The
 * secret signs each POST and is never shown again; `rejections` counts the 4xx answers in a row, and pauses
 * the destination when it reaches a run.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    rejections: integer('rejections').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('webhook_endpoints_url_uq').on(t.workspaceId, t.url)],
);

/** One row per (event, destination): the durable queue that alert delivery works through. */
export const alertOutbox = pgTable(
  'alert_outbox',
  {
    id: id(),
    tradeId: bigint('trade_id', { mode: 'number' })
      .notNull()
      .references(() => trades.id, { onDelete: 'cascade' }),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    destination: text('destination').notNull(),
    /**
     * `alert` for a new trade, `correction` when a delivered trade was undone by a reorg, `signal` for a
     * multi-wallet buy signal (its trade is the buy that raised it).
     */
    kind: text('kind', { enum: ['alert', 'correction', 'signal'] }).notNull().default('alert'),
    /** The signal a `signal` row carries; null for the other kinds. */
    signalId: bigint('signal_id', { mode: 'number' }).references(() => walletSignals.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['pending', 'sending', 'sent', 'failed', 'cancelled', 'paused'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /**
     * When the message carrying this alert was handed to the platform, in the current claim: a row still
     * `sending` with it set after a crash was in flight, and may have reached the chat.
     */
    attemptedAt: timestamp('attempted_at', { withTimezone: true }),
    /** The platform's id of the message that carried this alert, once it answered. */
    platformMessageId: text('platform_message_id'),
    lastError: text('last_error'),
    /**
     * What a correction retracts (`CorrectionPayload`: the legs of the undone trade), written by `revertChain`
     * because a reorg deletes the trade's balance changes while the correction still has to show them; null
     * for an alert, which is built from the stored trade.
     */
    payload: jsonb('payload'),
    /**
     * The instance delivering a `sending` row (`<instance>#<process token>`) and until when its claim holds: another
     * instance takes a row over only once the claim expired, so that an alert in flight on a live instance is
     * never sent twice.
     */
    claimedBy: text('claimed_by'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('alert_outbox_uq').on(t.tradeId, t.workspaceId, t.destination, t.kind, sql`coalesce(${t.signalId}, 0)`),
    index('alert_outbox_due_idx').on(t.state, t.nextAttemptAt),
    check('alert_outbox_attempts_ck', sql`${t.attempts} >= 0`),
  ],
);

/**
 * Work that one instance at a time may do (following a chain, holding a chat connection), when several `lookout
 * run` share one Postgres. The holder renews its lease on a heartbeat; `epoch` grows at each takeover, and every
 * write of a follower checks it, so an instance that lost its lease (paused, cut off) can no longer write.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  /** The instance's name (LOOKOUT_INSTANCE, else the host name). */
  holder: text('holder').notNull(),
  /** The holding process, so that a restart under the same name is told apart from the live holder. */
  holderToken: text('holder_token').notNull(),
  epoch: bigint('epoch', { mode: 'bigint' }).notNull(),
  acquiredAt: timestamp('acquired_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * Requests of an API key per minute, counted in the database so that every instance behind one load balancer
 * counts against the same limit. A row per key and minute; rows of minutes past are deleted as they are met.
 */
export const apiRequestWindows = pgTable(
  'api_request_windows',
  {
    keyId: bigint('key_id', { mode: 'number' })
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.windowStart] })],
);

/** Append-only record of who changed what, in which workspace, when. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    workspaceId: text('workspace_id').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    details: jsonb('details').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_workspace_at_idx').on(t.workspaceId, t.at)],
);

/**
 * A trade entered by hand (off chain, over the counter, on an exchange) for a wallet of the workspace:
 * a tracked address's chain, or a manual wallet (chain `manual`). Amounts are raw integers with their decimals.
 */
export const manualTrades = pgTable(
  'manual_trades',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    walletId: bigint('wallet_id', { mode: 'number' })
      .notNull()
      .references(() => wallets.id, { onDelete: 'cascade' }),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    /** A token address (or `native`) on the wallet's chain, or an upper-case symbol on a manual wallet. */
    asset: text('asset').notNull(),
    symbol: text('symbol'),
    decimals: smallint('decimals').notNull(),
    amount: rawAmount('amount').notNull(),
    /** `USD`, or an asset as above. */
    quoteAsset: text('quote_asset').notNull(),
    quoteSymbol: text('quote_symbol'),
    quoteDecimals: smallint('quote_decimals').notNull(),
    quoteAmount: rawAmount('quote_amount').notNull(),
    feeAsset: text('fee_asset'),
    feeSymbol: text('fee_symbol'),
    feeDecimals: smallint('fee_decimals'),
    feeAmount: rawAmount('fee_amount'),
    /** Exact when the total is in USD or a stablecoin; null otherwise. */
    usdValue: decimal('usd_value'),
    feeUsd: decimal('fee_usd'),
    tradedAt: timestamp('traded_at', { withTimezone: true }).notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('manual_trades_wallet_idx').on(t.walletId, t.tradedAt),
    check('manual_trades_amount_ck', sql`${t.amount} > 0 and ${t.quoteAmount} >= 0`),
  ],
);

/**
 * A key for the HTTP API, of one workspace. Only the SHA-256 of the key is kept: the key itself is shown once,
 * when it is created, and can never be read back.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Names the key in `lookout apikey list` and in the audit log (`api:<name>`). */
    name: text('name').notNull(),
    /** Hex SHA-256 of the whole key, `lk_` prefix included. */
    keyHash: text('key_hash').notNull(),
    /** A read-only key may read everything of its workspace and change nothing. */
    readOnly: boolean('read_only').notNull().default(false),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_hash_uq').on(t.keyHash),
    uniqueIndex('api_keys_workspace_name_uq').on(t.workspaceId, sql`lower(${t.name})`).where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * A read-only API key of an exchange account (Binance, Coinbase), synced on a schedule into the trades of its wallet
 * (chain `binance` or `coinbase`). Key, secret and passphrase are sealed with AES-256-GCM under LOOKOUT_SECRET_KEY;
 * only the key's last characters are kept in clear, to tell keys apart.
 */
export const exchangeAccounts = pgTable(
  'exchange_accounts',
  {
    id: id(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    walletId: bigint('wallet_id', { mode: 'number' })
      .notNull()
      .references(() => wallets.id, { onDelete: 'cascade' }),
    exchange: text('exchange', { enum: ['binance', 'coinbase'] }).notNull(),
    /** `v1.<iv>.<tag>.<ciphertext>`, base64 parts, a random IV per value. */
    keyCiphertext: text('key_ciphertext').notNull(),
    secretCiphertext: text('secret_ciphertext').notNull(),
    passphraseCiphertext: text('passphrase_ciphertext'),
    /** The key's last four characters, shown in `exchange list`. */
    keyEnding: text('key_ending').notNull(),
    /** Per market symbol, the time (ms) of the newest trade stored: the next sync asks from there. */
    cursor: jsonb('cursor').$type<Record<string, number>>().notNull().default({}),
    lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
    /** Why the last sync failed, in one sentence; null after a sync that worked. */
    lastError: text('last_error'),
    /** Set when the exchange refused the key: the account is not synced again until it is added anew. */
    refusedAt: timestamp('refused_at', { withTimezone: true }),
    /** No sync before this moment: a rate limit or an outage of the exchange backs off. */
    nextSyncAt: timestamp('next_sync_at', { withTimezone: true }).notNull().defaultNow(),
    failures: integer('failures').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('exchange_accounts_wallet_uq').on(t.walletId), index('exchange_accounts_due_idx').on(t.nextSyncAt)],
);
