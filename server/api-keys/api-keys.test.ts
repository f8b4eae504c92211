import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t.close());

async function createKey(token: string, permissions: string[], name = 'Integration') {
  const res = await t.post('/nc-api/v1/api-keys', { name, permissions }, token);
  if (res.status !== 201) throw new Error(`key create failed: ${res.status} ${res.text}`);
  return res.body as { key: { id: number; prefix: string }; full_key: string };
}

describe('API keys', () => {
  it('shows the full key once; the list shows only its prefix', async () => {
    const owner = await signUp(t);
    const created = await t.post('/nc-api/v1/api-keys', { name: 'CI', permissions: ['write', 'read'] }, owner.token);
    expect(created.status).toBe(201);
    const { key, full_key } = created.body;
    expect(full_key).toMatch(/^nc_live_[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(key).toMatchObject({ name: 'CI', permissions: ['write', 'read'], last_used_at: null });
    expect(full_key.startsWith(key.prefix)).toBe(true);
    expect(key.prefix.length).toBeLessThan(full_key.length / 2);

    const listed = await t.get('/nc-api/v1/api-keys', owner.token);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: key.id, name: 'CI', prefix: key.prefix })]);
    expect(listed.body.meta).toEqual({ total: 1, page: 1, per_page: 100 });
    expect(listed.text).not.toContain(full_key);
    expect(listed.text).not.toContain(full_key.slice(key.prefix.length));
    expect(listed.text).not.toMatch(/hash/);
  });

  it('refuses an empty name, unknown permissions and no permissions with 422', async () => {
    const owner = await signUp(t);
    const cases: [unknown, string][] = [
      [{ name: '', permissions: ['read'] }, 'name'],
      [{ name: 'k', permissions: ['admin'] }, 'permissions.0'],
      [{ name: 'k', permissions: [] }, 'permissions'],
      [{ name: 'k', permissions: 'read' }, 'permissions'],
      [{ name: 'k', permissions: ['read', 'write', 'read'] }, 'permissions'],
    ];
    for (const [body, field] of cases) {
      const res = await t.post('/nc-api/v1/api-keys', body, owner.token);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
    }
    expect((await t.get('/nc-api/v1/api-keys', owner.token)).body.data).toEqual([]);
  });

  it('lets a read key GET but answers 403 insufficient_permission to its writes', async () => {
    const owner = await signUp(t);
    const { full_key } = await createKey(owner.token, ['read']);
    expect((await t.get('/nc-api/v1/account/status', full_key)).status).toBe(200);
    expect((await t.get('/nc-api/v1/agents', full_key)).status).toBe(200);
    const writes = await Promise.all([
      t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://read.example' }, full_key),
      t.post('/nc-api/v1/agents', { bot_name: 'No' }, full_key),
    ]);
    for (const res of writes) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_permission');
    }
    expect((await t.get('/nc-api/v1/account/status', owner.token)).body.usage).toMatchObject({ domains: 0, agents: 0 });
  });

  it('lets a write key write, and read too', async () => {
    const owner = await signUp(t);
    const { full_key } = await createKey(owner.token, ['write']);
    const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://write.example' }, full_key);
    expect(bound.status).toBe(201);
    const bot = await t.post('/nc-api/v1/agents', { bot_name: 'ByKey' }, full_key);
    expect(bot.status).toBe(201);
    const status = await t.get('/nc-api/v1/account/status', full_key);
    expect(status.status).toBe(200);
    expect(status.body.usage).toMatchObject({ domains: 1, agents: 1 });
  });

  it('stops working on the very next request after revocation', async () => {
    const owner = await signUp(t);
    const keep = await createKey(owner.token, ['read'], 'keep');
    const gone = await createKey(owner.token, ['read', 'write'], 'gone');
    expect((await t.get('/nc-api/v1/account/status', gone.full_key)).status).toBe(200);
    expect((await t.del(`/nc-api/v1/api-keys/${gone.key.id}`, owner.token)).status).toBe(204);
    const after = await t.get('/nc-api/v1/account/status', gone.full_key);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    expect((await t.get('/nc-api/v1/account/status', keep.full_key)).status).toBe(200);
    expect((await t.get('/nc-api/v1/api-keys', owner.token)).body.data.map((k: { name: string }) => k.name)).toEqual(['keep']);
    expect((await t.del(`/nc-api/v1/api-keys/${gone.key.id}`, owner.token)).status).toBe(404);
  });

  it('cannot manage API keys, even with write permission', async () => {
    const owner = await signUp(t);
    const { key, full_key } = await createKey(owner.token, ['read', 'write']);
    const attempts = await Promise.all([
      t.get('/nc-api/v1/api-keys', full_key),
      t.post('/nc-api/v1/api-keys', { name: 'child', permissions: ['write'] }, full_key),
      t.del(`/nc-api/v1/api-keys/${key.id}`, full_key),
    ]);
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('api_key_not_allowed');
    }
    expect((await t.get('/nc-api/v1/api-keys', owner.token)).body.data).toHaveLength(1);
    expect((await t.get('/nc-api/v1/account/status', full_key)).status).toBe(200);
  });

  it('rejects an unknown key that looks like a real one with 401', async () => {
    await signUp(t);
    const res = await t.get('/nc-api/v1/account/status', `nc_live_${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
  });

  it('records when a key was last used', async () => {
    const owner = await signUp(t);
    const { key, full_key } = await createKey(owner.token, ['read']);
    await t.get('/nc-api/v1/agents', full_key);
    await expect
      .poll(
        async () => (await t.get('/nc-api/v1/api-keys', owner.token)).body.data.find((k: { id: number }) => k.id === key.id).last_used_at,
      )
      .toEqual(expect.any(String));
  });
});
