import { explorerUrl } from '../../config/chainPresets.js';
import { displayAddress } from '../../tracker/walletAddress.js';
import { listWallets } from '../../usecases/listWallets.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';

/** Lists the workspace's wallets: one line per address with its chains and groups. */
export async function walletsCommand(ctx: CommandContext): Promise<Reply> {
  const entries = await listWallets(ctx);
  const lines: Line[] = entries.map((entry) => {
    const chain = ctx.config.chains.find((candidate) => candidate.name === entry.chains[0]);
    const shown = displayAddress(entry.address);
    return [
      { text: entry.label, bold: true },
      { text: '  ' },
      chain ? { text: shown, code: true, url: explorerUrl(chain, 'address', shown) } : { text: shown, code: true },
      { text: `  ${entry.chains.join(', ')}` },
      { text: entry.groups.length ? `  [${entry.groups.join(', ')}]` : '' },
    ];
  });
  return {
    title: `Wallets (${entries.length})`,
    tone: 'info',
    lines: lines.length ? lines : ['No wallets are tracked yet; add one with track <address> [label].'],
    data: entries.map((entry) => ({
      label: entry.label,
      address: displayAddress(entry.address),
      chains: entry.chains,
      groups: entry.groups,
      addedAt: entry.addedAt.toISOString(),
    })),
  };
}
