/**
 * Cross-cutting checks derived from the server's own route list, so routes added later by any
 * module are covered without touching this file: tenant isolation on every id, read keys on every
 * write, bad input on every JSON body, the spec covering every route, and the limits under races.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '../server/http/route.js';
import { PROJECT_ROOT, PUBLIC_DIR } from '../server/paths.js';
import { accepts, plainObject, sample, typeOf, variantsOf, wrongTypeFor, type JsonSchema } from './helpers/json-sample.js';
import { signUp, TestServer, type ApiResponse } from './helpers/server.js';

const SERVE_JS = path.join(PROJECT_ROOT, 'dist', 'server', 'serve.js');
const REDOC_JS = path.join(PUBLIC_DIR, 'docs-assets', 'redoc.standalone.js');
const NEEDS_BUILD = 'dist/ is missing: run `node scripts/build.mjs` first (`npm test` builds before it tests).';

/** Anything that looks like a stack frame or a source location must never reach a client. */
const STACK_TRACE = /\n\s+at\s|node_modules|\.[cm]?[jt]s:\d+:\d+/;

type Tenant = {
  marker: string;
  token: string;
  accountId: number;
  websiteToken: string;
  readKey: string;
  writeKey: string;
  /** Ids of this tenant's objects, by kind (`domains`, `agents`, `conversations`, …). */
  ids: Map<string, number[]>;
  /** Strings that only this tenant's data contains. */
  secrets: string[];
};

let t: TestServer;
let routes: AnyRoute[];
let spec: { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
let root: Awaited<ReturnType<typeof signUp>>;
let A: Tenant;
let B: Tenant;

const toSpecPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');
const isRead = (r: AnyRoute) => r.method === 'get';
const signedIn = (r: AnyRoute) => r.access !== 'public' && r.access !== 'widget';
const paramsOf = (p: string) => [...p.matchAll(/:(\w+)/g)].map((m) => m[1]!);
function plural(word: string): string {
  if (word.endsWith('s')) return word;
  if (word.endsWith('y')) return `${word.slice(0, -1)}ies`;
  return word.endsWith('x') ? `${word}es` : `${word}s`;
}

/** The kind of object a path parameter names: the segment before it (`/agents/:id` → `agents`). */
function kindOfParam(routePath: string, param: string): string {
  const segments = routePath.split('/');
  const at = segments.indexOf(`:${param}`);
  return segments[at - 1] ?? param;
}

/** Field `domain_id` → kind `domains`; `ai_bot_config_id` and `assignee_id` name agents. */
function kindOfField(field: string): string {
  const base = field.replace(/_id$/, '');
  if (base === 'ai_bot_config' || base === 'assignee' || base === 'assignee_agent') return 'agents';
  return plural(base);
}

function bodySchema(route: AnyRoute): JsonSchema | undefined {
  return spec.paths[toSpecPath(route.path)]?.[route.method]?.requestBody?.content['application/json']?.schema;
}

function querySchemaOf(route: AnyRoute): { name: string; required: boolean; schema: JsonSchema }[] {
  const op = spec.paths[toSpecPath(route.path)]?.[route.method] as {
    parameters?: { name: string; in: string; required: boolean; schema: JsonSchema }[];
  };
  return (op?.parameters ?? []).filter((p) => p.in === 'query');
}

function addId(tenant: Tenant, kind: string, id: unknown) {
  if (typeof id !== 'number' || !Number.isInteger(id)) return;
  const list = tenant.ids.get(kind) ?? [];
  if (!list.includes(id)) list.push(id);
  tenant.ids.set(kind, list);
}

/** Records every id in a response under the kind its key implies (`contact: {id}` → contacts). */
function collectIds(tenant: Tenant, value: unknown, hint: string | undefined) {
  if (Array.isArray(value)) return value.forEach((v) => collectIds(tenant, v, hint));
  if (!value || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if (hint) addId(tenant, hint, obj.id);
  for (const [key, child] of Object.entries(obj)) {
    if (key === 'id') continue;
    if (key.endsWith('_id') && typeof child === 'number') addId(tenant, kindOfField(key), child);
    else if (child && typeof child === 'object') collectIds(tenant, child, key === 'data' ? hint : plural(key));
  }
}

/** Ids to try for a kind: the tenant's own of that kind, else any of its ids (they exist in some table). */
function idsFor(tenant: Tenant, kind: string): number[] {
  const own = tenant.ids.get(kind);
  if (own?.length) return own;
  return [...new Set([...(tenant.ids.get('domains') ?? []), ...(tenant.ids.get('agents') ?? []), tenant.accountId])];
}

function sampleContext(owner: Tenant, idsOf: Tenant = owner) {
  return {
    marker: owner.marker,
    idFor: (field: string) => idsFor(idsOf, kindOfField(field))[0],
  };
}

function fillPath(route: AnyRoute, pick: (kind: string, param: string) => number): string {
  return route.path.replace(/:(\w+)/g, (_m, param: string) => String(pick(kindOfParam(route.path, param), param)));
}

type Caller = { token?: string; websiteToken?: string };

function withQuery(url: string, caller: Caller, extra: Record<string, unknown> = {}) {
  const q = new URLSearchParams();
  if (caller.websiteToken) q.set('website_token', caller.websiteToken);
  for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
  const s = q.toString();
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url;
}

/** One request; an event stream is cut off after its headers (its status is what the sweeps compare). */
async function call(method: string, url: string, caller: Caller, body?: unknown, raw?: string): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (caller.token) headers.authorization = `Bearer ${caller.token}`;
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(t.url + withQuery(url, caller), { method: method.toUpperCase(), headers, body: payload });
  let text = '';
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) await response.body?.cancel();
  else text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const res: ApiResponse = { status: response.status, body: parsed, headers: response.headers, text };
  expectClean(res, `${method.toUpperCase()} ${url}`);
  return res;
}

