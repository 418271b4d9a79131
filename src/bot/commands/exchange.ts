import { addExchangeAccount, EXCHANGE_TITLES, type ExchangeAddArgs } from '../../usecases/addExchangeAccount.js';
import { listExchangeAccounts } from '../../usecases/listExchangeAccounts.js';
import { removeExchangeAccount } from '../../usecases/removeExchangeAccount.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';

export type ExchangeCommandArgs = ({ action: 'add' } & ExchangeAddArgs) | { action: 'list' } | { action: 'remove'; label?: string | undefined };

/** `exchange add|list|remove`: read-only exchange accounts; a key is never shown, only its last four characters. */
export async function exchange(ctx: CommandContext, args: ExchangeCommandArgs): Promise<Reply> {
  switch (args.action) {
    case 'add': {
      const added = await addExchangeAccount(ctx, args);
      return {
        title: 'Exchange account added',
        tone: 'success',
        lines: [
          `${added.label}: ${EXCHANGE_TITLES[added.exchange]}, key …${added.keyEnding}, stored encrypted. Its balances and trades sync within a minute; they count in PnL like a wallet's.`,
        ],
        data: added,
        ephemeral: true,
      };
    }
    case 'remove': {
      const removed = await removeExchangeAccount(ctx, { label: args.label });
      return {
        title: 'Exchange account removed',
        tone: 'success',
        lines: [`${removed.label} (${EXCHANGE_TITLES[removed.exchange]}) is removed with its key; its trades stay in the history.`],
        data: removed,
      };
    }
    case 'list': {
      const accounts = await listExchangeAccounts(ctx);
      const lines: Line[] = accounts.map((account) => [
        { text: account.label, bold: true },
        { text: `  ${EXCHANGE_TITLES[account.exchange]}  key …${account.keyEnding}  ` },
        { text: account.lastSyncAt ? `synced ${account.lastSyncAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : 'not synced yet' },
        { text: `  ${account.status}${account.problem ? `: ${account.problem}` : ''}` },
      ]);
      return {
        title: `Exchange accounts (${accounts.length})`,
        tone: 'info',
        lines: lines.length ? lines : ['No exchange account yet; add a read-only key with exchange add <binance|coinbase> --label L --key K --secret S.'],
        data: accounts.map((account) => ({ ...account, lastSyncAt: account.lastSyncAt?.toISOString() ?? null })),
      };
    }
  }
}
