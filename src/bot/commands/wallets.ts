import { explorerUrl } from '../../config/chainPresets.js';
import { listWallets } from '../../db/walletQueries.js';
import { displayAddress } from '../../tracker/walletAddress.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';

/** Lists the workspace's wallets: one line per address with its chains and groups. */
export async function walletsCommand(ctx: CommandContext): Promise<Reply> {
  const rows = await listWallets(ctx.db, ctx.workspaceId);
  const byAddress = new Map<string, { label: string; address: string; chains: string[]; groups: Set<string>; addedAt: Date }>();
  for (const row of rows) {
    const entry = byAddress.get(row.address) ?? {
      label: row.label,
      address: row.address,
      chains: [],
      groups: new Set<string>(),
      addedAt: row.addedAt,
    };
    entry.chains.push(row.chain);
    for (const group of row.groups) entry.groups.add(group);
    byAddress.set(row.address, entry);
  }
  const entries = [...byAddress.values()];
  const lines: Line[] = entries.map((entry) => {
    const chain = ctx.config.chains.find((candidate) => candidate.name === entry.chains[0]);
    const shown = displayAddress(entry.address);
    return [
      { text: entry.label, bold: true },
      { text: '  ' },
      chain ? { text: shown, code: true, url: explorerUrl(chain, 'address', shown) } : { text: shown, code: true },
      { text: `  ${entry.chains.join(', ')}` },
      { text: entry.groups.size ? `  [${[...entry.groups].join(', ')}]` : '' },
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
      groups: [...entry.groups],
      addedAt: entry.addedAt.toISOString(),
    })),
  };
}
