import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A WebSocket relay on 127.0.0.1 in front of a node's WebSocket, which can drop its connections and refuse new ones. */
export type WsRelay = {
  url: string;
  /** When each connection attempt came (refused ones included), in ms since the epoch. */
  attempts(): number[];
  /** `eth_subscribe` requests relayed to the node. */
  subscribes(): number;
  /** Cuts every open connection and refuses new ones until `accept()`. */
  drop(): void;
  accept(): void;
  stop(): Promise<void>;
};

/** Starts a relay that passes every message between its clients and `upstream` (e.g. anvil's `ws://` URL) unchanged. */
export async function startWsRelay(upstream: string): Promise<WsRelay> {
  const server = createServer((_, response) => void response.writeHead(405).end());
  const sockets = new WebSocketServer({ noServer: true });
  const upstreams = new Set<WebSocket>();
  const attempts: number[] = [];
  let subscribes = 0;
  let refusing = false;

  server.on('upgrade', (request, socket, head) => {
    attempts.push(Date.now());
    if (refusing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      const node = new WebSocket(upstream);
      upstreams.add(node);
      const pending: string[] = [];
      client.on('message', (data) => {
        const text = String(data);
        if (text.includes('"eth_subscribe"')) subscribes++;
        if (node.readyState === WebSocket.OPEN) node.send(text);
        else pending.push(text);
      });
      node.on('open', () => pending.splice(0).forEach((text) => node.send(text)));
      node.on('message', (data) => client.readyState === WebSocket.OPEN && client.send(String(data)));
      const end = () => {
        upstreams.delete(node);
        node.terminate();
        client.terminate();
      };
      client.on('close', end);
      node.on('close', end);
      node.on('error', end);
      client.on('error', end);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const cut = () => {
    for (const client of sockets.clients) client.terminate();
    for (const node of upstreams) node.terminate();
  };
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts: () => [...attempts],
    subscribes: () => subscribes,
    drop() {
      refusing = true;
      cut();
    },
    accept() {
      refusing = false;
    },
    async stop() {
      refusing = true;
      cut();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
