import { z } from 'zod';
import { listWallets } from '../usecases/listWallets.js';
import { relabelWallet } from '../usecases/relabelWallet.js';
import { trackWallet } from '../usecases/trackWallet.js';
import { untrackWallet } from '../usecases/untrackWallet.js';
import { errorResponses, trackBodySchema, trackedSchema, walletRowSchema, walletSchema } from './apiSchemas.js';
import type { RouteContext, ZodApp } from './RouteContext.js';

const walletParams = z.object({ wallet: z.string().min(1).max(200).describe('a label or an address') });

/** Wallets: list, track (checked as in the chats), untrack, and change a label. */
export function registerWalletRoutes(app: ZodApp, ctx: RouteContext): void {
  app.get(
    '/wallets',
    { schema: { summary: 'The tracked wallets, with their chains and groups', tags: ['wallets'], response: { 200: z.object({ wallets: z.array(walletSchema) }), ...errorResponses } } },
    async (request) => ({
      wallets: (await listWallets(ctx.deps(request))).map((wallet) => ({ ...wallet, addedAt: wallet.addedAt.toISOString() })),
    }),
  );

  app.post(
    '/wallets',
    { schema: { summary: 'Track a wallet', tags: ['wallets'], body: trackBodySchema, response: { 201: trackedSchema, ...errorResponses } } },
    async (request, reply) => {
      const tracked = await trackWallet(ctx.deps(request), request.body);
      return reply.code(201).send({ ...tracked, chains: tracked.chains.map((chain) => chain.name) });
    },
  );

  app.delete(
    '/wallets/:wallet',
    {
      schema: {
        summary: 'Stop tracking a wallet, on every chain or one',
        tags: ['wallets'],
        params: walletParams,
        querystring: z.object({ chain: z.string().max(64).optional() }),
        response: { 200: z.object({ removed: z.array(walletRowSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const removed = await untrackWallet(ctx.deps(request), { wallet: request.params.wallet, chain: request.query.chain });
      return { removed: removed.map(({ chain, address, label }) => ({ chain, address, label })) };
    },
  );

  app.patch(
    '/wallets/:wallet',
    {
      schema: {
        summary: "Change a wallet's label",
        tags: ['wallets'],
        params: walletParams,
        body: z.object({ label: z.string().max(200) }).strict(),
        response: { 200: z.object({ wallets: z.array(walletRowSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const updated = await relabelWallet(ctx.deps(request), { wallet: request.params.wallet, label: request.body.label });
      return { wallets: updated.map(({ chain, address, label }) => ({ chain, address, label })) };
    },
  );
}
