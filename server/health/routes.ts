import { z } from 'zod';
import { isPostgres } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { VERSION } from '../paths.js';
import type { RetrievalStatus } from '../retrieval/types.js';

/** The active embedding model and how much of the KB it has indexed (the console shows it too). */
function embedderHealth(status: RetrievalStatus) {
  return { ...status.embedder, indexed: status.indexed, pending: status.pending, reembedding: status.reembedding };
}

/** How long the readiness check waits for the embedder (its first use loads the model) before saying "not yet". */
const EMBEDDER_PROBE_MS = 3000;

type Check = 'ok' | 'unavailable' | 'loading';

async function databaseCheck(deps: Deps): Promise<Check> {
  try {
    await deps.db.raw('select 1');
    return 'ok';
  } catch (err) {
    deps.log.warn({ err }, 'readiness: the database does not answer');
    return 'unavailable';
  }
}

/** The embedder answers a query (a cached one once it has: the model is then loaded); the first call starts loading it. */
async function embedderCheck(deps: Deps): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => (timer = setTimeout(() => resolve('loading'), EMBEDDER_PROBE_MS)));
  const probe = deps.retrieval.embedQueries(['readiness check']).then(
    (): Check => 'ok',
    (err: unknown): Check => {
      deps.log.warn({ err }, 'readiness: the embedder does not answer');
      return 'unavailable';
    },
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const readySchema = z.object({ status: z.literal('ready'), database: z.literal('ok'), embedder: z.literal('ok') });

export const healthRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/health/ready',
    tag: 'Instance',
    summary: 'Readiness for load balancers: 200 when the database answers and the embedder is loaded, else 503',
    description:
      'For a load balancer or orchestrator deciding whether to send this server traffic. 503 `not_ready` names what is ' +
      'missing in `details` (`database`, `embedder`: `ok`, `loading` or `unavailable`). The first call after a start ' +
      'loads the embedding model, so it may answer `loading` for a few seconds. `/health` stays the plain liveness answer.',
    access: 'public',
    responses: {
      200: { description: 'Ready', schema: readySchema },
      503: { description: 'not_ready: the database or the embedder is not available yet' },
    },
    handler: async (ctx) => {
      const [database, embedder] = await Promise.all([databaseCheck(ctx.deps), embedderCheck(ctx.deps)]);
      if (database !== 'ok' || embedder !== 'ok') {
        const missing = [database !== 'ok' && `the database is ${database}`, embedder !== 'ok' && `the embedder is ${embedder}`].filter(
          Boolean,
        );
        throw new AppError(503, 'not_ready', `Not ready: ${missing.join(' and ')}.`, { database, embedder }, { 'Retry-After': '5' });
      }
      return { status: 'ready' as const, database: 'ok' as const, embedder: 'ok' as const };
    },
  }),
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
