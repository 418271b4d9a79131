import { chatCommand } from '../bot/chatCommands.js';
import { COMMANDS, type CommandSpec } from './commandTable.js';

const COLUMN = 38;

/** The CLI's help text: every command with its usage and what it does. */
export function generalUsage(): string {
  const lines = ['Lookout: watch crypto wallets together, with trade alerts and PnL.', '', 'Usage: lookout <command> [options]', '', 'Commands:'];
  for (const command of COMMANDS) {
    if (command.usage.length === 1) {
      lines.push(...columns(`  ${command.usage[0]}`, command.summary));
    } else {
      lines.push(...command.usage.map((line) => `  ${line}`), `${' '.repeat(COLUMN)}${command.summary}`);
    }
  }
  lines.push(
    '',
    'Run lookout <command> --help (or lookout help <command>) for its options; lookout --version prints the version.',
    'Every data command takes --workspace NAME (default: local); discord:<guild id> and telegram:<chat id> name',
    "a chat platform's workspace.",
    '',
    'Configuration comes from the environment and ./lookout.config.json (or LOOKOUT_CONFIG): DATABASE_URL,',
    'LOOKOUT_DATA_DIR, LOOKOUT_CHAINS, BASE_RPC_URL, SONIC_RPC_URL, ETHEREUM_RPC_URL, SOLANA_RPC_URL,',
    'SOLANA_WS_URL, LOG_LEVEL, TELEGRAM_BOT_TOKEN, DISCORD_TOKEN and more: see README.md.',
    '',
  );
  return lines.join('\n');
}

/** One command's help: its usage lines, what it does, and each option. */
export function commandUsage(command: CommandSpec): string {
  const lines = command.usage.map((line, index) => `${index === 0 ? 'Usage: lookout ' : '              '}${line}`);
  lines.push('', `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`);
  const options = Object.entries(command.options);
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, option] of options) {
      const flag = `  --${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
      lines.push(...columns(flag, option.help));
    }
  }
  if (command.notes) lines.push('', ...command.notes);
  const chat = command.chat === undefined ? undefined : chatCommand(command.chat);
  if (chat) lines.push('', `In a chat: ${chat.usage}`, `  ${chat.description}; ${whoMayChange(chat.changes)}.`);
  lines.push('');
  return lines.join('\n');
}

function columns(left: string, right: string): string[] {
  if (left.length < COLUMN) return [`${left.padEnd(COLUMN)}${right}`];
  return [left, `${' '.repeat(COLUMN)}${right}`];
}

/** Who may use a chat command in a group, from the admin flags of the chat command table. */
function whoMayChange(changes: boolean | readonly string[]): string {
  if (changes === true) return 'in group chats and servers, administrators only';
  if (changes === false) return 'anyone in the chat';
  return `in group chats and servers, ${changes.join(', ')} by administrators only`;
}