/** Routes whose success answer is JSON (not an event stream or a file). */
function answersJson(route: AnyRoute): boolean {
  const op = spec.paths[toSpecPath(route.path)]?.[route.method] as { responses?: Record<string, { content?: Record<string, unknown> }> };
  return (
    Object.entries(op?.responses ?? {}).some(([status, r]) => status.startsWith('2') && r.content?.['application/json']) ||
    !!op?.responses?.['204']
  );
}

function expectClean(res: ApiResponse, what: string) {
  expect(res.status, `${what} answered ${res.status}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.text, `${what} leaked a stack trace`).not.toMatch(STACK_TRACE);
}

function expectNoLeak(res: ApiResponse, owner: Tenant, what: string) {
  for (const secret of owner.secrets) expect(res.text.includes(secret), `${what} revealed "${secret}"`).toBe(false);
}

/** The credentials a legitimate caller of `route` in `tenant` would send. */
function callerFor(route: AnyRoute, tenant: Tenant): Caller {
  if (route.access === 'public') return {};
  if (route.access === 'widget') return { websiteToken: tenant.websiteToken };
  if (route.access === 'instance_admin') return { token: root.token };
  return { token: tenant.token };
}

async function makeTenant(name: string): Promise<Tenant> {
  const marker = `${name}${Math.random().toString(36).slice(2, 8)}`;
  const account = await signUp(t, { name: `${marker} Inc`, email: `${marker}@example.com` });
  const tenant: Tenant = {
    marker,
    token: account.token,
    accountId: account.accountId,
    websiteToken: '',
    readKey: '',
    writeKey: '',
    ids: new Map(),
    secrets: [marker],
  };
  addId(tenant, 'accounts', account.accountId);
  const domain = await t.post(
    '/nc-api/v1/account/bind-domain',
    { website_url: `https://${marker}.example`, label: `${marker} site` },
    tenant.token,
  );
  tenant.websiteToken = domain.body.website_token;
  tenant.secrets.push(tenant.websiteToken);
  addId(tenant, 'domains', domain.body.domain_id);
  addId(tenant, 'inboxes', domain.body.inbox_id);
  const bot = await t.post('/nc-api/v1/agents', { bot_name: `${marker} bot`, greeting_message: `${marker} hello` }, tenant.token);
  addId(tenant, 'agents', bot.body.id);
  const human = await t.post(
    '/nc-api/v1/agents',
    { type: 'human', name: `${marker} human`, email: `${marker}.agent@example.com`, password: 'AgentPass1!' },
    tenant.token,
  );
  addId(tenant, 'agents', human.body.id);
  await t.post(
    `/nc-api/v1/account/domains/${domain.body.domain_id}/ai-config`,
    { ai_bot_config_id: bot.body.id, is_active: true },
    tenant.token,
  );
  const read = await t.post('/nc-api/v1/api-keys', { name: `${marker} read`, permissions: ['read'] }, tenant.token);
  const write = await t.post('/nc-api/v1/api-keys', { name: `${marker} write`, permissions: ['read', 'write'] }, tenant.token);
  tenant.readKey = read.body.full_key;
  tenant.writeKey = write.body.full_key;
  tenant.secrets.push(read.body.key.prefix, write.body.key.prefix);
  addId(tenant, 'api-keys', read.body.key.id);
  addId(tenant, 'api-keys', write.body.key.id);
  for (const agent of (await t.get('/nc-api/v1/agents', tenant.token)).body.data) addId(tenant, 'agents', agent.id);
  await seedOtherModules(tenant);
  return tenant;
}

