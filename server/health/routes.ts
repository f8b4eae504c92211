import { z } from 'zod';
import type { Deps } from '../deps.js';
import { isPostgres } from '../db/knex.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { VERSION } from '../paths.js';

export function healthRoutes(_deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      tag: 'Instance',
      summary: 'Readiness: 200 once migrations have run',
      access: 'public',
      responses: {
        200: {
          description: 'Ready',
          schema: z.object({
            status: z.literal('ok'),
            version: z.string(),
            database: z.enum(['sqlite', 'postgres']),
            secret_store: z.string(),
          }),
        },
      },
      handler: async (ctx) => {
        await ctx.deps.db.raw('select 1');
        return {
          status: 'ok' as const,
          version: VERSION,
          database: isPostgres(ctx.deps.db) ? ('postgres' as const) : ('sqlite' as const),
          secret_store: ctx.deps.secretStore.backend,
        };
      },
    }),
  ];
}
