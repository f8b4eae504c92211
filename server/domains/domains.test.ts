import { createHmac } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { loadConfig } from '../config.js';
import { widgetSnippet } from './presenter.js';

let t: TestServer;
let instanceOwner: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await TestServer.start();
  instanceOwner = await signUp(t);
});
afterAll(() => t.close());

const bind = (token: string, body: unknown) => t.post('/nc-api/v1/account/bind-domain', body, token);

describe('bind-domain', () => {
  it.each([
    ['ftp://example.com'],
    ['https://example.com/shop'],
    ['https://example.com?ref=1'],
    ['https://example.com/#top'],
    ['https://user:pass@example.com'],
    ['example.com'],
    ['javascript:alert(1)'],
    ['not a url at all'],
    [''],
  ])('refuses %j with 422 naming website_url', async (websiteUrl) => {
    const { token } = await signUp(t);
    const res = await bind(token, { website_url: websiteUrl });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'website_url' })]);
    expect((await t.get('/nc-api/v1/account/domains', token)).body.data).toEqual([]);
  });

  it('refuses a missing or non-string website_url and an over-long label', async () => {
    const { token } = await signUp(t);
    expect((await bind(token, {})).body.error.details).toEqual([expect.objectContaining({ field: 'website_url' })]);
    expect((await bind(token, { website_url: 42 })).body.error.details).toEqual([expect.objectContaining({ field: 'website_url' })]);
    const longLabel = await bind(token, { website_url: 'https://ok.example', label: 'x'.repeat(201) });
    expect(longLabel.status).toBe(422);
    expect(longLabel.body.error.details).toEqual([expect.objectContaining({ field: 'label' })]);
  });

  it('accepts an origin with a port or a trailing slash and stores the bare origin', async () => {
    const { token } = await signUp(t);
    const res = await bind(token, { website_url: 'HTTP://Shop.Example:8080/' });
    expect(res.status).toBe(201);
    const listed = await t.get('/nc-api/v1/account/domains', token);
    expect(listed.body.data).toEqual([expect.objectContaining({ website_url: 'http://shop.example:8080', label: null })]);
  });

  it('gives each domain its own inbox and an unguessable website token', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const one = await bind(a.token, { website_url: 'https://one.example' });
    const two = await bind(b.token, { website_url: 'https://one.example' });
    expect(one.status).toBe(201);
    expect(two.status).toBe(201); // the same site may be bound by two accounts: tokens and inboxes differ
    expect(one.body.website_token).not.toBe(two.body.website_token);
    expect(one.body.inbox_id).not.toBe(two.body.inbox_id);
    expect(one.body.website_token.slice('wk_live_'.length)).toMatch(/^[A-Za-z0-9_-]{24,}$/);
  });

  it('allows one domain on starter: the second answers 403 plan_limit_reached and writes nothing', async () => {
    const { token } = await signUp(t);
    expect((await bind(token, { website_url: 'https://first.example' })).status).toBe(201);
    const second = await bind(token, { website_url: 'https://second.example' });
    expect(second.status).toBe(403);
    expect(second.body.error).toMatchObject({ code: 'plan_limit_reached', details: { limit: 'domains', max: 1 } });
    const status = await t.get('/nc-api/v1/account/status', token);
    expect(status.body.usage.domains).toBe(1);
    expect(status.body.domains.map((d: { website_url: string }) => d.website_url)).toEqual(['https://first.example']);
  });

  it('answers 409 for a website already bound to the account', async () => {
    const account = await signUp(t);
    await t.put(`/nc-api/v1/accounts/${account.accountId}/plan`, { plan: 'pro' }, instanceOwner.token);
    expect((await bind(account.token, { website_url: 'https://dup.example' })).status).toBe(201);
    const dup = await bind(account.token, { website_url: 'https://dup.example/' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('domain_exists');
    expect((await t.get('/nc-api/v1/account/status', account.token)).body.usage.domains).toBe(1);
  });
});

