import { Connection } from '@solana/web3.js';
import { createPublicClient, fallback, http } from 'viem';
import type { ChainConfig } from '../config/chainPresets.js';
import { redactUrl, type Logger } from '../logger.js';
import { backoffDelay } from './backoff.js';

export type HeadWatcher = { stop(): Promise<void> };

/**
 * Follows a chain's head (block number, or slot on Solana) at its block time.
 * An unreachable RPC is reported once, retried with backoff, and reported again when it answers.
 */
export function createHeadWatcher(
  chain: ChainConfig,
  logger: Logger,
  onHead: (head: bigint) => void | Promise<void> = () => {},
): HeadWatcher {
  const log = logger.child({ component: 'head', chain: chain.name });
  const readHead = headReader(chain);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let failures = 0;
  let last: bigint | undefined;

  const loop = async () => {
    while (!stopped) {
      try {
        const head = await readHead();
        if (failures > 0) log.info({ head: head.toString(), failures }, 'rpc reachable again');
        else if (last === undefined) log.info({ head: head.toString() }, 'connected');
        failures = 0;
        if (head !== last) {
          last = head;
          await onHead(head);
        }
      } catch (error) {
        if (failures === 0) {
          log.warn(
            { rpc: chain.rpcUrls.map(redactUrl), err: error instanceof Error ? error.message : String(error) },
            'rpc unreachable; retrying with backoff',
          );
        }
        failures++;
      }
      const delay = failures > 0 ? backoffDelay(failures, Math.max(chain.blockTimeMs, 1_000), 60_000) : chain.blockTimeMs;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, delay);
      });
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}

function headReader(chain: ChainConfig): () => Promise<bigint> {
  if (chain.kind === 'solana') {
    const connections = chain.rpcUrls.map((url) => new Connection(url, { commitment: 'confirmed', disableRetryOnRateLimit: true }));
    return async () => {
      let lastError: unknown;
      for (const connection of connections) {
        try {
          return BigInt(await withTimeout(connection.getSlot('confirmed'), 10_000));
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    };
  }
  const client = createPublicClient({
    transport: fallback(chain.rpcUrls.map((url) => http(url, { timeout: 10_000, retryCount: 0 }))),
  });
  return () => client.getBlockNumber({ cacheTime: 0 });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
