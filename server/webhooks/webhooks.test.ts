import { createHmac } from 'node:crypto';
import dns from 'node:dns/promises';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { recordEvent } from '../events/record.js';
import { accountWithWebsite, apiKey, visitorConversation } from '../conversations/test-fixtures.js';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { eventually, verifySignature, WebhookReceiver } from './test-receiver.js';
import { DELIVERY_RETENTION_DAYS } from './worker.js';

const servers: TestServer[] = [];
const receivers: WebhookReceiver[] = [];
/** The receivers of these tests listen on loopback, which webhooks may reach only where the instance allows it. */
const LOOPBACK_ALLOWED = { webhookAllowedNetworks: ['127.0.0.0/8'] };
async function server(options: Parameters<typeof TestServer.start>[0] = {}) {
  const t = await TestServer.start({ webhookRetryBaseMs: 20, webhookRetryMaxMs: 200, webhookPollMs: 50, ...LOOPBACK_ALLOWED, ...options });
  servers.push(t);
  return t;
}
async function receiver(...args: Parameters<typeof WebhookReceiver.start>) {
  const r = await WebhookReceiver.start(...args);
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((t) => t.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

type Delivery = {
  id: number;
  delivery_id: string;
  status: string;
  attempt_count: number;
  attempts: Record<string, any>[];
  [k: string]: any;
};

/** The delivery log until every delivery is settled (succeeded or given up). */
const settledDeliveries = (t: TestServer, token: string, webhookId: number, count = 1) =>
  eventually(
    async () => (await t.get(`/nc-api/v1/webhooks/${webhookId}/deliveries`, token)).body.data as Delivery[],
    (data) => data.length >= count && data.every((d) => d.status !== 'pending'),
  );

describe('webhook deliveries', () => {
  it("sends the quick-start's payload, signed so that the receiver can verify it, and logs the attempt", async () => {
    const t = await server();
    const hooks = await receiver();
    const { token, accountId, websiteToken } = await accountWithWebsite(t);

    const created = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created', 'message_created'] }, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: hooks.url, events: ['conversation_created', 'message_created'], active: true });
    const secret = created.body.secret as string;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    // Shown once: never in a read, and not stored in clear.
    const read = await t.get(`/nc-api/v1/webhooks/${created.body.id}`, token);
    expect(read.body).not.toHaveProperty('secret');
    expect(JSON.stringify((await t.get('/nc-api/v1/webhooks', token)).body)).not.toContain(secret);
    const row = await t.deps.db('webhooks').where({ id: created.body.id }).first();
    expect(JSON.stringify(row)).not.toContain(secret);

    // The quick-start's widget call, as written on the page.
    const conversation = await t.request('POST', `/api/v1/widget/conversations?website_token=${websiteToken}`, undefined, {
      headers: { 'Content-Type': 'application/json' },
      rawBody: '{"contact":{"name":"John","email":"john@example.com"},"message":"I need help with my order"}',
    });
    expect(conversation.status).toBe(201);

    const received = await hooks.waitFor((r) => r.length >= 2);
    const byEvent = Object.fromEntries(received.map((r) => [r.body.event, r]));
    const createdHook = byEvent.conversation_created!;
    expect(verifySignature(secret, createdHook)).toBe(true);
    expect(verifySignature('whsec_not-the-secret-at-all', createdHook)).toBe(false);
    expect(createdHook.body).toMatchObject({
      event: 'conversation_created',
      conversation_id: conversation.body.id,
      account_id: accountId,
      contact: { name: 'John', email: 'john@example.com', verified: false },
      conversation: { id: conversation.body.id, status: 'open' },
    });
    expect(createdHook.headers['content-type']).toBe('application/json');
    expect(createdHook.headers['x-nova-event']).toBe('conversation_created');
    expect(createdHook.headers['x-nova-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    const messageHook = byEvent.message_created!;
    expect(verifySignature(secret, messageHook)).toBe(true);
    expect(messageHook.body).toMatchObject({
      event: 'message_created',
      conversation_id: conversation.body.id,
      contact: { name: 'John', email: 'john@example.com' },
      message: { content: 'I need help with my order', message_type: 'incoming', sender: { type: 'contact' } },
    });
    expect(messageHook.headers['x-nova-delivery']).not.toBe(createdHook.headers['x-nova-delivery']);

    const log = await settledDeliveries(t, token, created.body.id, 2);
    expect(log.map((d) => d.event).sort()).toEqual(['conversation_created', 'message_created']);
    for (const d of log) {
      expect(d).toMatchObject({ status: 'succeeded', attempt_count: 1, last_status_code: 200, last_error: null, next_attempt_at: null });
      expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, error: null, next_retry_at: null })]);
      expect(d.attempts[0]!.duration_ms).toBeGreaterThanOrEqual(0);
    }
    const detail = await t.get(`/nc-api/v1/webhooks/${created.body.id}/deliveries/${log[0]!.id}`, token);
    expect(JSON.stringify(detail.body.payload)).toBe(received.find((r) => r.headers['x-nova-delivery'] === log[0]!.delivery_id)!.rawBody);
  });

  it("tells the receiver whether the site vouched for the contact's e-mail (identifier_hash)", async () => {
    const t = await server();
    const hooks = await receiver();
    const site = await accountWithWebsite(t);
    expect((await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, site.token)).status).toBe(201);
    const { identity_secret: secret } = (await t.get(`/nc-api/v1/account/domains/${site.domainId}/identity-validation`, site.token)).body;
    const email = 'bob@example.com';
    const vouched = await visitorConversation(t, site.websiteToken, {
      contact: { email, identifier_hash: createHmac('sha256', secret).update(email).digest('hex') },
      message: 'Hello',
    });
    const typed = await visitorConversation(t, site.websiteToken, { contact: { email }, message: 'Hello again' });
    const received = await hooks.waitFor((r) => r.length >= 2);
    const contactOf = (id: number) => received.find((r) => r.body.conversation_id === id)!.body.contact;
    expect(contactOf(vouched.id)).toEqual({ name: null, email, verified: true });
    expect(contactOf(typed.id)).toEqual({ name: null, email, verified: false });
  });

  it('delivers only the events a webhook subscribed to, and nothing to inactive or deleted webhooks', async () => {
    const t = await server();
    const resolvedOnly = await receiver();
    const inactive = await receiver();
    const deleted = await receiver();
    const everything = await receiver();
    const { token, websiteToken } = await accountWithWebsite(t);
    await t.post('/nc-api/v1/webhooks', { url: resolvedOnly.url, events: ['conversation_resolved'] }, token);
    await t.post('/nc-api/v1/webhooks', { url: inactive.url, events: ['conversation_created'], active: false }, token);
    const gone = await t.post('/nc-api/v1/webhooks', { url: deleted.url, events: ['conversation_created'] }, token);
    expect((await t.del(`/nc-api/v1/webhooks/${gone.body.id}`, token)).status).toBe(204);
    await t.post('/nc-api/v1/webhooks', { url: everything.url, events: ['conversation_created', 'conversation_resolved'] }, token);

    const conversation = await visitorConversation(t, websiteToken);
    const resolved = await t.post(`/nc-api/v1/conversations/${conversation.id}/status`, { status: 'resolved' }, token);
    expect(resolved.status).toBe(200);

    await everything.waitFor((r) => r.length >= 2);
    expect(everything.requests.map((r) => r.body.event)).toEqual(['conversation_created', 'conversation_resolved']);
    await resolvedOnly.waitFor((r) => r.length >= 1);
    expect(resolvedOnly.requests.map((r) => r.body.event)).toEqual(['conversation_resolved']);
    expect(inactive.requests).toEqual([]);
    expect(deleted.requests).toEqual([]);
  });

  it("follows a webhook's changes from the very next event: paused, resubscribed, resumed, deleted", async () => {
    const t = await server();
    const hooks = await receiver();
    const { token, websiteToken } = await accountWithWebsite(t);
    const conversation = await visitorConversation(t, websiteToken);
    const hook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['message_created'] }, token);
    const deliveries = async (webhookId = hook.body.id) =>
      ((await t.get(`/nc-api/v1/webhooks/${webhookId}/deliveries`, token)).body.data as Delivery[]).length;
    // The delivery log is written in the message's own transaction: it is complete once the message's 201 came back.
    const say = async (content: string) => {
      const res = await t.post(
        `/api/v1/widget/messages?website_token=${websiteToken}`,
        { conversation_id: conversation.id, content },
        undefined,
        { 'X-Conversation-Token': conversation.conversation_token },
      );
      expect(res.status).toBe(201);
    };
    await say('one');
    expect(await deliveries()).toBe(1);
    await t.put(`/nc-api/v1/webhooks/${hook.body.id}`, { active: false }, token);
    await say('paused');
    expect(await deliveries()).toBe(1);
    await t.put(`/nc-api/v1/webhooks/${hook.body.id}`, { active: true, events: ['conversation_resolved'] }, token);
    await say('not subscribed');
    expect(await deliveries()).toBe(1);
    await t.put(`/nc-api/v1/webhooks/${hook.body.id}`, { events: ['message_created'] }, token);
    await say('two');
    expect(await deliveries()).toBe(2);
    // Sent before the webhook goes (a delete takes its pending deliveries with it).
    await hooks.waitFor((r) => r.length >= 2);
    expect((await t.del(`/nc-api/v1/webhooks/${hook.body.id}`, token)).status).toBe(204);
    const other = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['message_created'] }, token);
    await say('three');
    expect(await deliveries(other.body.id)).toBe(1);
    await hooks.waitFor((r) => r.length >= 3);
    expect(hooks.requests.map((r) => r.body.message.content).sort()).toEqual(['one', 'three', 'two']);
  });
  it('writes a delivery only when the change that caused it commits', async () => {
    const t = await server();
    const hooks = await receiver();
    const { token, accountId, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_updated'] }, token);
    const conversation = await visitorConversation(t, websiteToken);

    const event = { account_id: accountId, conversation_id: conversation.id, type: 'conversation_updated' as const };
    await expect(
      t.deps.db.transaction(async (trx) => {
        await recordEvent(t.deps, trx, { ...event, payload: { note: 'rolled back' } as never });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.deps.db.transaction((trx) => recordEvent(t.deps, trx, { ...event, payload: { note: 'committed' } as never }));

    const log = await settledDeliveries(t, token, webhook.body.id);
    expect(log).toHaveLength(1);
    expect(hooks.requests.map((r) => r.body.note)).toEqual(['committed']);
  });

  it('retries a failing receiver with growing, jittered backoff and the same delivery id until it answers 2xx', async () => {
    const t = await server({ webhookRetryBaseMs: 40, webhookRetryMaxMs: 10_000 });
    const hooks = await receiver((_req, n) => ({ status: n <= 2 ? 500 : 200 }));
    const { token, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, token);
    await visitorConversation(t, websiteToken);

    const [delivery] = await settledDeliveries(t, token, webhook.body.id);
    expect(hooks.requests).toHaveLength(3);
    expect(new Set(hooks.requests.map((r) => r.headers['x-nova-delivery']))).toEqual(new Set([delivery!.delivery_id]));
    expect(hooks.requests.map((r) => r.headers['x-nova-attempt'])).toEqual(['1', '2', '3']);
    expect(hooks.requests.every((r) => verifySignature(webhook.body.secret, r))).toBe(true);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 3, last_status_code: 200 });
    const [first, second, third] = delivery!.attempts;
    expect([first, second, third].map((a) => [a!.attempt, a!.status_code, a!.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 200, null],
    ]);
    // Backoff: the n-th retry waits base·2^(n-1), jittered down to no less than half of it.
    const wait = (a: Record<string, any>) => Date.parse(a.next_retry_at) - Date.parse(a.created_at);
    expect(wait(first!)).toBeGreaterThanOrEqual(20);
    expect(wait(first!)).toBeLessThanOrEqual(40);
    expect(wait(second!)).toBeGreaterThanOrEqual(40);
    expect(wait(second!)).toBeLessThanOrEqual(80);
    expect(third!.next_retry_at).toBeNull();
    // Each retry went out no earlier than it was scheduled.
    expect(Date.parse(second!.created_at)).toBeGreaterThanOrEqual(Date.parse(first!.next_retry_at));
    expect(Date.parse(third!.created_at)).toBeGreaterThanOrEqual(Date.parse(second!.next_retry_at));
  });

  it('gives up after the maximum number of attempts, and a resend delivers the same payload as a new delivery', async () => {
    const t = await server({ webhookMaxAttempts: 3 });
    let up = false;
    const hooks = await receiver(() => ({ status: up ? 204 : 503 }));
    const { token, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, token);
    await visitorConversation(t, websiteToken);

    const [failed] = await settledDeliveries(t, token, webhook.body.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempt_count: 3,
      last_status_code: 503,
      last_error: 'HTTP 503',
      next_attempt_at: null,
    });
    expect(failed!.attempts.map((a) => a.next_retry_at === null)).toEqual([false, false, true]);
    expect(hooks.requests).toHaveLength(3);

    up = true;
    const resent = await t.post(`/nc-api/v1/webhooks/${webhook.body.id}/deliveries/${failed!.id}/resend`, undefined, token);
    expect(resent.status).toBe(201);
    expect(resent.body).toMatchObject({ status: 'pending', event: 'conversation_created', attempt_count: 0 });
    expect(resent.body.delivery_id).not.toBe(failed!.delivery_id);
    const log = await settledDeliveries(t, token, webhook.body.id, 2);
    expect(log.map((d) => [d.id, d.status])).toEqual([
      [resent.body.id, 'succeeded'],
      [failed!.id, 'failed'],
    ]);
    expect(hooks.requests[3]!.rawBody).toBe(hooks.requests[0]!.rawBody);
    expect(hooks.requests[3]!.headers['x-nova-delivery']).toBe(resent.body.delivery_id);

    const failedOnly = await t.get(`/nc-api/v1/webhooks/${webhook.body.id}/deliveries?status=failed`, token);
    expect(failedOnly.body.meta.total).toBe(1);
    expect(failedOnly.body.data.map((d: Delivery) => d.id)).toEqual([failed!.id]);
  });

  it('does not follow redirects: a 3xx is a failed attempt and the redirect target never hears of it', async () => {
    const t = await server({ webhookMaxAttempts: 2 });
    const target = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    const { token, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: redirecting.url, events: ['conversation_created'] }, token);
    await visitorConversation(t, websiteToken);

    const [delivery] = await settledDeliveries(t, token, webhook.body.id);
    expect(delivery).toMatchObject({ status: 'failed', last_status_code: 302 });
    expect(delivery!.last_error).toBe(`redirect not followed (Location: ${target.url})`);
    expect(redirecting.requests).toHaveLength(2);
    expect(target.requests).toHaveLength(0);
  });

  it('times out a receiver that does not answer and logs unreachable ones', async () => {
    const t = await server({ webhookTimeoutMs: 200, webhookMaxAttempts: 1 });
    const silent = await receiver(() => 'hang');
    const closed = await receiver();
    const closedUrl = closed.url;
    await closed.close();
    receivers.splice(receivers.indexOf(closed), 1);
    const { token, websiteToken } = await accountWithWebsite(t);
    const slow = await t.post('/nc-api/v1/webhooks', { url: silent.url, events: ['conversation_created'] }, token);
    const down = await t.post('/nc-api/v1/webhooks', { url: closedUrl, events: ['conversation_created'] }, token);
    await visitorConversation(t, websiteToken);

    const [timedOut] = await settledDeliveries(t, token, slow.body.id);
    expect(timedOut).toMatchObject({ status: 'failed', last_status_code: null, last_error: 'timed out after 200 ms' });
    expect(timedOut!.attempts[0]!.duration_ms).toBeGreaterThanOrEqual(150);
    const [refused] = await settledDeliveries(t, token, down.body.id);
    expect(refused).toMatchObject({ status: 'failed', last_status_code: null });
    expect(refused!.last_error).toMatch(/ECONNREFUSED/);
  });
  it('finishes and logs the attempts in flight when the server shuts down, so nothing is sent twice', async () => {
    const t = await server();
    const hooks = await receiver(() => 'hang');
    const { token, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, token);
    await visitorConversation(t, websiteToken);
    await hooks.waitFor((r) => r.length === 1);

    // Shut down while the receiver is still thinking; it answers a moment later, and the shutdown waits for that.
    const closing = t.server.close();
    setTimeout(() => hooks.answerHanging(200), 100);
    await closing;

    await t.restart();
    const [delivery] = await settledDeliveries(t, token, webhook.body.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 1, last_status_code: 200 });
    expect(hooks.requests).toHaveLength(1);
  });

  it(`forgets finished deliveries after ${DELIVERY_RETENTION_DAYS} days, keeping newer ones`, async () => {
    const t = await server();
    const hooks = await receiver();
    const { token, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, token);
    await visitorConversation(t, websiteToken);
    await visitorConversation(t, websiteToken, { contact: { name: 'Ann', email: 'ann@example.com' }, message: 'Hi' });
    const [newer, older] = await settledDeliveries(t, token, webhook.body.id, 2);
    const longAgo = new Date(Date.now() - (DELIVERY_RETENTION_DAYS + 1) * 86_400_000).toISOString();
    await t.deps.db('webhook_deliveries').where({ id: older!.id }).update({ completed_at: longAgo });

    await t.restart(); // pruning runs when the worker starts (and hourly)
    const log = await eventually(
      async () => (await t.get(`/nc-api/v1/webhooks/${webhook.body.id}/deliveries`, token)).body.data as Delivery[],
      (data) => data.length < 2,
    );
    expect(log.map((d) => d.id)).toEqual([newer!.id]);
    expect(await t.deps.db('webhook_attempts').where({ delivery_id: older!.id })).toEqual([]);
  });
});

