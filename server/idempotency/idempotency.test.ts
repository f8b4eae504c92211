import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';
import { nowIso } from '../db/knex.js';
import { PROJECT_ROOT } from '../paths.js';
import { createPostgresDatabase, onPostgres } from '../../test/helpers/database.js';
import { signUp, TestServer, type ApiResponse } from '../../test/helpers/server.js';

const ITEMS = '/nc-api/v1/knowledge_base/items';
const ITEMS_IMPORT = `${ITEMS}/import`;
const FILE_IMPORT = '/nc-api/v1/knowledge_base/import';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const qa = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ title: `${prefix} ${i + 1}?`, content: `Answer ${i + 1}.` }));
const itemCount = async (token: string) => (await t.get(`${ITEMS}?per_page=1`, token)).body.meta.total as number;
const withKey = (key: string, token?: string, headers: Record<string, string> = {}) => ({
  token,
  headers: { 'Idempotency-Key': key, ...headers },
});
const post = (path: string, body: unknown, options: { token?: string; headers?: Record<string, string> }) =>
  t.request('POST', path, body, options);

function expectReplayOf(first: ApiResponse, again: ApiResponse) {
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  expect({ status: again.status, body: again.body, replayed: again.headers.get('idempotent-replayed') }).toEqual({
    status: first.status,
    body: first.body,
    replayed: 'true',
  });
}

