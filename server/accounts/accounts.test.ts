import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRETS_FILE } from '../secrets/file.js';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { serversPerTest } from '../../test/helpers/servers-per-test.js';

const server = serversPerTest();

const DAY_MS = 86_400_000;
const json = { 'Content-Type': 'application/json' };

/** Sends a body exactly as the quick-start's curl does: a raw JSON string with its headers. */
const curl = (t: TestServer, method: string, urlPath: string, raw: string | undefined, token?: string) =>
  t.request(method, urlPath, undefined, {
    rawBody: raw,
    headers: { ...(raw !== undefined ? json : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });

describe('the quick-start, call by call as the page writes them', () => {
  it('creates an account, logs in, binds a website, creates an AI agent, attaches it and mints an API key', async () => {
    const t = await server();

    const created = await curl(
      t,
      'POST',
      '/nc-api/v1/accounts',
      '{"name":"My Company","email":"admin@mycompany.com","password":"MyPass123!","plan":"starter"}',
    );
    expect(created.status).toBe(201);
    expect(created.body.account).toMatchObject({ name: 'My Company', plan: 'starter' });
    expect(created.body.user).toMatchObject({ email: 'admin@mycompany.com' });
    expect(typeof created.body.token).toBe('string');

    const login = await curl(t, 'POST', '/nc-api/v1/auth/login', '{"email":"admin@mycompany.com","password":"MyPass123!"}');
    expect(login.status).toBe(200);
    expect(login.body.token).toMatch(/^eyJhbG/);
    expect(login.body.user).toMatchObject({ id: created.body.user.id, email: 'admin@mycompany.com' });
    const TOKEN = login.body.token as string;

    const status = await curl(t, 'GET', '/nc-api/v1/account/status', undefined, TOKEN);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      plan: 'starter',
      limits: { domains: 1, agents: 3, kb_items: 50 },
      usage: { domains: 0, agents: 0, kb_items: 0 },
      agentic_rag_enabled: false,
      domains: [],
    });
    const trialEnds = Date.parse(status.body.trial_ends_at);
    expect(Math.abs(trialEnds - (Date.now() + 14 * DAY_MS))).toBeLessThan(5 * 60_000);

    const bound = await curl(
      t,
      'POST',
      '/nc-api/v1/account/bind-domain',
      '{"website_url":"https://mycompany.com","label":"Main Site"}',
      TOKEN,
    );
    expect(bound.status).toBe(201);
    expect(Number.isInteger(bound.body.domain_id)).toBe(true);
    expect(bound.body.website_token).toMatch(/^wk_live_[A-Za-z0-9_-]{24,}$/);
    expect(bound.body.widget_code).toContain('/widget.js');
    expect(bound.body.widget_code).toContain('window.novaChatSettings');
    expect(bound.body.widget_code).toContain(bound.body.website_token);

    const afterBind = await curl(t, 'GET', '/nc-api/v1/account/status', undefined, TOKEN);
    expect(afterBind.body.domains).toEqual([
      expect.objectContaining({
        id: bound.body.domain_id,
        website_url: 'https://mycompany.com',
        website_token: bound.body.website_token,
        chatwoot_inbox_id: expect.any(Number),
      }),
    ]);

    const listed = await curl(t, 'GET', '/nc-api/v1/account/domains', undefined, TOKEN);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((d: { id: number }) => d.id)).toEqual([bound.body.domain_id]);

    const agents = await curl(t, 'GET', '/nc-api/v1/agents', undefined, TOKEN);
    expect(agents.status).toBe(200);
    // The owner is a human agent of their own account from the start.
    expect(agents.body.data).toEqual([expect.objectContaining({ type: 'human', email: 'admin@mycompany.com', is_owner: true })]);

    const bot = await curl(
      t,
      'POST',
      '/nc-api/v1/agents',
      '{"bot_name":"SupportBot","greeting_message":"Hi! How can I help?","system_prompt":"You are a helpful support agent. Be friendly and concise."}',
      TOKEN,
    );
    expect(bot.status).toBe(201);
    expect(bot.body).toMatchObject({ type: 'ai', bot_name: 'SupportBot', greeting_message: 'Hi! How can I help?' });

    const aiConfig = await curl(
      t,
      'POST',
      `/nc-api/v1/account/domains/${bound.body.domain_id}/ai-config`,
      `{"ai_bot_config_id":${bot.body.id},"is_active":true}`,
      TOKEN,
    );
    expect(aiConfig.status).toBe(200);
    expect(aiConfig.body).toMatchObject({ domain_id: bound.body.domain_id, ai_bot_config_id: bot.body.id, is_active: true });
    const agentsAfter = await curl(t, 'GET', '/nc-api/v1/agents', undefined, TOKEN);
    expect(agentsAfter.body.data.find((a: { id: number }) => a.id === bot.body.id).domain_ids).toEqual([bound.body.domain_id]);

    const key = await curl(t, 'POST', '/nc-api/v1/api-keys', '{"name":"My Integration","permissions":["read"]}', TOKEN);
    expect(key.status).toBe(201);
    expect(key.body.key).toMatchObject({ name: 'My Integration', permissions: ['read'] });
    expect(key.body.full_key).toMatch(/^nc_live_[A-Za-z0-9_-]{40,}$/);
    const keys = await curl(t, 'GET', '/nc-api/v1/api-keys', undefined, TOKEN);
    expect(keys.text).not.toContain(key.body.full_key);

    // "Authorization: Bearer nc_live_xxx with the API Key for server-to-server calls."
    const withKey = await curl(t, 'GET', '/nc-api/v1/account/status', undefined, key.body.full_key);
    expect(withKey.status).toBe(200);
    expect(withKey.body.domains[0].website_token).toBe(bound.body.website_token);
  });
});