describe('webhook management', () => {
  it('validates input, keeps webhooks per account and lets only signed-in admins manage them', async () => {
    const t = await server();
    const owner = await signUp(t);
    const other = await signUp(t);
    const invalid = await t.post(
      '/nc-api/v1/webhooks',
      { url: 'ftp://example.com/hook', events: ['conversation_created', 'nope'] },
      owner.token,
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['events.1', 'url']);
    const noEvents = await t.post('/nc-api/v1/webhooks', { url: 'http://192.168.1.20:3000/hooks', events: [] }, owner.token);
    expect(noEvents.status).toBe(422);
    const shortSecret = await t.post(
      '/nc-api/v1/webhooks',
      { url: 'http://10.0.0.5/h', events: ['sla_breached'], secret: 'short' },
      owner.token,
    );
    expect(shortSecret.body.error.details).toEqual([expect.objectContaining({ field: 'secret' })]);

    // A LAN address is fine; a chosen secret is echoed once.
    const lan = await t.post(
      '/nc-api/v1/webhooks',
      { url: 'http://192.168.1.20:3000/hooks', events: ['sla_breached', 'sla_breached'], secret: 'my-own-secret-1234567890' },
      owner.token,
    );
    expect(lan.status).toBe(201);
    expect(lan.body).toMatchObject({ events: ['sla_breached'], secret: 'my-own-secret-1234567890' });

    const updated = await t.put(`/nc-api/v1/webhooks/${lan.body.id}`, { events: ['message_created'], active: false }, owner.token);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ url: 'http://192.168.1.20:3000/hooks', events: ['message_created'], active: false });

    for (const res of [
      await t.get(`/nc-api/v1/webhooks/${lan.body.id}`, other.token),
      await t.put(`/nc-api/v1/webhooks/${lan.body.id}`, { active: true }, other.token),
      await t.del(`/nc-api/v1/webhooks/${lan.body.id}`, other.token),
      await t.get(`/nc-api/v1/webhooks/${lan.body.id}/deliveries`, other.token),
    ])
      expect(res.status).toBe(404);
    expect((await t.get('/nc-api/v1/webhooks', other.token)).body.data).toEqual([]);

    // Webhooks are managed by signed-in admins only: their URLs, payloads and secrets are not for keys or agents.
    const readKey = await apiKey(t, owner.token, ['read']);
    const writeKey = await apiKey(t, owner.token, ['read', 'write']);
    for (const key of [readKey, writeKey]) {
      expect((await t.get('/nc-api/v1/webhooks', key)).body.error.code).toBe('api_key_not_allowed');
      expect((await t.post('/nc-api/v1/webhooks', { url: 'http://10.0.0.5/h', events: ['message_created'] }, key)).status).toBe(403);
    }
    const listed = await t.get('/nc-api/v1/webhooks', owner.token);
    expect(listed.body).toMatchObject({ data: [{ id: lan.body.id }], meta: { total: 1, page: 1, per_page: 25 } });
    expect((await t.get('/nc-api/v1/webhooks')).status).toBe(401);
  });

  it('documents the signature scheme in /openapi.json and lists every webhook route', async () => {
    const t = await server();
    const spec = (await t.get('/openapi.json')).body;
    expect(spec.info.description).toContain('X-Nova-Signature');
    expect(spec.info.description).toContain('<X-Nova-Timestamp>.<raw request body>');
    expect(spec.info.description).toContain("createHmac('sha256', secret)");
    for (const path of [
      '/nc-api/v1/webhooks',
      '/nc-api/v1/webhooks/{id}',
      '/nc-api/v1/webhooks/{id}/deliveries',
      '/nc-api/v1/webhooks/{id}/deliveries/{deliveryId}/resend',
    ])
      expect(spec.paths).toHaveProperty([path]);
  });
});