describe('Idempotency-Key on KB imports', () => {
  it('answers a retried import with the first result (status and body) and writes once', async () => {
    const { token } = await signUp(t);
    const key = randomUUID();
    const first = await post(ITEMS_IMPORT, qa(3, 'Retried'), withKey(key, token));
    expect(first.status).toBe(201);
    const again = await post(ITEMS_IMPORT, qa(3, 'Retried'), withKey(key, token));
    expectReplayOf(first, again);
    expect(await itemCount(token)).toBe(3);

    const csv = 'question,answer\nFrom a file?,Yes.\n';
    const file = await t.request('POST', FILE_IMPORT, undefined, { ...withKey(key, token, { 'content-type': 'text/csv' }), rawBody: csv });
    expect(file.status, 'the same key on another route is another request').toBe(201);
    const fileAgain = await t.request('POST', FILE_IMPORT, undefined, {
      ...withKey(key, token, { 'content-type': 'text/csv' }),
      rawBody: csv,
    });
    expectReplayOf(file, fileAgain);
    // The same rows uploaded as a file are the same request: the key looks at what was imported, not how it was sent.
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'faq.csv');
    expectReplayOf(file, await t.request('POST', FILE_IMPORT, undefined, { ...withKey(key, token), rawBody: form }));
    expect(await itemCount(token)).toBe(4);
  });

  it('refuses the same key with a different batch (422) and writes nothing; another account’s same key is its own', async () => {
    const { token } = await signUp(t);
    const other = await signUp(t);
    const key = randomUUID();
    expect((await post(ITEMS_IMPORT, qa(2, 'First'), withKey(key, token))).status).toBe(201);
    const changed = await post(ITEMS_IMPORT, qa(2, 'Second'), withKey(key, token));
    expect({ status: changed.status, code: changed.body.error.code }).toEqual({ status: 422, code: 'idempotency_key_reused' });
    expect(await itemCount(token)).toBe(2);
    const elsewhere = await post(ITEMS_IMPORT, qa(2, 'First'), withKey(key, other.token));
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.headers.get('idempotent-replayed')).toBeNull();
    expect(await itemCount(other.token)).toBe(2);
  });

  it('gives the key back when the import is refused, so the corrected batch can use it', async () => {
    const { token } = await signUp(t);
    const key = randomUUID();
    const bad = await post(ITEMS_IMPORT, [{ title: 'No answer' }], withKey(key, token));
    expect(bad.status).toBe(422);
    const tooMany = await post(ITEMS_IMPORT, qa(60, 'Over the plan'), withKey(key, token));
    expect(tooMany.body.error.code).toBe('plan_limit_reached');
    expect((await post(ITEMS_IMPORT, qa(2, 'Fixed'), withKey(key, token))).status).toBe(201);
    expect(await itemCount(token)).toBe(2);
  });

  it('writes once when the same import is sent 8 times at once: the others replay it or are told it is in progress', async () => {
    const { token } = await signUp(t);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => post(ITEMS_IMPORT, qa(5, 'Racing'), withKey(key, token))));
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of created) expect(r.body).toEqual(created[0]!.body);
    for (const r of results.filter((r) => r.status !== 201))
      expect({ status: r.status, code: r.body.error.code, retry: r.headers.get('retry-after') }).toEqual({
        status: 409,
        code: 'idempotency_key_in_progress',
        retry: '1',
      });
    expect(await itemCount(token)).toBe(5);
    expectReplayOf(
      created.find((r) => !r.headers.get('idempotent-replayed'))!,
      await post(ITEMS_IMPORT, qa(5, 'Racing'), withKey(key, token)),
    );
  });

  it('answers a retry whose first answer was lost with a dropped connection', async () => {
    const { token } = await signUp(t);
    const key = randomUUID();
    const body = JSON.stringify(qa(40, 'Dropped'));
    const { hostname, port } = new URL(t.url);
    // The client sends the whole import and hangs up once the items are in, before reading any answer.
    const req = http.request({
      host: hostname,
      port,
      method: 'POST',
      path: ITEMS_IMPORT,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    });
    req.on('error', () => {});
    req.end(body);
    await expect.poll(() => itemCount(token), { timeout: 30_000 }).toBe(40);
    req.destroy();
    const retry = await post(ITEMS_IMPORT, JSON.parse(body), withKey(key, token));
    expect(retry.status).toBe(201);
    expect(retry.body.map((i: { title: string }) => i.title)).toEqual(qa(40, 'Dropped').map((i) => i.title));
    expect(await itemCount(token)).toBe(40);
  });

  it('hands a key held by a request that died before its write committed to the next attempt, once its lease ran out', async () => {
    const { token, accountId } = await signUp(t);
    const key = randomUUID();
    const fingerprintOf = async () => {
      // The fingerprint the route computes for this batch: learnt from a completed twin under another key.
      const twin = randomUUID();
      await post(ITEMS_IMPORT, qa(1, 'Held'), withKey(twin, token));
      const row = await t.deps.db('idempotency_keys').where({ account_id: accountId, key: twin }).first();
      await t.deps.db('idempotency_keys').where({ id: row.id }).delete();
      await t.deps.db('kb_items').where({ account_id: accountId }).delete();
      return row.fingerprint as string;
    };
    const fingerprint = await fingerprintOf();
    // What another server process leaves when it dies holding the key (its write rolled back with it).
    const held = (leaseUntil: Date) =>
      t.deps.db('idempotency_keys').insert({
        account_id: accountId,
        scope: `POST ${ITEMS_IMPORT}`,
        key,
        fingerprint,
        state: 'started',
        owner: randomUUID(),
        lease_until: nowIso(leaseUntil),
        created_at: nowIso(new Date()),
        expires_at: nowIso(new Date(Date.now() + 3_600_000)),
      });
    await held(new Date(Date.now() + 60_000));
    const busy = await post(ITEMS_IMPORT, qa(1, 'Held'), withKey(key, token));
    expect({ status: busy.status, code: busy.body.error.code }).toEqual({ status: 409, code: 'idempotency_key_in_progress' });
    await t.deps
      .db('idempotency_keys')
      .where({ account_id: accountId, key })
      .update({ lease_until: nowIso(new Date(Date.now() - 1000)) });
    const taken = await post(ITEMS_IMPORT, qa(1, 'Held'), withKey(key, token));
    expect({ status: taken.status, replayed: taken.headers.get('idempotent-replayed') }).toEqual({ status: 201, replayed: null });
    expectReplayOf(taken, await post(ITEMS_IMPORT, qa(1, 'Held'), withKey(key, token)));
    expect(await itemCount(token)).toBe(1);
  });

  it('forgets a key after 24 hours: the request then runs again, and expired keys are pruned', async () => {
    const { token, accountId } = await signUp(t);
    const key = randomUUID();
    expect((await post(ITEMS_IMPORT, qa(1, 'Old'), withKey(key, token))).status).toBe(201);
    const dayAgo = nowIso(new Date(Date.now() - 1000));
    await t.deps.db('idempotency_keys').where({ account_id: accountId, key }).update({ expires_at: dayAgo });
    const later = await post(ITEMS_IMPORT, qa(1, 'Old'), withKey(key, token));
    expect({ status: later.status, replayed: later.headers.get('idempotent-replayed') }).toEqual({ status: 201, replayed: null });
    expect(await itemCount(token)).toBe(2);

    await t.deps.db('idempotency_keys').where({ account_id: accountId, key }).update({ expires_at: dayAgo });
    await t.restart(); // pruning runs at start (and hourly)
    expect(await t.deps.db('idempotency_keys').where({ account_id: accountId })).toEqual([]);
  });

  it('refuses a key that is not 1–255 visible ASCII characters', async () => {
    const { token } = await signUp(t);
    for (const key of ['x'.repeat(256), 'has space', 'é']) {
      const res = await post(ITEMS_IMPORT, qa(1, 'Bad key'), { token, headers: { 'Idempotency-Key': key } });
      expect({ status: res.status, field: res.body.error?.details?.[0]?.field }, key).toEqual({ status: 422, field: 'Idempotency-Key' });
    }
    expect(await itemCount(token)).toBe(0);
  });
});

