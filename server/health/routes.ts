import { z } from 'zod';
import { isPostgres } from '../db/knex.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { VERSION } from '../paths.js';
import type { RetrievalStatus } from '../retrieval/types.js';

/** The active embedding model and how much of the KB it has indexed (the console shows it too). */
function embedderHealth(status: RetrievalStatus) {
  return { ...status.embedder, indexed: status.indexed, pending: status.pending, reembedding: status.reembedding };
}

export const healthRoutes: AnyRoute[] = [
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
          embedder: z.object({
            id: z.string(),
            dimensions: z.number().int(),
            indexed: z.number().int(),
            pending: z.number().int(),
            reembedding: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
          }),
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
        embedder: embedderHealth(ctx.deps.retrieval.status()),
      };
    },
  }),
];
