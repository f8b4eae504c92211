import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { accountIdOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse, settingsListQuery, text } from '../validation.js';
import { listMeta, pageRange } from '../db/pagination.js';
import { API_KEY_PREFIX, deleteKey, hashKey, insertKey, listKeys, type ApiKeyRow } from './repo.js';

const createKeyBody = z.object({
  name: text(200),
  permissions: z
    .array(z.enum(['read', 'write']))
    .min(1)
    .max(2)
    .transform((p) => [...new Set(p)]),
});

const keySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(z.enum(['read', 'write'])),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

const presentKey = (k: ApiKeyRow): z.infer<typeof keySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  permissions: k.permissions,
  created_at: k.created_at,
  last_used_at: k.last_used_at,
});

/** API keys are managed by signed-in admins only: a key can never mint or revoke keys. */
export const apiKeyRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/api-keys',
    tag: 'API keys',
    summary: 'Create an API key (the full key is shown only in this response)',
    access: 'admin_user',
    body: createKeyBody,
    responses: {
      201: { description: 'Key created', schema: z.object({ key: keySchema, full_key: z.string() }) },
    },
    handler: async (ctx, { body }) => {
      const fullKey = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const key = await insertKey(ctx.deps.db, {
        account_id: accountIdOf(ctx),
        name: body.name,
        prefix: fullKey.slice(0, API_KEY_PREFIX.length + 6),
        key_hash: hashKey(fullKey),
        permissions: body.permissions,
      });
      return { key: presentKey(key), full_key: fullKey };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/api-keys',
    tag: 'API keys',
    summary: 'List API keys (prefix only)',
    access: 'admin_user',
    query: settingsListQuery,
    responses: { 200: { description: 'Keys', schema: listResponse(keySchema) } },
    handler: async (ctx, { query }) => {
      const { rows, total } = await listKeys(ctx.deps.db, accountIdOf(ctx), pageRange(query));
      return { data: rows.map(presentKey), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/api-keys/:id',
    tag: 'API keys',
    summary: 'Revoke an API key, effective on the next request',
    access: 'admin_user',
    responses: { 204: { description: 'Revoked' } },
    handler: async (ctx, { params }) => {
      if (!(await deleteKey(ctx.deps.db, accountIdOf(ctx), idParam(params.id)))) throw notFound('API key');
    },
  }),
];
