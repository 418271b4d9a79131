import { z } from 'zod';
import { HttpError } from './HttpError.js';
import { addToGroup } from '../usecases/addToGroup.js';
import { createGroup } from '../usecases/createGroup.js';
import { deleteGroup } from '../usecases/deleteGroup.js';
import { listGroups } from '../usecases/listGroups.js';
import { removeFromGroup } from '../usecases/removeFromGroup.js';
import { errorResponses, groupSchema, walletRowSchema } from './apiSchemas.js';
import type { RouteContext, ZodApp } from './RouteContext.js';

const groupParams = z.object({ name: z.string().min(1).max(200) });

/** Groups: list, read, create, delete, and add or remove members. */
export function registerGroupRoutes(app: ZodApp, ctx: RouteContext): void {
  app.get(
    '/groups',
    { schema: { summary: 'The groups with their wallets', tags: ['groups'], response: { 200: z.object({ groups: z.array(groupSchema) }), ...errorResponses } } },
    async (request) => ({ groups: await listGroups(ctx.deps(request)) }),
  );

  app.get(
    '/groups/:name',
    { schema: { summary: 'One group with its wallets', tags: ['groups'], params: groupParams, response: { 200: groupSchema, ...errorResponses } } },
    async (request) => {
      const group = (await listGroups(ctx.deps(request))).find((entry) => entry.name.toLowerCase() === request.params.name.toLowerCase());
      if (!group) throw new HttpError(404, 'not_found', `There is no group '${request.params.name.slice(0, 40)}'; list them with GET /api/v1/groups.`);
      return group;
    },
  );

  app.post(
    '/groups',
    {
      schema: {
        summary: 'Create an empty group',
        tags: ['groups'],
        body: z.object({ name: z.string().max(200) }).strict(),
        response: { 201: z.object({ name: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const group = await createGroup(ctx.deps(request), request.body.name);
      return reply.code(201).send({ name: group.name });
    },
  );

  app.delete(
    '/groups/:name',
    {
      schema: {
        summary: 'Delete a group; its wallets stay tracked, its alert routes go with it',
        tags: ['groups'],
        params: groupParams,
        response: { 200: z.object({ name: z.string(), removedRoutes: z.array(z.number().int()) }), ...errorResponses },
      },
    },
    async (request) => {
      const deleted = await deleteGroup(ctx.deps(request), request.params.name);
      return { name: deleted.name, removedRoutes: deleted.routes.map((route) => route.id) };
    },
  );

  app.post(
    '/groups/:name/members',
    {
      schema: {
        summary: 'Add wallets (labels or addresses) to a group',
        tags: ['groups'],
        params: groupParams,
        body: z.object({ wallets: z.array(z.string().max(200)).min(1).max(100) }).strict(),
        response: { 200: z.object({ group: z.string(), added: z.array(walletRowSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { group, added } = await addToGroup(ctx.deps(request), request.params.name, request.body.wallets);
      return { group: group.name, added: added.map(({ chain, address, label }) => ({ chain, address, label })) };
    },
  );

  app.delete(
    '/groups/:name/members/:wallet',
    {
      schema: {
        summary: 'Remove a wallet from a group',
        tags: ['groups'],
        params: groupParams.extend({ wallet: z.string().min(1).max(200) }),
        response: { 200: z.object({ group: z.string(), removed: z.array(walletRowSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { group, removed } = await removeFromGroup(ctx.deps(request), request.params.name, [request.params.wallet]);
      return { group: group.name, removed: removed.map(({ chain, address, label }) => ({ chain, address, label })) };
    },
  );
}