describe('a bound domain', () => {
  it('can be deleted, freeing its plan slot', async () => {
    const { token } = await signUp(t);
    const bound = await bind(token, { website_url: 'https://gone.example' });
    const id = bound.body.domain_id;
    expect((await t.get(`/nc-api/v1/account/domains/${id}`, token)).status).toBe(200);
    expect((await t.del(`/nc-api/v1/account/domains/${id}`, token)).status).toBe(204);
    const after = await t.get(`/nc-api/v1/account/domains/${id}`, token);
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('not_found');
    expect((await t.del(`/nc-api/v1/account/domains/${id}`, token)).status).toBe(404);
    expect((await t.get('/nc-api/v1/account/status', token)).body.usage.domains).toBe(0);
    expect((await bind(token, { website_url: 'https://next.example' })).status).toBe(201);
  });

  it('is listed in the contract’s list shape, paged', async () => {
    const account = await signUp(t);
    await t.put(`/nc-api/v1/accounts/${account.accountId}/plan`, { plan: 'pro' }, instanceOwner.token);
    for (const host of ['a', 'b', 'c']) await bind(account.token, { website_url: `https://${host}.paged.example` });
    const page = await t.get('/nc-api/v1/account/domains?per_page=2&page=2', account.token);
    expect(page.body.meta).toEqual({ total: 3, page: 2, per_page: 2 });
    expect(page.body.data.map((d: { website_url: string }) => d.website_url)).toEqual(['https://c.paged.example']);
    expect(page.body.data[0].widget_code).toContain('window.novaChatSettings');
  });

  it('answers 404 for an id that is not plain decimal, and never acts on the object its number names', async () => {
    const { token } = await signUp(t);
    const { body } = await bind(token, { website_url: 'https://spelling.example' });
    const id: number = body.domain_id;
    for (const spelling of ['abc', '0', '-3', '1.5', `+${id}`, `0x${id.toString(16)}`, `${id}e0`, `0${id}`, `%20${id}`, '2147483648']) {
      const read = await t.get(`/nc-api/v1/account/domains/${spelling}`, token);
      expect({ status: read.status, code: read.body.error.code }, spelling).toEqual({ status: 404, code: 'not_found' });
      expect((await t.del(`/nc-api/v1/account/domains/${spelling}`, token)).status, spelling).toBe(404);
    }
    expect((await t.get(`/nc-api/v1/account/domains/${id}`, token)).status).toBe(200);
  });

  it('answers 422 to an update that changes nothing ({}), and keeps the domain as it was', async () => {
    const { token } = await signUp(t);
    const { body } = await bind(token, { website_url: 'https://empty-update.example', label: 'Kept' });
    const res = await t.put(`/nc-api/v1/account/domains/${body.domain_id}`, {}, token);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: '(body)', message: 'send at least one field to change' }]);
    expect((await t.get(`/nc-api/v1/account/domains/${body.domain_id}`, token)).body.label).toBe('Kept');
  });

  it('updates its widget settings and label; the snippet follows the position', async () => {
    const { token } = await signUp(t);
    const { body } = await bind(token, { website_url: 'https://look.example' });
    const id = body.domain_id;
    const first = await t.put(
      `/nc-api/v1/account/domains/${id}`,
      { widget_settings: { position: 'bottom_left', color: '#1f6feb' } },
      token,
    );
    expect(first.status).toBe(200);
    expect(first.body.widget_settings).toEqual({ position: 'bottom_left', color: '#1f6feb' });
    expect(first.body.widget_code).toContain('"bottom_left"');

    // A second update merges into the stored settings.
    const second = await t.put(`/nc-api/v1/account/domains/${id}`, { label: 'Shop', widget_settings: { title: 'Ask us' } }, token);
    expect(second.body).toMatchObject({ label: 'Shop', widget_settings: { position: 'bottom_left', color: '#1f6feb', title: 'Ask us' } });
    const reread = await t.get(`/nc-api/v1/account/domains/${id}`, token);
    expect(reread.body.widget_settings).toEqual(second.body.widget_settings);

    const badColour = await t.put(`/nc-api/v1/account/domains/${id}`, { widget_settings: { color: 'red' } }, token);
    expect(badColour.status).toBe(422);
    expect(badColour.body.error.details).toEqual([expect.objectContaining({ field: 'widget_settings.color' })]);
    const badPosition = await t.put(`/nc-api/v1/account/domains/${id}`, { widget_settings: { position: 'top' } }, token);
    expect(badPosition.body.error.details).toEqual([expect.objectContaining({ field: 'widget_settings.position' })]);
    const unknownKey = await t.put(`/nc-api/v1/account/domains/${id}`, { widget_settings: { font: 'Comic Sans' } }, token);
    expect(unknownKey.status).toBe(422);
    expect((await t.get(`/nc-api/v1/account/domains/${id}`, token)).body.widget_settings).toEqual(second.body.widget_settings);
  });
});