const FOUNDATION_CREATES = new Set(['/nc-api/v1/accounts', '/nc-api/v1/account/bind-domain', '/nc-api/v1/agents', '/nc-api/v1/api-keys']);

/**
 * Gives the tenant objects of every kind other modules define: each collection POST gets a body
 * generated from its schema (best effort), then every readable route is walked for ids, a few
 * rounds so nested kinds (a webhook's deliveries) are found too.
 */
async function seedOtherModules(tenant: Tenant) {
  for (const route of routes) {
    if (route.method !== 'post' || paramsOf(route.path).length || FOUNDATION_CREATES.has(route.path) || route.access === 'public') continue;
    const schema = bodySchema(route);
    if (!schema) continue;
    const res = await call('post', route.path, callerFor(route, tenant), sample(schema, sampleContext(tenant)));
    if (res.status < 300) collectIds(tenant, res.body, route.path.split('/').pop());
  }
  for (let round = 0; round < 3; round++) {
    for (const route of routes.filter((r) => isRead(r) && r.access !== 'public' && r.access !== 'instance_admin')) {
      const url = fillPath(route, (kind) => idsFor(tenant, kind)[0]!);
      const params = paramsOf(route.path);
      const hint = params.length ? kindOfParam(route.path, params.at(-1)!) : route.path.split('/').pop();
      const res = await call('get', url, callerFor(route, tenant));
      if (res.status === 200)
        collectIds(tenant, res.body, params.length && !Array.isArray(res.body?.data) ? hint : route.path.split('/').pop());
    }
  }
}

/** GET of every one of the tenant's objects, to prove later that nobody else changed or removed them. */
async function snapshot(tenant: Tenant): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const volatile = (key: string) => /(_at|state|_due|last_used)$/.test(key);
  for (const route of routes.filter((r) => isRead(r) && paramsOf(r.path).length && signedIn(r) && r.access !== 'instance_admin')) {
    const url = fillPath(route, (kind) => idsFor(tenant, kind)[0]!);
    const res = await call('get', url, { token: tenant.token });
    out.set(url, `${res.status} ${JSON.stringify(res.body, (k, v) => (volatile(k) ? undefined : v))}`);
  }
  return out;
}

beforeAll(async () => {
  if (!fs.existsSync(SERVE_JS) || !fs.existsSync(REDOC_JS)) throw new Error(NEEDS_BUILD);
  t = await TestServer.start();
  routes = t.server.routes;
  spec = (await t.get('/openapi.json')).body;
  root = await signUp(t); // the instance owner: A and B are ordinary accounts
  A = await makeTenant('alpha');
  B = await makeTenant('bravo');
}, 180_000);
afterAll(() => t?.close());