describe('Idempotency-Key on message posts', () => {
  it('answers a retried agent reply with the same message, written once', async () => {
    const { token, websiteToken } = await accountWithWebsite(t);
    const conversation = await visitorConversation(t, websiteToken);
    const path = `/nc-api/v1/conversations/${conversation.id}/messages`;
    const key = randomUUID();
    const first = await post(path, { content: 'We are on it.' }, withKey(key, token));
    expect(first.status).toBe(201);
    expectReplayOf(first, await post(path, { content: 'We are on it.' }, withKey(key, token)));
    const reused = await post(path, { content: 'Something else' }, withKey(key, token));
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const messages = (await t.get(`/nc-api/v1/conversations/${conversation.id}`, token)).body.messages as { content: string }[];
    expect(messages.filter((m) => m.content === 'We are on it.')).toHaveLength(1);
  });

  it('answers a retried visitor message with the same message, and only to a caller holding the conversation token', async () => {
    const { token, websiteToken } = await accountWithWebsite(t);
    const conversation = await visitorConversation(t, websiteToken);
    const path = `/api/v1/widget/messages?website_token=${websiteToken}`;
    const body = { conversation_id: conversation.id, content: 'Is my parcel lost?' };
    const key = randomUUID();
    const first = await post(path, body, withKey(key, undefined, { 'X-Conversation-Token': conversation.conversation_token }));
    expect(first.status).toBe(201);
    expectReplayOf(first, await post(path, body, withKey(key, undefined, { 'X-Conversation-Token': conversation.conversation_token })));
    const stranger = await post(path, body, withKey(key));
    expect(stranger.status).toBe(401);
    expect(stranger.text).not.toContain('parcel');
    const messages = (await t.get(`/nc-api/v1/conversations/${conversation.id}`, token)).body.messages as { content: string }[];
    expect(messages.filter((m) => m.content === body.content)).toHaveLength(1);
  });

  it('documents the header on every route that takes it', async () => {
    const spec = (await t.get('/openapi.json')).body;
    for (const [path, method] of [
      ['/nc-api/v1/knowledge_base/items/import', 'post'],
      ['/nc-api/v1/knowledge_base/import', 'post'],
      ['/nc-api/v1/conversations/{id}/messages', 'post'],
      ['/api/v1/widget/messages', 'post'],
    ] as const) {
      const op = spec.paths[path][method];
      expect(
        op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
        path,
      ).toContain('header:Idempotency-Key');
      expect(op.responses, path).toHaveProperty('409');
    }
  });
});

describe('Idempotency-Key across a crash', () => {
  const SERVE = path.join(PROJECT_ROOT, 'dist', 'server', 'serve.js');

  async function startServe(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [SERVE], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => child.kill('SIGKILL'));
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`serve.js exited (${code}) before listening`)));
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const url = /"msg":"server listening".*"url":"([^"]+)"|"url":"([^"]+)".*"msg":"server listening"/.exec(line);
        if (url) resolve(url[1] ?? url[2]!);
      });
    });
    return { child, url };
  }

  it(
    'replays an import whose server was killed (SIGKILL) after the import committed but before it answered',
    { timeout: 120_000 },
    async () => {
      await fs.access(SERVE);
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-idempotency-crash-'));
      cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
      const env: Record<string, string> = { NOVA_DATA_DIR: dataDir, NOVA_SECRET_STORE: 'file' };
      if (onPostgres) {
        const database = await createPostgresDatabase();
        cleanups.push(() => database.drop());
        env.DATABASE_URL = database.url;
      }
      const first = await startServe(env);
      const api = (base: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
        fetch(base + p, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const signUpRes = (await (
        await api(first.url, 'POST', '/nc-api/v1/accounts', { name: 'Crash', email: 'c@example.com', password: 'MyPass123!' })
      ).json()) as { token: string; account: { id: number } };
      // Room for the batch: the first account owns the instance and may raise its own plan.
      const auth = { authorization: `Bearer ${signUpRes.token}` };
      await api(first.url, 'PUT', `/nc-api/v1/accounts/${signUpRes.account.id}/plan`, { plan: 'pro' }, auth);
      const batch = Array.from({ length: 500 }, (_, i) => ({
        question: `How do I set up feature number ${i} of the product, step by step?`,
        answer: `Open the settings, choose feature ${i}, and follow the three steps shown on the screen to finish.`,
      }));
      const key = randomUUID();
      const count = async (base: string) =>
        ((await (await api(base, 'GET', `${ITEMS}?per_page=1`, undefined, auth)).json()) as { meta: { total: number } }).meta.total;

      const lost = api(first.url, 'POST', FILE_IMPORT, batch, { ...auth, 'idempotency-key': key }).then(
        (res) => `answered ${res.status}`,
        () => 'cut off',
      );
      // The rows commit before they are embedded: kill the server the moment they are visible.
      await expect.poll(() => count(first.url), { timeout: 60_000, interval: 10 }).toBe(500);
      first.child.kill('SIGKILL');
      expect(await lost, 'the server must die before it answers (the embedding after the commit takes seconds)').toBe('cut off');

      const second = await startServe(env);
      const retry = await api(second.url, 'POST', FILE_IMPORT, batch, { ...auth, 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const answer = (await retry.json()) as { imported: number; items: { id: number }[] };
      expect(answer.imported).toBe(500);
      expect(await count(second.url)).toBe(500);
      const listed = (await (await api(second.url, 'GET', `${ITEMS}?per_page=1&page=1`, undefined, auth)).json()) as {
        data: { id: number }[];
      };
      expect(answer.items.map((i) => i.id)).toContain(listed.data[0]!.id);
    },
  );
});