describe('ai-config', () => {
  it('attaches an AI agent of the account, detaches it, and refuses others with 404', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const domain = (await bind(a.token, { website_url: 'https://ai.example' })).body.domain_id;
    const mine = (await t.post('/nc-api/v1/agents', { bot_name: 'Mine' }, a.token)).body.id;
    const theirs = (await t.post('/nc-api/v1/agents', { bot_name: 'Theirs' }, b.token)).body.id;
    const human = (await t.get('/nc-api/v1/agents?type=human', a.token)).body.data[0].id;
    const path = `/nc-api/v1/account/domains/${domain}/ai-config`;

    const foreign = await t.post(path, { ai_bot_config_id: theirs, is_active: true }, a.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await t.post(path, { ai_bot_config_id: human, is_active: true }, a.token)).status).toBe(404);
    expect((await t.get(path, a.token)).body).toEqual({ domain_id: domain, ai_bot_config_id: null, is_active: false });

    expect((await t.post(path, { ai_bot_config_id: mine, is_active: true }, a.token)).status).toBe(200);
    expect((await t.get(path, a.token)).body).toEqual({ domain_id: domain, ai_bot_config_id: mine, is_active: true });
    const paused = await t.post(path, { ai_bot_config_id: mine, is_active: false }, a.token);
    expect(paused.body).toEqual({ domain_id: domain, ai_bot_config_id: mine, is_active: false });
    const detached = await t.post(path, { ai_bot_config_id: null, is_active: true }, a.token);
    expect(detached.body).toEqual({ domain_id: domain, ai_bot_config_id: null, is_active: false });

    const wrongType = await t.post(path, { ai_bot_config_id: 'one', is_active: 'yes' }, a.token);
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['ai_bot_config_id', 'is_active']);
  });

  it('is cleared when the AI agent is deleted', async () => {
    const { token } = await signUp(t);
    const domain = (await bind(token, { website_url: 'https://bye.example' })).body.domain_id;
    const bot = (await t.post('/nc-api/v1/agents', { bot_name: 'Temp' }, token)).body.id;
    await t.post(`/nc-api/v1/account/domains/${domain}/ai-config`, { ai_bot_config_id: bot, is_active: true }, token);
    expect((await t.del(`/nc-api/v1/agents/${bot}`, token)).status).toBe(204);
    expect((await t.get(`/nc-api/v1/account/domains/${domain}/ai-config`, token)).body).toEqual({
      domain_id: domain,
      ai_bot_config_id: null,
      is_active: false,
    });
  });
});

