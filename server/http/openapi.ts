import { z, type ZodType } from 'zod';
import { VERSION } from '../paths.js';
import type { Access } from '../auth/policy.js';
import { IDEMPOTENCY_HEADER } from './idempotency.js';
import type { AnyRoute } from './route.js';
import { errorSchema, ID_PATTERN, MAX_ID } from '../validation.js';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest;
}

const securityFor: Record<Access, Record<string, string[]>[] | undefined> = {
  public: [],
  widget: [{ websiteToken: [] }, { websiteToken: [], conversationToken: [] }],
  realtime: [{ bearerJwt: [] }, { apiKey: [] }, { websiteToken: [], conversationToken: [] }],
  member: [{ bearerJwt: [] }, { apiKey: [] }],
  admin: [{ bearerJwt: [] }, { apiKey: [] }],
  user: [{ bearerJwt: [] }],
  admin_user: [{ bearerJwt: [] }],
  instance_admin: [{ bearerJwt: [] }],
};

const standardErrors: Record<number, string> = {
  400: 'Malformed JSON',
  401: 'Missing or invalid credentials',
  403: 'Not allowed (permission, role or plan limit)',
  404: 'Not found, or not in your account',
  413: 'Body or batch too large',
  415: 'The body is not of an accepted media type',
  422: 'Validation failed; `details` names each bad field',
  429: 'Rate limited; see Retry-After',
};

/** Path parameters: `:id` in the koa path becomes `{id}` in the spec. */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function queryParameters(route: AnyRoute) {
  if (!route.query) return [];
  const schema = jsonSchema(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
}

function operation(route: AnyRoute) {
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    // Every path parameter is an id spelt in plain decimal (`+1`, `0x10`, `1e3` or `01` are 404s).
    schema: { type: 'string', pattern: ID_PATTERN.source, description: `An id: 1 to ${MAX_ID}, plain decimal` },
  }));
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    const schema = r.schema ? jsonSchema(r.schema, 'output') : isError ? jsonSchema(errorSchema, 'output') : undefined;
    responses[status] = { description: r.description, ...(schema ? { content: { 'application/json': { schema } } } : {}) };
  }
  const writes = route.body || route.rawBody || route.form;
  for (const [status, description] of Object.entries(standardErrors)) {
    const relevant =
      (status === '400' && writes) ||
      (status === '413' && writes) ||
      (status === '415' && writes && route.access === 'widget') ||
      (status === '422' && (writes || route.query || route.path.includes(':'))) ||
      ((status === '401' || status === '403') && route.access !== 'public') ||
      (status === '404' && route.path.includes(':')) ||
      status === '429';
    if (relevant && !responses[status])
      responses[status] = { description, content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } } };
  }
  const headerParams = route.idempotent
    ? [
        {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 255 },
          description:
            'Makes a retry safe: the same key from the same account on the same path within 24 h answers the first ' +
            'result (status and body, with `Idempotent-Replayed: true`) without writing again; the same key with a different ' +
            'request is a 422 `idempotency_key_reused`, and one whose first request is still running a 409 `idempotency_key_in_progress`.',
        },
      ]
    : [];
  if (route.idempotent && !responses['409'])
    responses['409'] = {
      description: 'idempotency_key_in_progress: a request with this Idempotency-Key is still running',
      content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
    };
  const content: Record<string, unknown> = {};
  if (route.body) content['application/json'] = { schema: jsonSchema(route.body, 'input') };
  if (route.form) {
    const fields = jsonSchema(route.form.body, 'input') as { properties?: Record<string, unknown> };
    const files = {
      type: 'array',
      items: { type: 'string', contentMediaType: 'application/octet-stream' },
      description: route.form.description,
    };
    content['multipart/form-data'] = {
      schema: { ...fields, properties: { ...fields.properties, 'attachments[]': files } },
    };
  }
  for (const type of route.rawBody?.contentTypes ?? []) {
    const documented = route.rawBody?.schemas?.[type];
    content[type] ??= { schema: documented ? jsonSchema(documented, 'input') : {} };
  }
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}_${route.path.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
    parameters: [...pathParams, ...queryParameters(route), ...headerParams],
    ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
    responses,
    security: securityFor[route.access],
  };
}

/** OpenAPI 3.1 of every mounted route, built from the same zod schemas the routes validate with. */
export function buildOpenApi(routes: AnyRoute[], extraDescription = ''): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = toOpenApiPath(route.path);
    paths[key] = { ...paths[key], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nova Chat API',
      version: VERSION,
      description:
        'The Nova Chat API served by Nova Chat Desktop. Errors are `{"error":{"code","message","details"}}`; ' +
        'lists are `{"data":[…],"meta":{"total","page","per_page"}}`; ids are integers; times are ISO-8601 UTC.' +
        extraDescription,
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearerJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'From POST /nc-api/v1/auth/login' },
        apiKey: { type: 'http', scheme: 'bearer', description: '`nc_live_…` key from POST /nc-api/v1/api-keys' },
        websiteToken: { type: 'apiKey', in: 'query', name: 'website_token', description: 'The `wk_live_…` token of a bound website' },
        conversationToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Conversation-Token',
          description: 'Returned when the widget creates a conversation; also accepted as `?conversation_token=`',
        },
      },
    },
    paths,
  };
}
