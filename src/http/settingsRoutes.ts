import { z } from 'zod';
import { changeSettings, settingsChangeOf, type SettingsChange } from '../usecases/changeSettings.js';
import { showSettings } from '../usecases/showSettings.js';
import { errorResponses, settingsBodySchema, settingsSchema } from './apiSchemas.js';
import type { RouteContext, ZodApp } from './RouteContext.js';

/** Settings: when the workspace is alerted and how its PnL is counted. */
export function registerSettingsRoutes(app: ZodApp, ctx: RouteContext): void {
  app.get(
    '/settings',
    { schema: { summary: "The workspace's alert filters and PnL method", tags: ['settings'], response: { 200: settingsSchema, ...errorResponses } } },
    async (request) => showSettings(ctx.deps(request)),
  );

  app.patch(
    '/settings',
    {
      schema: {
        summary: 'Change some settings; every change is checked before any is stored',
        tags: ['settings'],
        body: settingsBodySchema,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const deps = ctx.deps(request);
      const changes = settingsChanges(request.body);
      // Note: checked all first, as `lookout settings` does, so a bad value leaves every setting as it was.
      for (const change of changes) settingsChangeOf(change);
      let settings = await showSettings(deps);
      for (const change of changes) settings = await changeSettings(deps, change);
      return settings;
    },
  );
}

function settingsChanges(body: z.infer<typeof settingsBodySchema>): SettingsChange[] {
  const changes: SettingsChange[] = [];
  if (body.alertsEnabled !== undefined) changes.push({ action: body.alertsEnabled ? 'on' : 'off' });
  if (body.alertsMinUsd !== undefined) changes.push({ action: 'min', usd: body.alertsMinUsd });
  if (body.alertsTypes !== undefined) changes.push({ action: 'types', types: body.alertsTypes });
  if (body.pnlMethod !== undefined) changes.push({ action: 'method', method: body.pnlMethod });
  if (body.feesInBasis !== undefined) changes.push({ action: 'fees', fees: body.feesInBasis ? 'on' : 'off' });
  return changes;
}