/** A call with a Host header of our choosing (fetch sets its own). */
function withHost(method: string, url: string, host: string, token: string, body?: unknown) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        setHost: false,
        headers: { Host: host, Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('widget snippets', () => {
  const hostile = 'evil.example"><script>alert(1)</script>';

  it('point at the address the server listens on, whatever Host the request names', async () => {
    const { token } = await signUp(t);
    const bound = await withHost('POST', `${t.url}/nc-api/v1/account/bind-domain`, hostile, token, {
      website_url: 'https://host.example',
    });
    expect(bound.status).toBe(201);
    expect(bound.body.widget_code).toContain(`<script src="${t.url}/widget.js" async></script>`);
    expect(bound.body.widget_code).not.toContain('evil.example');
    const listed = await withHost('GET', `${t.url}/nc-api/v1/account/domains`, hostile, token);
    expect(listed.body.data[0].widget_code).toBe(bound.body.widget_code);
    const one = await withHost('GET', `${t.url}/nc-api/v1/account/domains/${bound.body.domain_id}`, hostile, token);
    expect(one.body.widget_code).toBe(bound.body.widget_code);
  });

  it.each([
    ['NOVA_PUBLIC_URL', 'https://chat.example.com/'],
    ['NOVA_PUBLIC_URL', 'https://chat.example.com'],
    ['PUBLIC_URL', 'https://chat.example.com/'],
  ])('use %s=%s (behind a reverse proxy) instead', async (variable, value) => {
    const proxied = await TestServer.start({ env: { [variable]: value } });
    try {
      const { token } = await signUp(proxied);
      const bound = await proxied.post('/nc-api/v1/account/bind-domain', { website_url: 'https://proxied.example' }, token);
      expect(bound.body.widget_code).toContain('<script src="https://chat.example.com/widget.js" async></script>');
    } finally {
      await proxied.close();
    }
  });

  it('keep a path prefix of NOVA_PUBLIC_URL, and a server refuses to start on one that is not an http(s) base URL', async () => {
    const prefixed = await TestServer.start({
      env: { NOVA_PUBLIC_URL: 'https://example.com/support/', PUBLIC_URL: 'https://old.example' },
    });
    try {
      const { token } = await signUp(prefixed);
      const bound = await prefixed.post('/nc-api/v1/account/bind-domain', { website_url: 'https://prefixed.example' }, token);
      expect(bound.body.widget_code).toContain('<script src="https://example.com/support/widget.js" async></script>');
    } finally {
      await prefixed.close();
    }
    for (const bad of ['javascript:alert(1)', 'chat.example.com', 'https://chat.example.com/?a=1', 'https://user:pw@chat.example.com'])
      expect(() => loadConfig({ NOVA_PUBLIC_URL: bad })).toThrow(/NOVA_PUBLIC_URL/);
  });

  it('escape every value they write, for the script and for the attribute', () => {
    const code = widgetSnippet('https://chat.example.com/a"b<c>', 'wk_live_</script><script>alert(1)//\u2028', '"bottom_left</script>');
    const [, settings] = /<script>\n(.*)\n<\/script>/.exec(code)!;
    expect(settings).not.toMatch(/<|>/);
    const src = /<script src="([^"]*)" async><\/script>$/.exec(code)![1]!;
    expect(src).not.toMatch(/[<>"]/);
    expect(code.match(/<script/g)).toHaveLength(2);
    expect(code.match(/<\/script>/g)).toHaveLength(2);
  });
});

describe('identity validation secrets', () => {
  async function member(ownerToken: string, role: 'agent' | 'admin') {
    const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const created = await t.post('/nc-api/v1/agents', { type: 'human', name: role, email, password: 'AgentPass123!', role }, ownerToken);
    expect(created.status).toBe(201);
    return (await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass123!' })).body.token as string;
  }

  it('are shown to signed-in admins only, rotate, and appear in no other answer', async () => {
    const owner = await signUp(t);
    const bound = await bind(owner.token, { website_url: 'https://identity.example' });
    const path = `/nc-api/v1/account/domains/${bound.body.domain_id}/identity-validation`;
    const shown = await t.get(path, owner.token);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ domain_id: bound.body.domain_id, identity_secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const secret = shown.body.identity_secret as string;
    expect((await t.get(path, await member(owner.token, 'admin'))).body.identity_secret).toBe(secret);

    const agentToken = await member(owner.token, 'agent');
    const key = (await t.post('/nc-api/v1/api-keys', { name: 'k', permissions: ['read', 'write'] }, owner.token)).body.full_key;
    const stranger = await signUp(t);
    for (const [token, status] of [
      [agentToken, 403],
      [key, 403],
      [stranger.token, 404],
    ] as const) {
      expect((await t.get(path, token)).status).toBe(status);
      expect((await t.post(`${path}/rotate`, {}, token)).status).toBe(status);
    }

    const everywhere = [
      bound,
      await t.get('/nc-api/v1/account/domains', owner.token),
      await t.get(`/nc-api/v1/account/domains/${bound.body.domain_id}`, owner.token),
      await t.get('/nc-api/v1/account/status', owner.token),
      await t.get(`/api/v1/widget/config?website_token=${bound.body.website_token}`),
    ];
    for (const res of everywhere) expect(res.text).not.toContain(secret);
    // At rest it is sealed: a copy of the database file does not give it away.
    const stored = await t.deps.db('domains').where({ id: bound.body.domain_id }).first('identity_secret');
    expect(stored.identity_secret).toMatch(/^v1\./);
    expect(stored.identity_secret).not.toContain(secret);

    const rotated = await t.post(`${path}/rotate`, {}, owner.token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.identity_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.identity_secret).not.toBe(secret);
    expect((await t.get(path, owner.token)).body.identity_secret).toBe(rotated.body.identity_secret);
  });

  it('stored in clear by an older release are sealed when the server starts, and keep verifying', async () => {
    const own = await TestServer.start();
    try {
      const owner = await signUp(own);
      const bound = (await own.post('/nc-api/v1/account/bind-domain', { website_url: 'https://older.example' }, owner.token)).body;
      const path = `/nc-api/v1/account/domains/${bound.domain_id}/identity-validation`;
      const legacy = 'ab'.repeat(32);
      await own.deps.db('domains').where({ id: bound.domain_id }).update({ identity_secret: legacy });
      await own.restart();
      const stored = await own.deps.db('domains').where({ id: bound.domain_id }).first('identity_secret');
      expect(stored.identity_secret).toMatch(/^v1\./);
      expect((await own.get(path, owner.token)).body.identity_secret).toBe(legacy);
      const email = 'ann@example.com';
      const vouched = await own.post(`/api/v1/widget/conversations?website_token=${bound.website_token}`, {
        contact: { email, identifier_hash: createHmac('sha256', legacy).update(email).digest('hex') },
        message: 'Hello',
      });
      expect(vouched.status).toBe(201);
      expect(vouched.body.contact).toMatchObject({ email, verified: true });
    } finally {
      await own.close();
    }
  });
});