describe('who may see webhooks', () => {
  it('shows URLs, delivery logs and payloads to signed-in admins only: never to agents or API keys', async () => {
    const t = await server();
    const hooks = await receiver();
    const { token, websiteToken } = await accountWithWebsite(t);
    const webhook = await t.post(
      '/nc-api/v1/webhooks',
      { url: `${hooks.url}?key=receiver-secret`, events: ['conversation_created'] },
      token,
    );
    await visitorConversation(t, websiteToken);
    const [delivery] = await settledDeliveries(t, token, webhook.body.id);
    const email = `agent-${Date.now()}@example.com`;
    await t.post('/nc-api/v1/agents', { type: 'human', name: 'Agent', email, password: 'AgentPass1!', role: 'agent' }, token);
    const agentToken = (await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass1!' })).body.token as string;
    const admin = `admin-${Date.now()}@example.com`;
    await t.post('/nc-api/v1/agents', { type: 'human', name: 'Admin', email: admin, password: 'AdminPass1!', role: 'admin' }, token);
    const adminToken = (await t.post('/nc-api/v1/auth/login', { email: admin, password: 'AdminPass1!' })).body.token as string;
    const reads = [
      '/nc-api/v1/webhooks',
      `/nc-api/v1/webhooks/${webhook.body.id}`,
      `/nc-api/v1/webhooks/${webhook.body.id}/deliveries`,
      `/nc-api/v1/webhooks/${webhook.body.id}/deliveries/${delivery!.id}`,
    ];
    for (const [who, credential, code] of [
      ['an agent', agentToken, 'admin_required'],
      ['a read key', await apiKey(t, token, ['read']), 'api_key_not_allowed'],
      ['a write key', await apiKey(t, token, ['read', 'write']), 'api_key_not_allowed'],
    ] as const) {
      for (const path of reads) {
        const res = await t.get(path, credential);
        expect({ status: res.status, code: res.body.error?.code }, `${who}: GET ${path}`).toEqual({ status: 403, code });
        expect(res.text).not.toContain('receiver-secret');
        expect(res.text).not.toContain('john@example.com');
      }
    }
    for (const path of reads) expect((await t.get(path, adminToken)).status, path).toBe(200);
    expect((await t.get(reads[3]!, adminToken)).body.payload.contact.email).toBe('john@example.com');
  });
});

describe('webhook destinations', () => {
  const refusedUrls = [
    'http://localhost:8080/h',
    'http://LOCALHOST./h',
    'http://app.localhost/h',
    'http://[::1]:8080/h',
    'http://0.0.0.0:8080/h',
    'http://[::]/h',
    'http://2130706433/h',
    'http://0x7f.1/h',
    'http://127.1/h',
    'http://127.0.0.1:22/h',
    'http://[::ffff:127.0.0.1]/h',
    'http://[::ffff:7f00:1]/h',
    'http://[::127.0.0.1]/h',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://[fe80::1]/h',
    'http://224.0.0.1/h',
    'http://[ff02::1]/h',
    'http://255.255.255.255/h',
  ];

  it.each(refusedUrls)('refuses %s when the webhook is saved (422), and stores nothing', async (url) => {
    const t = await TestServer.start();
    servers.push(t);
    const { token } = await signUp(t);
    const res = await t.post('/nc-api/v1/webhooks', { url, events: ['conversation_created'] }, token);
    expect({ status: res.status, field: res.body.error?.details?.[0]?.field }).toEqual({ status: 422, field: 'url' });
    expect(res.body.error.details[0].message).toMatch(/^destination refused/);
    expect((await t.get('/nc-api/v1/webhooks', token)).body.data).toEqual([]);
  });

  it('resolves a name when it is saved: one that resolves to loopback is refused, on create and on update', async () => {
    const name = os.hostname();
    const resolved = await dns.lookup(name, { all: true });
    expect(
      resolved.map((a) => a.address),
      `this test needs ${name} to resolve to loopback (/etc/hosts)`,
    ).toContainEqual(expect.stringMatching(/^127\./));
    const t = await TestServer.start();
    servers.push(t);
    const { token } = await signUp(t);
    const created = await t.post('/nc-api/v1/webhooks', { url: `http://${name}:9/h`, events: ['conversation_created'] }, token);
    expect(created.status).toBe(422);
    expect(created.body.error.details[0].message).toMatch(new RegExp(`^destination refused: ${name} resolves to 127\\.`));
    const lan = await t.post('/nc-api/v1/webhooks', { url: 'http://192.168.1.20/h', events: ['conversation_created'] }, token);
    const moved = await t.put(`/nc-api/v1/webhooks/${lan.body.id}`, { url: 'http://127.0.0.1/h' }, token);
    expect(moved.status).toBe(422);
    expect((await t.get(`/nc-api/v1/webhooks/${lan.body.id}`, token)).body.url).toBe('http://192.168.1.20/h');
  });

  it('keeps private LAN ranges allowed, unless NOVA_WEBHOOK_BLOCKED_NETWORKS lists them', async () => {
    const lanUrls = [
      'http://192.168.1.20:3000/h',
      'http://10.0.0.5/h',
      'http://172.16.4.2/h',
      'http://[fd00::20]/h',
      'http://100.64.1.1/h',
    ];
    const open = await TestServer.start();
    servers.push(open);
    const a = await signUp(open);
    for (const url of lanUrls)
      expect((await open.post('/nc-api/v1/webhooks', { url, events: ['message_created'] }, a.token)).status, url).toBe(201);
    const strict = await TestServer.start({ env: { NOVA_WEBHOOK_BLOCKED_NETWORKS: '10.0.0.0/8, fd00::/8' } });
    servers.push(strict);
    const b = await signUp(strict);
    const statuses = [];
    for (const url of lanUrls)
      statuses.push((await strict.post('/nc-api/v1/webhooks', { url, events: ['message_created'] }, b.token)).status);
    expect(statuses).toEqual([201, 422, 201, 422, 201]);
  });

  it('allows refused ranges that NOVA_WEBHOOK_ALLOWED_NETWORKS lists, and refuses to start on a malformed list', async () => {
    const t = await TestServer.start({ env: { NOVA_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1' } });
    servers.push(t);
    const { token } = await signUp(t);
    for (const url of ['http://127.0.0.1:9/h', 'http://[::1]:9/h', 'http://127.1/h'])
      expect((await t.post('/nc-api/v1/webhooks', { url, events: ['message_created'] }, token)).status, url).toBe(201);
    expect((await t.post('/nc-api/v1/webhooks', { url: 'http://169.254.169.254/', events: ['message_created'] }, token)).status).toBe(422);
    await expect(TestServer.start({ env: { NOVA_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/33' } })).rejects.toThrow(
      /NOVA_WEBHOOK_ALLOWED_NETWORKS/,
    );
  });

  it('checks the resolved address again as each delivery connects: refused the same way for open and closed ports, nothing sent', async () => {
    // Saved while loopback was allowed, delivered after it no longer is: what a name that rebinds to loopback looks like.
    const t = await server({ webhookMaxAttempts: 1 });
    const hooks = await receiver();
    const port = new URL(hooks.url).port;
    const { token, websiteToken } = await accountWithWebsite(t);
    const urls = [hooks.url, `http://${os.hostname()}:${port}/hooks/nova`, 'http://127.0.0.1:9/closed'];
    const ids: number[] = [];
    for (const url of urls) ids.push((await t.post('/nc-api/v1/webhooks', { url, events: ['conversation_created'] }, token)).body.id);
    await t.server.close();
    await t.restartOn({ webhookAllowedNetworks: [] });

    await visitorConversation(t, websiteToken);
    const errors = [];
    for (const id of ids) {
      const [delivery] = await settledDeliveries(t, token, id);
      expect(delivery).toMatchObject({ status: 'failed', last_status_code: null });
      expect(delivery!.last_error).toMatch(/^destination refused: /);
      errors.push(delivery!.last_error);
    }
    expect(errors[1]).toMatch(new RegExp(`^destination refused: ${os.hostname()} resolves to 127\\.`));
    // The open port (the receiver) and the closed one (9) read alike: the log is no port scanner.
    expect(errors[0]).toBe(errors[2]);
    expect(errors.join(' ')).not.toMatch(/ECONNREFUSED|:9\b|:${port}\b/);
    expect(hooks.requests).toHaveLength(0);
  });
});

describe('webhook URLs', () => {
  it.each([
    'http://10.0.0.5/h\r\nX-Injected: 1',
    'http://10.0.0.5/h\nx',
    'http://10.0.0.5/a\tb',
    'http://10.0.0.5/a b',
    'http://10.0.0.5/\u0007',
  ])('refuses %j: raw control characters and spaces are never stored', async (url) => {
    const t = await server();
    const { token } = await signUp(t);
    const created = await t.post('/nc-api/v1/webhooks', { url, events: ['message_created'] }, token);
    expect({ status: created.status, field: created.body.error?.details?.[0]?.field }).toEqual({ status: 422, field: 'url' });
    const fine = await t.post('/nc-api/v1/webhooks', { url: 'http://10.0.0.5/h', events: ['message_created'] }, token);
    const changed = await t.put(`/nc-api/v1/webhooks/${fine.body.id}`, { url }, token);
    expect(changed.status).toBe(422);
    expect((await t.deps.db('webhooks').select('url')).map((r: { url: string }) => r.url)).toEqual(['http://10.0.0.5/h']);
  });
});