describe('tenant isolation, on every route', () => {
  it('answers 404 (or 403), never the data, when account B uses account A’s ids — with its token and its API key', async () => {
    const before = await snapshot(A);
    const idRoutes = routes.filter((r) => paramsOf(r.path).length && r.access !== 'public');
    expect(idRoutes.length).toBeGreaterThan(5);
    let checked = 0;
    for (const route of idRoutes) {
      const params = paramsOf(route.path);
      const last = params.at(-1)!;
      const schema = bodySchema(route);
      const body = schema ? sample(schema, sampleContext(B, A)) : undefined;
      const callers: Caller[] =
        route.access === 'widget' ? [{ websiteToken: B.websiteToken }] : [{ token: B.token }, { token: B.writeKey }];
      for (const caller of callers) {
        for (const id of idsFor(A, kindOfParam(route.path, last))) {
          const url = fillPath(route, (kind, param) => (param === last ? id : idsFor(A, kind)[0]!));
          const what = `${route.method.toUpperCase()} ${url} as B`;
          const res = await call(route.method, url, caller, body);
          expectNoLeak(res, A, what);
          expect(res.status >= 200 && res.status < 300, `${what} answered ${res.status}: ${res.text.slice(0, 200)}`).toBe(false);
          if (res.status !== 403 && res.status !== 404) {
            // Anything else must be exactly what an id that exists nowhere gets, so it reveals nothing.
            const missing = await call(
              route.method,
              fillPath(route, () => 999_999),
              caller,
              body,
            );
            expect({ status: res.status, code: res.body?.error?.code }, what).toEqual({
              status: missing.status,
              code: missing.body?.error?.code,
            });
          }
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(idRoutes.length);
    expect(await snapshot(A)).toEqual(before);
  }, 180_000);

  it('gives B’s API key no more on A’s public widget routes than A’s website token alone gets', async () => {
    // The website token sits in page source: what it opens is public. Another account's key must not open more.
    const widgetRoutes = routes.filter((r) => r.access === 'widget' && answersJson(r));
    for (const route of widgetRoutes) {
      const schema = bodySchema(route);
      const body = schema ? sample(schema, sampleContext(B, A)) : undefined;
      const filters: Record<string, unknown> = {};
      for (const q of querySchemaOf(route)) if (/_id$/.test(q.name)) filters[q.name] = idsFor(A, kindOfField(q.name))[0];
      const url = withQuery(
        fillPath(route, (kind) => idsFor(A, kind)[0]!),
        {},
        filters,
      );
      if (!isRead(route) && !/_id"/.test(JSON.stringify(body ?? {})) && !paramsOf(route.path).length) continue; // creates: nothing of A's to reach
      const anonymous = await call(route.method, url, { websiteToken: A.websiteToken }, body);
      const withKey = await call(route.method, url, { websiteToken: A.websiteToken, token: B.writeKey }, body);
      expect(withKey.status, `${route.method.toUpperCase()} ${url} with B's key`).toBe(anonymous.status);
      if (withKey.status >= 300) continue;
      expect(withKey.text.length, `${route.method.toUpperCase()} ${url} with B's key`).toBeLessThanOrEqual(anonymous.text.length + 64);
    }
  }, 120_000);

  it('refuses B’s writes that name A’s objects in the body (domain_id, conversation_id, …)', async () => {
    const before = await snapshot(A);
    const bodyIdRoutes = routes.filter((r) => !isRead(r) && !paramsOf(r.path).length && r.access !== 'public' && bodySchema(r));
    for (const route of bodyIdRoutes) {
      const body = sample(bodySchema(route)!, sampleContext(B, A));
      if (!/_id"/.test(JSON.stringify(body))) continue;
      const callers: Caller[] = route.access === 'widget' ? [{ websiteToken: B.websiteToken }] : [{ token: B.token }];
      for (const caller of callers) {
        const what = `${route.method.toUpperCase()} ${route.path} as B with A's ids in ${JSON.stringify(body).slice(0, 120)}`;
        const res = await call(route.method, route.path, caller, body);
        expectNoLeak(res, A, what);
        expect(res.status >= 200 && res.status < 300, `${what} answered ${res.status}: ${res.text.slice(0, 200)}`).toBe(false);
      }
    }
    expect(await snapshot(A)).toEqual(before);
  }, 120_000);

  it('never shows A’s objects in B’s lists, whatever filter ids B passes', async () => {
    const lists = routes.filter((r) => isRead(r) && !paramsOf(r.path).length && r.access !== 'public');
    for (const route of lists) {
      const filters: Record<string, unknown> = {};
      for (const q of querySchemaOf(route)) {
        if (/_id$/.test(q.name)) filters[q.name] = idsFor(A, kindOfField(q.name))[0];
        else if (q.required) filters[q.name] = sample(q.schema, sampleContext(B), q.name);
      }
      const callers: Caller[] =
        route.access === 'widget' ? [{ websiteToken: B.websiteToken }] : [{ token: B.token }, { token: B.writeKey }, { token: B.readKey }];
      for (const caller of callers) {
        const res = await call('get', withQuery(route.path, {}, filters), caller);
        expectNoLeak(res, A, `GET ${route.path} as B`);
      }
    }
    // B sees its own objects in the same lists: the check above is not vacuous.
    const own = await t.get('/nc-api/v1/agents', B.token);
    expect(own.text).toContain(B.marker);
  }, 120_000);
});

describe('API key permissions, on every route', () => {
  it('refuses a read key on every write that is not public (403), and writes nothing', async () => {
    const before = await snapshot(A);
    const writes = routes.filter((r) => !isRead(r) && signedIn(r));
    expect(writes.length).toBeGreaterThan(5);
    for (const route of writes) {
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const schema = bodySchema(route);
      const res = await call(route.method, url, { token: A.readKey }, schema ? sample(schema, sampleContext(A)) : undefined);
      const expected = route.access === 'member' || route.access === 'admin' ? 'insufficient_permission' : 'api_key_not_allowed';
      expect({ status: res.status, code: res.body?.error?.code }, `${route.method.toUpperCase()} ${url}`).toEqual({
        status: 403,
        code: expected,
      });
    }
    expect(await snapshot(A)).toEqual(before);
  }, 120_000);
});

describe('roles, on every route', () => {
  it('refuses a user with role "agent" on every admin-only write (403), and writes nothing', async () => {
    const email = `${A.marker}.role-agent@example.com`;
    await t.post('/nc-api/v1/agents', { type: 'human', name: 'Role Agent', email, password: 'AgentPass1!', role: 'agent' }, A.token);
    const agentToken = (await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass1!' })).body.token as string;
    const before = await snapshot(A);
    const adminWrites = routes.filter((r) => (r.access === 'admin' && !isRead(r)) || r.access === 'admin_user');
    expect(adminWrites.length).toBeGreaterThan(5);
    for (const route of adminWrites) {
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const schema = bodySchema(route);
      const res = await call(route.method, url, { token: agentToken }, schema ? sample(schema, sampleContext(A)) : undefined);
      expect({ status: res.status, code: res.body?.error?.code }, `${route.method.toUpperCase()} ${url}`).toEqual({
        status: 403,
        code: 'admin_required',
      });
    }
    expect(await snapshot(A)).toEqual(before);
  }, 120_000);
});

describe('bad input, on every JSON body', () => {
  const bodyRoutes = () => routes.filter((r) => r.body && bodySchema(r));

  it('answers 400 invalid_json to malformed JSON and 413 to a body over the limit', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(1_100_000) });
    for (const route of bodyRoutes()) {
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const caller = callerFor(route, A);
      const what = `${route.method.toUpperCase()} ${route.path}`;
      const broken = await call(route.method, url, caller, undefined, '{"title": "unterminated');
      expect({ status: broken.status, code: broken.body?.error?.code }, what).toEqual({ status: 400, code: 'invalid_json' });
      const huge = await call(route.method, url, caller, undefined, big);
      expect({ status: huge.status, code: huge.body?.error?.code }, what).toEqual({ status: 413, code: 'payload_too_large' });
    }
  }, 120_000);

  it('answers 422 to a missing body, an array or a number where an object is expected', async () => {
    for (const route of bodyRoutes()) {
      const schema = bodySchema(route)!;
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const caller = callerFor(route, A);
      const what = `${route.method.toUpperCase()} ${route.path}`;
      const required = variantsOf(schema).every((v) => typeOf(v) !== 'object' || (v.required?.length ?? 0) > 0);
      if (required) {
        const missing = await call(route.method, url, caller);
        expect({ status: missing.status, code: missing.body?.error?.code }, `${what} without a body`).toEqual({
          status: 422,
          code: 'validation_failed',
        });
      }
      if (!accepts(schema, 'array')) {
        const array = await call(route.method, url, caller, undefined, '[1,2]');
        expect(array.status, `${what} with an array`).toBe(422);
      }
      if (!accepts(schema, 'number')) {
        const number = await call(route.method, url, caller, undefined, '42');
        expect(number.status, `${what} with a number`).toBe(422);
      }
    }
  }, 120_000);

  it('answers 422 naming the field to a wrong type or an over-long string in any field', async () => {
    let fieldsChecked = 0;
    // Union bodies (one shape per kind of object) are left to their module's tests: which field is wrong depends on the kind.
    for (const route of bodyRoutes()) {
      const object = plainObject(bodySchema(route)!);
      if (!object) continue;
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const caller = callerFor(route, A);
      const base = sample(object, sampleContext(A)) as Record<string, unknown>;
      const cases: { field: string; value: Record<string, unknown> }[] = [];
      for (const [name, prop] of Object.entries(object.properties ?? {})) {
        const wrong = wrongTypeFor(prop);
        if (wrong !== undefined) cases.push({ field: name, value: { ...base, [name]: wrong } });
        const stringVariant = variantsOf(prop).find((v) => typeOf(v) === 'string' && v.maxLength !== undefined);
        if (stringVariant) cases.push({ field: name, value: { ...base, [name]: 'x'.repeat(stringVariant.maxLength! + 1) } });
        const nested = plainObject(prop);
        for (const [child, childProp] of Object.entries(nested?.properties ?? {})) {
          const max = variantsOf(childProp).find((v) => typeOf(v) === 'string')?.maxLength;
          if (max === undefined) continue;
          const parent = (base[name] ?? {}) as Record<string, unknown>;
          cases.push({ field: `${name}.${child}`, value: { ...base, [name]: { ...parent, [child]: 'x'.repeat(max + 1) } } });
        }
      }
      for (const { field, value } of cases) {
        const res = await call(route.method, url, caller, value);
        const what = `${route.method.toUpperCase()} ${route.path} with a bad ${field}`;
        expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(422);
        const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
        expect(fields, what).toContain(field);
        fieldsChecked += 1;
      }
    }
    expect(fieldsChecked).toBeGreaterThan(20);
  }, 120_000);
});

describe('hostile spellings and encodings, on every route', () => {
  /** Routes that read a JSON body (declared `body`, or a raw body that takes JSON such as the imports). */
  const jsonBodyRoutes = () =>
    routes.filter((r) => r.access !== 'public' && !!spec.paths[toSpecPath(r.path)]?.[r.method]?.requestBody?.content['application/json']);

  /** A request with raw bytes and headers of our choosing (fetch sends a Content-Encoding header as it is). */
  async function callBytes(method: string, url: string, caller: Caller, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string>) {
    const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
    if (caller.token) all.authorization = `Bearer ${caller.token}`;
    const response = await fetch(t.url + withQuery(url, caller), { method: method.toUpperCase(), headers: all, body: bytes });
    const text = await response.text();
    const res: ApiResponse = {
      status: response.status,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      headers: response.headers,
      text,
    };
    expectClean(res, `${method.toUpperCase()} ${url} with ${JSON.stringify(headers)}`);
    return res;
  }

  it('answers 404 to an id that is not plain decimal (+1, 0x10, 1e3, 01, " 1", 1.0) in any path parameter, and changes nothing', async () => {
    const before = await snapshot(A);
    const spellings = (id: number) => [`+${id}`, `0x${id.toString(16)}`, `${id}e0`, `0${id}`, `%20${id}`, `${id}%20`, `${id}.0`];
    let checked = 0;
    for (const route of routes.filter((r) => paramsOf(r.path).length && r.access !== 'public')) {
      const schema = bodySchema(route);
      const body = schema ? sample(schema, sampleContext(A)) : undefined;
      for (const param of paramsOf(route.path)) {
        const real = idsFor(A, kindOfParam(route.path, param))[0]!;
        for (const spelling of spellings(real)) {
          const url = route.path.replace(/:(\w+)/g, (_m, p: string) =>
            p === param ? spelling : String(idsFor(A, kindOfParam(route.path, p))[0]),
          );
          const res = await call(route.method, url, callerFor(route, A), body);
          expect({ status: res.status, code: res.body?.error?.code }, `${route.method.toUpperCase()} ${url}`).toEqual({
            status: 404,
            code: 'not_found',
          });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(await snapshot(A)).toEqual(before);
  }, 180_000);

  it('answers 400 to a body nested 100 000 deep (arrays or objects) on every route that reads JSON', async () => {
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const justTooDeep = '{"a":'.repeat(65) + '1' + '}'.repeat(65);
    const bodyRoutes = jsonBodyRoutes();
    expect(bodyRoutes.length).toBeGreaterThan(20);
    for (const route of bodyRoutes) {
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      for (const raw of [deepArray, deepObject, justTooDeep]) {
        const res = await call(route.method, url, callerFor(route, A), undefined, raw);
        expect(
          { status: res.status, code: res.body?.error?.code },
          `${route.method.toUpperCase()} ${route.path} (${raw.length} bytes)`,
        ).toEqual({
          status: 400,
          code: 'nesting_too_deep',
        });
      }
    }
  }, 180_000);

  it('answers 400 to a corrupt gzip, deflate or brotli body and 415 to an unknown Content-Encoding, on every route that reads JSON', async () => {
    const garbage = Buffer.from('this is not compressed at all {"title":"x"}');
    const gzipHeaderThenGarbage = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02]);
    for (const route of jsonBodyRoutes()) {
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const caller = callerFor(route, A);
      const what = `${route.method.toUpperCase()} ${route.path}`;
      for (const [encoding, bytes] of [
        ['gzip', garbage],
        ['gzip', gzipHeaderThenGarbage],
        ['deflate', garbage],
        ['br', garbage],
      ] as const) {
        const res = await callBytes(route.method, url, caller, bytes, { 'content-encoding': encoding });
        expect({ status: res.status, code: res.body?.error?.code }, `${what} with a bad ${encoding} body`).toEqual({
          status: 400,
          code: 'invalid_encoding',
        });
      }
      const unknown = await callBytes(route.method, url, caller, garbage, { 'content-encoding': 'zstd' });
      expect({ status: unknown.status, code: unknown.body?.error?.code }, `${what} with Content-Encoding: zstd`).toEqual({
        status: 415,
        code: 'unsupported_media_type',
      });
    }
  }, 180_000);

  it('answers 422 to an empty update ({}) on every PUT route, and changes nothing', async () => {
    const before = await snapshot(A);
    const puts = routes.filter((r) => r.method === 'put' && bodySchema(r));
    expect(puts.length).toBeGreaterThan(3);
    for (const route of puts) {
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const res = await call(route.method, url, callerFor(route, A), {});
      expect({ status: res.status, code: res.body?.error?.code }, `PUT ${url} {}`).toEqual({ status: 422, code: 'validation_failed' });
    }
    expect(await snapshot(A)).toEqual(before);
  }, 120_000);
});

describe('values a database cannot take, on every route', () => {
  const BEYOND_INT32 = 2_147_483_648;

  it('answers 404 or 422 to ids beyond 32 bits, in paths and in bodies', async () => {
    for (const route of routes.filter((r) => paramsOf(r.path).length && r.access !== 'public')) {
      const schema = bodySchema(route);
      const res = await call(
        route.method,
        fillPath(route, () => BEYOND_INT32),
        callerFor(route, A),
        schema ? sample(schema, sampleContext(A)) : undefined,
      );
      expect([403, 404, 422], `${route.method.toUpperCase()} ${route.path}`).toContain(res.status);
    }
    for (const route of routes.filter((r) => r.body && bodySchema(r))) {
      const body = sample(bodySchema(route)!, { marker: A.marker, idFor: () => BEYOND_INT32 });
      if (!/_id"/.test(JSON.stringify(body))) continue;
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const res = await call(route.method, url, callerFor(route, A), body);
      expect([403, 404, 422], `${route.method.toUpperCase()} ${route.path} with ${JSON.stringify(body).slice(0, 100)}`).toContain(
        res.status,
      );
    }
  }, 120_000);

  it('answers 422 naming the field to a NUL character in any body string or query parameter', async () => {
    let checked = 0;
    for (const route of routes.filter((r) => r.body && bodySchema(r))) {
      const object = plainObject(bodySchema(route)!);
      if (!object) continue;
      const url = fillPath(route, (kind) => idsFor(A, kind)[0]!);
      const base = sample(object, sampleContext(A)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(base)) {
        if (typeof value !== 'string') continue;
        const res = await call(route.method, url, callerFor(route, A), { ...base, [name]: `${value}\u0000` });
        expect(res.status, `${route.method.toUpperCase()} ${route.path} with NUL in ${name}`).toBe(422);
        expect((res.body.error.details as { field: string }[]).map((d) => d.field)).toContain(name);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
    for (const route of routes.filter((r) => r.access !== 'public')) {
      const url = withQuery(
        fillPath(route, (kind) => idsFor(A, kind)[0]!),
        {},
        { q: 'a\u0000b' },
      );
      const res = await call(route.method, url, callerFor(route, A));
      expect({ status: res.status, field: res.body?.error?.details?.[0]?.field }, `${route.method.toUpperCase()} ${url}`).toEqual({
        status: 422,
        field: 'q',
      });
    }
  }, 120_000);
});

describe('errors, spec and docs', () => {
  it('answers unknown routes with a JSON 404', async () => {
    for (const [method, url] of [
      ['GET', '/nc-api/v1/nothing-here'],
      ['POST', '/nc-api/v1/agents/1/nothing'],
      ['DELETE', '/no/such/page'],
    ] as const) {
      const res = await t.request(method, url, undefined, { token: A.token });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('answers a method a path does not support with a JSON 405 and the allowed methods', async () => {
    const res = await t.request('PATCH', '/nc-api/v1/account/status', { x: 1 }, { token: A.token });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('method_not_allowed');
    expect(res.headers.get('allow')).toContain('GET');
    const options = await t.request('OPTIONS', '/nc-api/v1/agents');
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')?.split(/,\s*/).sort()).toEqual(expect.arrayContaining(['GET', 'POST']));
  });

  it('serves OpenAPI 3.1 with every mounted route and its body schema', () => {
    expect(spec.openapi).toBe('3.1.0');
    for (const route of routes) {
      const op = spec.paths[toSpecPath(route.path)]?.[route.method];
      expect(op, `${route.method.toUpperCase()} ${route.path} is missing from /openapi.json`).toBeDefined();
      if (route.body) expect(bodySchema(route), `${route.method} ${route.path} has no JSON body schema`).toBeDefined();
    }
    const operationIds = Object.values(spec.paths).flatMap((ops) =>
      Object.values(ops).map((op) => (op as { operationId: string }).operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('serves the readable docs page with its script, from this machine', async () => {
    const page = await t.get('/developers/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('/openapi.json');
    const src = /<script src="([^"]+)"/.exec(page.text)?.[1];
    expect(src).toBe('/docs-assets/redoc.standalone.js');
    expect(page.text).not.toMatch(/https?:\/\/(?!localhost)/); // no CDN: the product runs offline
    const script = await fetch(t.url + src);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });
});

describe('plan limits under concurrent creates', () => {
  it('lets exactly the free seats through when 10 AI agents are created at once', async () => {
    const account = await signUp(t);
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'first' }, account.token)).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? t.post('/nc-api/v1/agents', { bot_name: `racer ${i}` }, account.token)
          : t.post(
              '/nc-api/v1/agents',
              { type: 'human', name: `racer ${i}`, email: `racer${i}-${account.email}`, password: 'RacePass1!' },
              account.token,
            ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 403)).toHaveLength(8);
    for (const r of results.filter((r) => r.status === 403)) expect(r.body.error.code).toBe('plan_limit_reached');
    expect((await t.get('/nc-api/v1/account/status', account.token)).body.usage.agents).toBe(3);
    expect((await t.get('/nc-api/v1/agents', account.token)).body.data).toHaveLength(4);
  }, 60_000);

  it('lets exactly the free slots through when 10 domains are bound at once', async () => {
    const starter = await signUp(t);
    const pro = await signUp(t);
    await t.put(`/nc-api/v1/accounts/${pro.accountId}/plan`, { plan: 'pro' }, root.token);
    for (let i = 0; i < 3; i++) await t.post('/nc-api/v1/account/bind-domain', { website_url: `https://pre${i}.example` }, pro.token);

    for (const [account, free, used] of [
      [starter, 1, 1],
      [pro, 2, 5],
    ] as const) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.post('/nc-api/v1/account/bind-domain', { website_url: `https://race${i}.example` }, account.token),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(free);
      for (const r of results.filter((r) => r.status !== 201)) expect(r.body.error.code).toBe('plan_limit_reached');
      const status = await t.get('/nc-api/v1/account/status', account.token);
      expect(status.body.usage.domains).toBe(used);
      expect(status.body.domains).toHaveLength(used);
    }
  }, 60_000);

  it('binds a website once when the same one is bound 10 times at once', async () => {
    const pro = await signUp(t);
    await t.put(`/nc-api/v1/accounts/${pro.accountId}/plan`, { plan: 'pro' }, root.token);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://same.example' }, pro.token)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expect(r.body.error.code).toBe('domain_exists');
    expect((await t.get('/nc-api/v1/account/status', pro.token)).body.usage.domains).toBe(1);
  }, 60_000);
});

/** `node dist/server/serve.js` as a real process on a free port (PORT=0: the "server listening" log line says which). */
async function spawnServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-sigterm-'));
  const child = spawn(process.execPath, [SERVE_JS], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NOVA_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      NOVA_SECRET_STORE: 'file',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cleanup = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await expect.poll(() => /"url":"(http:[^"]+)"/.exec(output)?.[1], { timeout: 30_000, interval: 50 }).toBeDefined();
  } catch (err) {
    cleanup();
    throw new Error(`the server did not start: ${output.slice(-500)}`, { cause: err });
  }
  return { child, dataDir, exited, url: /"url":"(http:[^"]+)"/.exec(output)![1]!, output: () => output, cleanup };
}

describe('the headless server process', () => {
  it('starts from dist/, answers /health, and exits 0 on SIGTERM', async () => {
    const server = await spawnServer();
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
      expect(fs.existsSync(path.join(server.dataDir, 'nova-chat.sqlite'))).toBe(true);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('server stopped');
    } finally {
      server.cleanup();
    }
  }, 60_000);

  it('finishes a request that is in flight when SIGTERM arrives, then exits 0', async () => {
    const server = await spawnServer();
    try {
      const body = JSON.stringify({ name: 'Drain Co', email: 'drain@example.com', password: 'MyPass123!' });
      const { port } = new URL(server.url);
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/nc-api/v1/accounts',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        // Half the body now; SIGTERM; the rest once the server has begun shutting down.
        req.write(body.slice(0, 20));
        void expect
          .poll(() => server.output().includes('shutting down'), { timeout: 10_000, interval: 20 })
          .toBe(true)
          .then(() => req.end(body.slice(20)), reject);
        setTimeout(() => server.child.kill('SIGTERM'), 200);
      });
      const res = await answer;
      expect(res.status, res.text).toBe(201);
      expect(JSON.parse(res.text).account.name).toBe('Drain Co');
      expect(await server.exited).toBe(0);
    } finally {
      server.cleanup();
    }
  }, 60_000);
});