describe('register', () => {
  it('rejects a short password, a bad email and a missing name with 422 naming each field', async () => {
    const t = await server();
    const short = await t.post('/nc-api/v1/accounts', { name: 'A', email: 'a@example.com', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('validation_failed');
    expect(short.body.error.details).toEqual([expect.objectContaining({ field: 'password' })]);

    const badEmail = await t.post('/nc-api/v1/accounts', { name: 'A', email: 'not-an-email', password: 'MyPass123!' });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.error.details).toEqual([expect.objectContaining({ field: 'email' })]);

    const both = await t.post('/nc-api/v1/accounts', { email: 'a@example.com', password: 'x' });
    expect(both.status).toBe(422);
    expect(both.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'password']);

    const unknownPlan = await t.post('/nc-api/v1/accounts', { name: 'A', email: 'a@example.com', password: 'MyPass123!', plan: 'gold' });
    expect(unknownPlan.status).toBe(422);
    expect(unknownPlan.body.error.details).toEqual([expect.objectContaining({ field: 'plan' })]);

    // Nothing was created by the rejected calls: the email is still free.
    expect((await t.post('/nc-api/v1/accounts', { name: 'A', email: 'a@example.com', password: 'MyPass123!' })).status).toBe(201);
  });

  it('answers 409 for an email already registered, whatever its case', async () => {
    const t = await server();
    const first = await signUp(t);
    const again = await t.post('/nc-api/v1/accounts', { name: 'B', email: first.email.toUpperCase(), password: 'MyPass123!' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('makes exactly one instance owner and one account per email when sign-ups race', async () => {
    const t = await server();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.post('/nc-api/v1/accounts', {
          name: `Racer ${i}`,
          email: i < 3 ? 'same@example.com' : `racer${i}@example.com`,
          password: 'MyPass123!',
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(4);
    for (const r of results.filter((r) => r.status !== 201)) expect(r.status).toBe(409);
    const owners = await Promise.all(
      created.map(async (r) => (await t.get('/nc-api/v1/auth/me', r.body.token)).body.user.is_instance_admin),
    );
    expect(owners.filter(Boolean)).toHaveLength(1);
  });

  it('lets only the first account choose a paid plan; later accounts start on starter', async () => {
    const t = await server();
    const owner = await t.post('/nc-api/v1/accounts', { name: 'Owner', email: 'owner@example.com', password: 'MyPass123!', plan: 'pro' });
    expect(owner.status).toBe(201);
    expect(owner.body.account).toMatchObject({ plan: 'pro', trial_ends_at: null });

    const second = await t.post('/nc-api/v1/accounts', { name: 'Other', email: 'other@example.com', password: 'MyPass123!', plan: 'pro' });
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('plan_requires_instance_owner');
    const login = await t.post('/nc-api/v1/auth/login', { email: 'other@example.com', password: 'MyPass123!' });
    expect(login.status).toBe(401);
  });
});

/**
 * Sends `size` password-hashing requests at once and, once the first has answered (so the others' hashes are
 * all waiting), a probe that reads the database, which shares libuv's thread pool with the hashes. Answers how
 * many of the flood had answered by the time the probe did: few when hashing leaves a thread free, nearly all
 * when the probe's read queues behind every hash.
 */
async function floodThenProbe(size: number, send: (i: number) => Promise<{ status: number }>, probe: () => Promise<{ status: number }>) {
  let answered = 0;
  let firstAnswer!: () => void;
  const first = new Promise<void>((resolve) => (firstAnswer = resolve));
  const flood = Array.from({ length: size }, (_, i) =>
    send(i).then((res) => {
      answered += 1;
      firstAnswer();
      return res.status;
    }),
  );
  await first;
  const probed = await probe();
  const answeredBeforeProbe = answered;
  expect(probed.status).toBe(200);
  return { statuses: await Promise.all(flood), answeredBeforeProbe };
}

describe('sign-up: throttle and switch', () => {
  const register = (t: TestServer, i: number | string, from?: string) => {
    const body = { name: `Company ${i}`, email: `signup-${i}@example.com`, password: 'MyPass123!' };
    return from ? t.postFrom(from, '/nc-api/v1/accounts', body) : t.post('/nc-api/v1/accounts', body);
  };

  it('throttles sign-ups per address with 429 and Retry-After; another address is not held', async () => {
    const t = await server({ signupsPerAddress: 3 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await register(t, i)).status);
    // A taken e-mail counts too: probing which e-mails exist is what the throttle slows.
    statuses.push((await register(t, 0)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await register(t, 'late');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.post('/nc-api/v1/auth/login', { email: 'signup-late@example.com', password: 'MyPass123!' })).status).toBe(401);
    expect((await register(t, 'elsewhere', '127.0.0.2')).status).toBe(201);
  });

  it('with NOVA_SIGNUP=closed creates only the first account of an empty instance', async () => {
    const t = await server({ env: { NOVA_SIGNUP: 'closed' } });
    const first = await register(t, 'owner');
    expect(first.status).toBe(201);
    const second = await register(t, 'second');
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('signup_closed');
    expect((await t.post('/nc-api/v1/auth/login', { email: 'signup-second@example.com', password: 'MyPass123!' })).status).toBe(401);
    // The owner sees why, and cannot open it from the console: the server's setting wins.
    const owner = first.body.token;
    expect((await t.get('/nc-api/v1/instance/settings', owner)).body).toMatchObject({ signup: 'closed', signup_closed_by_server: true });
    expect((await t.put('/nc-api/v1/instance/settings', { signup: 'open' }, owner)).body).toMatchObject({
      signup: 'closed',
      signup_closed_by_server: true,
    });
    expect((await register(t, 'third')).status).toBe(403);
    expect((await t.get('/nc-api/v1/instance/signup')).body).toEqual({ open: false });
    // Teammates are still added by the account's admins.
    const teammate = await t.post(
      '/nc-api/v1/agents',
      { type: 'human', name: 'Mate', email: 'mate@example.com', password: 'MatePass1!' },
      owner,
    );
    expect(teammate.status).toBe(201);
  });

  it('lets the instance owner close and reopen sign-up, kept across a restart; nobody else may', async () => {
    const t = await server();
    const owner = await signUp(t);
    const other = await signUp(t);
    expect((await t.get('/nc-api/v1/instance/signup')).body).toEqual({ open: true });
    expect((await t.get('/nc-api/v1/instance/settings', owner.token)).body).toMatchObject({
      signup: 'open',
      signup_closed_by_server: false,
    });

    const denied = await t.put('/nc-api/v1/instance/settings', { signup: 'closed' }, other.token);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('instance_admin_required');
    const key = (await t.post('/nc-api/v1/api-keys', { name: 'k', permissions: ['write'] }, owner.token)).body.full_key;
    expect((await t.put('/nc-api/v1/instance/settings', { signup: 'closed' }, key)).body.error.code).toBe('api_key_not_allowed');
    expect((await t.put('/nc-api/v1/instance/settings', { signup: 'ajar' }, owner.token)).status).toBe(422);
    expect((await register(t, 'still-open')).status).toBe(201);

    const closed = await t.put('/nc-api/v1/instance/settings', { signup: 'closed' }, owner.token);
    expect(closed.body).toMatchObject({ signup: 'closed', signup_closed_by_server: false });
    const refused = await register(t, 'refused');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('signup_closed');
    expect((await t.get('/nc-api/v1/instance/signup')).body).toEqual({ open: false });

    await t.restart();
    expect((await register(t, 'after-restart')).status).toBe(403);
    expect((await t.put('/nc-api/v1/instance/settings', { signup: 'open' }, owner.token)).body.signup).toBe('open');
    expect((await register(t, 'reopened')).status).toBe(201);
  });

  it('keeps serving other requests during a 30-wide sign-up flood', async () => {
    const t = await server({ signupsPerAddress: 1000 });
    const { token } = await signUp(t);
    const { statuses, answeredBeforeProbe } = await floodThenProbe(
      30,
      (i) => register(t, `flood-${i}`),
      () => t.get('/nc-api/v1/account/status', token),
    );
    expect(statuses).toEqual(Array(30).fill(201));
    expect(answeredBeforeProbe).toBeLessThan(15);
  });
});

describe('login', () => {
  it('answers 401 for a wrong password and for an unknown email, with the same message', async () => {
    const t = await server();
    const { email } = await signUp(t);
    const wrong = await t.post('/nc-api/v1/auth/login', { email, password: 'WrongPass1!' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    const unknown = await t.post('/nc-api/v1/auth/login', { email: 'nobody@example.com', password: 'WrongPass1!' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('throttles repeated failures for one email with 429 and Retry-After, even for the right password', async () => {
    const t = await server({ loginMaxFailures: 2 });
    const { email } = await signUp(t);
    const other = await signUp(t);
    for (let i = 0; i < 2; i++) expect((await t.post('/nc-api/v1/auth/login', { email, password: 'WrongPass1!' })).status).toBe(401);
    const blocked = await t.post('/nc-api/v1/auth/login', { email, password: 'MyPass123!' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another email from the same IP is not locked out by this one.
    expect((await t.post('/nc-api/v1/auth/login', { email: other.email, password: 'MyPass123!' })).status).toBe(200);
  });

  it('checks no more than the limit of 100 concurrent guesses for one e-mail from one address, the right one among them', async () => {
    const t = await server();
    const { email } = await signUp(t);
    const guesses = Array.from({ length: 100 }, (_, i) => (i === 50 ? 'MyPass123!' : `Wrong${i}Pass!`));
    const answers = await Promise.all(guesses.map((password) => t.post('/nc-api/v1/auth/login', { email, password })));
    const checked = answers.filter((r) => r.status === 200 || r.status === 401);
    const refused = answers.filter((r) => r.status === 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.length + refused.length).toBe(100);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('backs off progressively: each window a pair uses up makes the next one twice as long, and a right password clears it', async () => {
    const t = await server({ loginMaxFailures: 2, loginBackoffSeconds: 1 });
    const { email } = await signUp(t);
    // Three tries at once: all are counted before any hash is done, so the third is refused with the whole window left.
    const lockout = async () => {
      const answers = await Promise.all([1, 2, 3].map((i) => t.post('/nc-api/v1/auth/login', { email, password: `Wrong${i}Pass!` })));
      expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 429]);
      return Number(answers.find((r) => r.status === 429)!.headers.get('retry-after'));
    };
    const waitOut = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 50));
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      waits.push(await lockout());
      await waitOut(waits[round]!);
    }
    expect(waits).toEqual([1, 2, 4]);
    expect((await t.post('/nc-api/v1/auth/login', { email, password: 'MyPass123!' })).status).toBe(200);
    expect(await lockout()).toBe(1);
  });

  it('does not lock a whole office behind one address out of accounts it is not guessing', async () => {
    const t = await server({ loginAddressMaxFailures: 5 });
    const colleague = await signUp(t);
    expect((await t.post('/nc-api/v1/auth/login', { email: colleague.email, password: 'MyPass123!' })).status).toBe(200);

    // Someone in the office guesses one password for many e-mails: the address's cap stops them.
    let tries = 0;
    let last = 0;
    while (last !== 429 && tries < 20) {
      tries += 1;
      last = (await t.post('/nc-api/v1/auth/login', { email: `guess${tries}@example.com`, password: 'Summer2026!' })).status;
    }
    expect(last).toBe(429);
    expect(tries).toBe(6);
    // A colleague who signed in from this address before still can.
    expect((await t.post('/nc-api/v1/auth/login', { email: colleague.email, password: 'MyPass123!' })).status).toBe(200);
    // A teammate who never signed in from here waits out the window, or signs in from elsewhere.
    const newcomer = { email: 'newcomer@example.com' };
    const added = await t.post(
      '/nc-api/v1/agents',
      { type: 'human', name: 'New', email: newcomer.email, password: 'MyPass123!' },
      colleague.token,
    );
    expect(added.status).toBe(201);
    const held = await t.post('/nc-api/v1/auth/login', { email: newcomer.email, password: 'MyPass123!' });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.postFrom('127.0.0.2', '/nc-api/v1/auth/login', { email: newcomer.email, password: 'MyPass123!' })).status).toBe(200);
  });

  it('locks the guessing address out of an account, not its owner elsewhere', async () => {
    const t = await server({ loginMaxFailures: 3 });
    const victim = await signUp(t);
    for (let i = 0; i < 3; i++) {
      const res = await t.postFrom('127.0.0.2', '/nc-api/v1/auth/login', { email: victim.email, password: `Wrong${i}Pass!` });
      expect(res.status).toBe(401);
    }
    const guesser = await t.postFrom('127.0.0.2', '/nc-api/v1/auth/login', { email: victim.email, password: 'MyPass123!' });
    expect(guesser.status).toBe(429);
    expect((await t.post('/nc-api/v1/auth/login', { email: victim.email, password: 'MyPass123!' })).status).toBe(200);
  });

  it('caps failures for one e-mail across addresses, except where its owner signed in before', async () => {
    const t = await server({ loginMaxFailures: 2, loginEmailMaxFailures: 4 });
    const victim = await signUp(t);
    expect((await t.post('/nc-api/v1/auth/login', { email: victim.email, password: 'MyPass123!' })).status).toBe(200);
    const statuses: number[] = [];
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
      for (let i = 0; i < 2; i++) {
        statuses.push((await t.postFrom(address, '/nc-api/v1/auth/login', { email: victim.email, password: `Wrong${i}Pass!` })).status);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const fresh = await t.postFrom('127.0.0.5', '/nc-api/v1/auth/login', { email: victim.email, password: 'MyPass123!' });
    expect(fresh.status).toBe(429);
    expect((await t.post('/nc-api/v1/auth/login', { email: victim.email, password: 'MyPass123!' })).status).toBe(200);
  });

  it('keeps serving other requests during a 60-wide sign-in flood', async () => {
    const t = await server({ loginAddressMaxFailures: 1000, loginEmailMaxFailures: 1000 });
    const { token } = await signUp(t);
    const { statuses, answeredBeforeProbe } = await floodThenProbe(
      60,
      (i) => t.post('/nc-api/v1/auth/login', { email: `flood${i}@example.com`, password: 'WrongPass1!' }),
      () => t.get('/nc-api/v1/account/status', token),
    );
    expect(statuses).toEqual(Array(60).fill(401));
    expect(answeredBeforeProbe).toBeLessThan(30);
  });
});

describe('tokens and secrets across restarts', () => {
  it('keeps data and accepts a token issued before the restart', async () => {
    const t = await server();
    const { token, email } = await signUp(t);
    const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://persist.example' }, token);
    expect(bound.status).toBe(201);

    await t.restart();

    const status = await t.get('/nc-api/v1/account/status', token);
    expect(status.status).toBe(200);
    expect(status.body.domains).toEqual([
      expect.objectContaining({ website_url: 'https://persist.example', website_token: bound.body.website_token }),
    ]);
    expect((await t.post('/nc-api/v1/auth/login', { email, password: 'MyPass123!' })).status).toBe(200);
  });

  it('keeps the JWT secret in a 0600 file under the data dir when no keychain is used', async () => {
    const t = await server({ secretStore: 'file' });
    const health = await t.get('/health');
    expect(health.body).toMatchObject({ status: 'ok', secret_store: 'file' });
    const file = path.join(t.dataDir, SECRETS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    expect(secrets['jwt-secret']!.length).toBeGreaterThanOrEqual(32);
  });

  it('rejects an expired token with 401', async () => {
    const t = await server({ jwtTtlSeconds: 1 });
    const { token } = await signUp(t);
    expect((await t.get('/nc-api/v1/account/status', token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await t.get('/nc-api/v1/account/status', token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthorized');
  });

  it('rejects a token signed with another secret, and garbage tokens, with 401', async () => {
    const a = await server();
    const b = await server();
    const { token } = await signUp(a);
    await signUp(b);
    expect((await b.get('/nc-api/v1/account/status', token)).status).toBe(401);
    expect((await a.get('/nc-api/v1/account/status', 'not.a.jwt')).status).toBe(401);
    const missing = await a.get('/nc-api/v1/account/status');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
  });
});

describe('plans', () => {
  it('lets the instance owner change another account’s plan; nobody else can', async () => {
    const t = await server();
    const owner = await signUp(t);
    const other = await signUp(t);

    const denied = await t.put(`/nc-api/v1/accounts/${owner.accountId}/plan`, { plan: 'business' }, other.token);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('instance_admin_required');
    const selfUpgrade = await t.put(`/nc-api/v1/accounts/${other.accountId}/plan`, { plan: 'pro' }, other.token);
    expect(selfUpgrade.status).toBe(403);

    const changed = await t.put(`/nc-api/v1/accounts/${other.accountId}/plan`, { plan: 'pro' }, owner.token);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: other.accountId, plan: 'pro', trial_ends_at: null });
    const status = await t.get('/nc-api/v1/account/status', other.token);
    expect(status.body).toMatchObject({ plan: 'pro', limits: { domains: 5, agents: 10, kb_items: 5000 }, agentic_rag_enabled: true });

    expect((await t.put(`/nc-api/v1/accounts/${other.accountId}/plan`, { plan: 'gold' }, owner.token)).status).toBe(422);
    expect((await t.put('/nc-api/v1/accounts/999999/plan', { plan: 'pro' }, owner.token)).status).toBe(404);

    const accounts = await t.get('/nc-api/v1/accounts', owner.token);
    expect(accounts.body.meta.total).toBe(2);
    expect((await t.get('/nc-api/v1/accounts', other.token)).status).toBe(403);
  });
});
