/**
 * The WebSocket URL a provider most likely serves beside an HTTP RPC URL: the same host, port and path with
 * `wss://` for `https://` and `ws://` for `http://` (Alchemy, QuickNode, Infura's /ws aside, anvil, geth with
 * both servers on one port). Null when the URL is not http(s). Only a guess: the caller tries it once.
 */
export function deriveWsUrl(rpcUrl: string | undefined): string | null {
  if (!rpcUrl) return null;
  const match = /^http(s?):\/\//i.exec(rpcUrl);
  return match ? `ws${match[1]!.toLowerCase()}://${rpcUrl.slice(match[0].length)}` : null;
}
