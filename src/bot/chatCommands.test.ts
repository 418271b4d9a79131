import { describe, expect, it } from 'vitest';
import { CHAT_COMMANDS, changesWorkspace } from './chatCommands.js';
import { discordCommands, needsManageServer } from './discord/discordCommands.js';

describe('the chat command table', () => {
  it.each([
    ['track', null, true],
    ['untrack', 'whale', true],
    ['trade', 'remove', true],
    ['wallets', null, false],
    ['pnl', 'whales', false],
    ['trades', null, false],
    ['help', null, false],
    ['group', 'list', false],
    ['group', null, false],
    ['group', 'new', true],
    ['group', 'create', true],
    ['group', 'ADD', true],
    ['group', 'delete', true],
    ['alerts', null, false],
    ['alerts', 'show', false],
    ['alerts', 'list', false],
    ['alerts', 'routes', false],
    ['alerts', 'on', true],
    ['alerts', 'min', true],
    ['alerts', 'method', true],
    ['alerts', 'route', true],
    ['alerts', 'remove', true],
    ['trade', 'add', true],
    ['trade', 'remove', true],
    ['trades', 'csv', false],
    ['nonsense', 'remove', false],
  ])('behavior: /%s %s changes the workspace: %s', (name, action, changes) => {
    expect(changesWorkspace(name, action)).toBe(changes);
    expect(needsManageServer(name, action)).toBe(changes);
  });

  it("behavior: Discord registers the table's commands with its descriptions, and every subcommand has a known admin rule", () => {
    const registered = discordCommands(['base']);
    const table = new Map<string, string>(CHAT_COMMANDS.map((command) => [command.name, command.description]));
    const reading = new Set(['list', 'show']);
    for (const command of registered) {
      expect(table.get(command.name), command.name).toBe(command.description);
      const subcommands = (command.options ?? []).filter((option) => option.type === 1).map((option) => option.name);
      for (const sub of subcommands) expect(needsManageServer(command.name, sub), `${command.name} ${sub}`).toBe(!reading.has(sub));
    }
    expect(registered.map((command) => command.name).sort()).toEqual(['alerts', 'exchange', 'gas', 'group', 'pnl', 'track', 'trade', 'trades', 'untrack', 'wallets']);
  });
});
