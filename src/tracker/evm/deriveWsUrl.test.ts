import { describe, expect, it } from 'vitest';
import { deriveWsUrl } from './deriveWsUrl.js';

describe('deriveWsUrl', () => {
  it('behavior: https becomes wss and http becomes ws on the same host, port and path', () => {
    expect(deriveWsUrl('https://base-mainnet.g.alchemy.com/v2/KEY')).toBe('wss://base-mainnet.g.alchemy.com/v2/KEY');
    expect(deriveWsUrl('http://127.0.0.1:8545')).toBe('ws://127.0.0.1:8545');
    expect(deriveWsUrl('HTTPS://Node.example:443/rpc')).toBe('wss://Node.example:443/rpc');
  });

  it('edge: nothing to derive from a missing or non-http URL', () => {
    expect(deriveWsUrl(undefined)).toBeNull();
    expect(deriveWsUrl('ipc:///tmp/geth.ipc')).toBeNull();
  });
});
