/** The CLI's help text. */
export const USAGE = `Lookout: watch crypto wallets together, with trade alerts and PnL.

Usage: lookout <command> [options]

Commands:
  run [--json]                          migrate, then follow the configured chains and print
                                        the workspace's alerts (--json: one object per line)
  migrate                               apply database migrations and exit
  track <address> [--chain NAME] [--label TEXT] [--group NAME] [--since 7d | --from-block N]
                                        track a wallet; an EVM address without --chain is tracked
                                        on every followed EVM chain, a Solana address on Solana;
                                        --since/--from-block also read its history (no alerts)
  untrack <address|label> [--chain NAME]
  wallets [--json]                      list tracked wallets
  group create|delete <name>
  group add|remove <name> <wallet...>   wallets by label or address
  group list [--json]
  trades [--wallet X | --group G] [--since 24h] [--json]
  explain <tx-hash|signature|file>... [--wallet ADDRESS]... [--chain NAME] [--json]
                                        what Lookout sees in a transaction: each wallet's
                                        deltas, fee and kind; from the RPC or a saved file
  pnl [--wallet X | --group G] [--window 24h|7d|30d|all] [--method fifo|average] [--json]
      [--chart FILE.png] [--size 800x480]
                                        profit and loss; win rate = closed positions sold at a
                                        profit over all closed positions
  settings [--alerts on|off] [--min-usd N] [--types buy,sell,...] [--pnl-method fifo|average] [--json]
                                        show or change the workspace's alert and PnL settings
  discord register                      register the Discord slash commands
  help                                  show this text

Every command takes --workspace NAME (default: local); discord:<guild id> and
telegram:<chat id> name a chat platform's workspace.

Configuration comes from the environment and ./lookout.config.json (or LOOKOUT_CONFIG):
DATABASE_URL, LOOKOUT_DATA_DIR, LOOKOUT_CHAINS, BASE_RPC_URL, SONIC_RPC_URL,
ETHEREUM_RPC_URL, SOLANA_RPC_URL, SOLANA_WS_URL, LOG_LEVEL. See README.md.
`;
