import { describe, expect, it } from 'vitest';
import { applySolanaFollowMode, applySolanaStream } from './solanaFollowMode.js';

describe('applySolanaFollowMode', () => {
  it('behavior: SOLANA_FOLLOW_MODE sets the mode of the Solana chains only, over the file', () => {
    const chains: Parameters<typeof applySolanaFollowMode>[0] = [
      { name: 'solana', kind: 'solana', followMode: 'addresses' },
      { name: 'base', kind: 'evm' },
    ];
    applySolanaFollowMode(chains, { SOLANA_FOLLOW_MODE: ' Blocks ' });
    expect(chains).toEqual([{ name: 'solana', kind: 'solana', followMode: 'blocks' }, { name: 'base', kind: 'evm' }]);
  });

  it('error: an unknown mode, or a followMode on an EVM chain, is refused with one sentence', () => {
    expect(() => applySolanaFollowMode([{ name: 'solana', kind: 'solana' }], { SOLANA_FOLLOW_MODE: 'fast' })).toThrow(
      "SOLANA_FOLLOW_MODE must be one of auto, addresses, blocks, grpc; 'fast' is not one.",
    );
    expect(() => applySolanaFollowMode([{ name: 'base', kind: 'evm', followMode: 'blocks' }], {})).toThrow(
      "followMode applies to Solana chains only; remove it from chain 'base'.",
    );
  });
});

describe('applySolanaStream', () => {
  it('behavior: SOLANA_GRPC_URL and SOLANA_GRPC_TOKEN give the solana chain its stream; SOLANA_COMMITMENT every Solana chain its commitment', () => {
    const chains: Parameters<typeof applySolanaStream>[0] = [
      { name: 'solana', kind: 'solana' },
      { name: 'base', kind: 'evm' },
    ];
    applySolanaStream(chains, { SOLANA_GRPC_URL: ' https://grpc.example.com:443 ', SOLANA_GRPC_TOKEN: 'secret', SOLANA_COMMITMENT: 'Processed' });
    expect(chains).toEqual([
      { name: 'solana', kind: 'solana', grpcUrl: 'https://grpc.example.com:443', grpcToken: 'secret', commitment: 'processed' },
      { name: 'base', kind: 'evm' },
    ]);
  });

  it('error: a bad URL or commitment, grpc without a stream, or processed without one is refused with one sentence', () => {
    expect(() => applySolanaStream([{ name: 'solana', kind: 'solana' }], { SOLANA_GRPC_URL: 'grpc.example.com' })).toThrow(
      'SOLANA_GRPC_URL must be an http:// or https:// URL of a Yellowstone gRPC endpoint.',
    );
    expect(() => applySolanaStream([{ name: 'solana', kind: 'solana' }], { SOLANA_COMMITMENT: 'finalized' })).toThrow(
      "SOLANA_COMMITMENT must be confirmed or processed; 'finalized' is not one.",
    );
    expect(() => applySolanaStream([{ name: 'solana', kind: 'solana', followMode: 'grpc' }], {})).toThrow(
      "Solana chain 'solana' follows by grpc but has no stream; set SOLANA_GRPC_URL or choose another SOLANA_FOLLOW_MODE.",
    );
    expect(() => applySolanaStream([{ name: 'solana', kind: 'solana' }], { SOLANA_COMMITMENT: 'processed' })).toThrow(
      "SOLANA_COMMITMENT=processed needs the gRPC stream (SOLANA_GRPC_URL) on chain 'solana': Solana's getBlock serves confirmed blocks only.",
    );
    expect(() =>
      applySolanaStream([{ name: 'solana', kind: 'solana', followMode: 'blocks' }], { SOLANA_GRPC_URL: 'http://127.0.0.1:10000', SOLANA_COMMITMENT: 'processed' }),
    ).toThrow('SOLANA_COMMITMENT=processed needs the gRPC stream');
  });
});
