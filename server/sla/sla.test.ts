import { afterEach, describe, expect, it } from 'vitest';
import type { NovaEvent } from '../events/types.js';
import { accountWithWebsite, apiKey, visitorConversation } from '../conversations/test-fixtures.js';
import { TestServer } from '../../test/helpers/server.js';
import { verifySignature, WebhookReceiver } from '../webhooks/test-receiver.js';
import { announceBreaches } from './service.js';

const servers: TestServer[] = [];
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((t) => t.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const MINUTE = 60_000;

/** A server whose product clock only moves when the test says so. */
async function serverWithClock(startIso: string) {
  const clock = { now: new Date(startIso) };
  const t = await TestServer.start({
    now: () => clock.now,
    slaCheckIntervalMs: 25,
    webhookPollMs: 50,
    webhookAllowedNetworks: ['127.0.0.0/8'],
  });
  servers.push(t);
  const at = (minutes: number) => (clock.now = new Date(Date.parse(startIso) + minutes * MINUTE));
  const atIso = (iso: string) => (clock.now = new Date(iso));
  return { t, at, atIso };
}

type Status = { counts: Record<string, number>; conversations: { id: number; state: string; [k: string]: any }[]; policy: any };

describe('SLA policy', () => {
  it('has sensible defaults, and validates and stores a policy per account', async () => {
    const { t } = await serverWithClock('2026-03-02T09:00:00.000Z');
    const a = await accountWithWebsite(t);
    const b = await accountWithWebsite(t, 'https://other.example');

    const defaults = await t.get('/nc-api/v1/sla/policy', a.token);
    expect(defaults.status).toBe(200);
    expect(defaults.body).toEqual({ first_response_minutes: 60, resolution_minutes: 1440, business_hours: null, updated_at: null });

    const invalid = await t.put(
      '/nc-api/v1/sla/policy',
      {
        first_response_minutes: 0,
        resolution_minutes: 30.5,
        business_hours: { timezone: 'Mars/Base', days: [0, 8], start: '9am', end: '17:00' },
      },
      a.token,
    );
    expect(invalid.status).toBe(422);
    const fields = invalid.body.error.details.map((d: { field: string }) => d.field);
    for (const field of [
      'first_response_minutes',
      'resolution_minutes',
      'business_hours.timezone',
      'business_hours.days.0',
      'business_hours.days.1',
      'business_hours.start',
    ])
      expect(fields).toContain(field);
    const backwards = await t.put(
      '/nc-api/v1/sla/policy',
      {
        first_response_minutes: 60,
        resolution_minutes: 480,
        business_hours: { timezone: 'Europe/Berlin', days: [1], start: '17:00', end: '09:00' },
      },
      a.token,
    );
    expect(backwards.body.error.details).toEqual([expect.objectContaining({ field: 'business_hours.end' })]);
    const shorterResolution = await t.put('/nc-api/v1/sla/policy', { first_response_minutes: 120, resolution_minutes: 60 }, a.token);
    expect(shorterResolution.body.error.details).toEqual([expect.objectContaining({ field: 'resolution_minutes' })]);
    expect((await t.put('/nc-api/v1/sla/policy', { first_response_minutes: 60, resolution_minutes: 120, extra: 1 }, a.token)).status).toBe(
      422,
    );

    const saved = await t.put(
      '/nc-api/v1/sla/policy',
      {
        first_response_minutes: 15,
        resolution_minutes: 480,
        business_hours: { timezone: 'Europe/Berlin', days: [5, 1, 3, 1], start: '09:00', end: '17:30' },
      },
      a.token,
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      first_response_minutes: 15,
      resolution_minutes: 480,
      business_hours: { timezone: 'Europe/Berlin', days: [1, 3, 5], start: '09:00', end: '17:30' },
      updated_at: '2026-03-02T09:00:00.000Z',
    });
    expect((await t.get('/nc-api/v1/sla/policy', a.token)).body).toEqual(saved.body);
    // Another account still has the defaults; and a read key can look but not change.
    expect((await t.get('/nc-api/v1/sla/policy', b.token)).body.first_response_minutes).toBe(60);
    const readKey = await apiKey(t, a.token, ['read']);
    expect((await t.get('/api/v1/sla/status', readKey)).status).toBe(200);
    expect((await t.put('/nc-api/v1/sla/policy', { first_response_minutes: 5, resolution_minutes: 10 }, readKey)).status).toBe(403);
    expect((await t.get('/api/v1/sla/status')).status).toBe(401);

    const cleared = await t.put(
      '/nc-api/v1/sla/policy',
      { first_response_minutes: 30, resolution_minutes: 600, business_hours: null },
      a.token,
    );
    expect(cleared.body.business_hours).toBeNull();
  });
  it('is described in /openapi.json', async () => {
    const { t } = await serverWithClock('2026-03-02T09:00:00.000Z');
    const spec = (await t.get('/openapi.json')).body;
    expect(Object.keys(spec.paths['/nc-api/v1/sla/policy']).sort()).toEqual(['get', 'put']);
    const status = spec.paths['/api/v1/sla/status'].get;
    expect(Object.keys(status.responses['200'].content['application/json'].schema.properties).sort()).toEqual([
      'conversations',
      'counts',
      'policy',
    ]);
  });
});

describe('SLA status across a fake clock', () => {
  it('moves conversations from ok to at_risk to breached and announces each breach once, by webhook and realtime', async () => {
    const { t, at } = await serverWithClock('2026-03-02T09:00:00.000Z');
    const hooks = await WebhookReceiver.start();
    receivers.push(hooks);
    const { token, accountId, websiteToken } = await accountWithWebsite(t);
    await t.put('/nc-api/v1/sla/policy', { first_response_minutes: 60, resolution_minutes: 240 }, token);
    const webhook = await t.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['sla_breached'] }, token);
    const published: NovaEvent[] = [];
    t.deps.bus.subscribe((e) => e.type === 'sla_breached' && published.push(e));
    const status = async () => (await t.get<Status>('/api/v1/sla/status', token)).body;
    const stateOf = (s: Status, id: number) => s.conversations.find((c) => c.id === id);

    const late = await visitorConversation(t, websiteToken); // nobody answers in time
    const answered = await visitorConversation(t, websiteToken, { contact: { name: 'Ann', email: 'ann@example.com' }, message: 'Hello?' });

    let s = await status();
    expect(s.policy).toMatchObject({ first_response_minutes: 60, resolution_minutes: 240 });
    expect(s.counts).toEqual({ ok: 2, at_risk: 0, breached: 0 });
    expect(stateOf(s, late.id)).toEqual({
      id: late.id,
      status: 'open',
      first_response_due_at: '2026-03-02T10:00:00.000Z',
      first_response_at: null,
      resolution_due_at: '2026-03-02T13:00:00.000Z',
      state: 'ok',
      breached: [],
    });

    at(10);
    // A private note is not a response; a public reply is.
    expect(
      (await t.post(`/nc-api/v1/conversations/${late.id}/messages`, { content: 'checking the order', private: true }, token)).status,
    ).toBe(201);
    expect((await t.post(`/nc-api/v1/conversations/${answered.id}/messages`, { content: 'Hi Ann, how can I help?' }, token)).status).toBe(
      201,
    );
    s = await status();
    expect(stateOf(s, answered.id)).toMatchObject({ state: 'ok', first_response_at: '2026-03-02T09:10:00.000Z' });
    expect(stateOf(s, late.id)).toMatchObject({ state: 'ok', first_response_at: null });

    at(47);
    expect(stateOf(await status(), late.id)!.state).toBe('ok'); // 13 of 60 minutes left: more than 20 %
    at(50);
    s = await status();
    expect(stateOf(s, late.id)!.state).toBe('at_risk');
    expect(s.counts).toEqual({ ok: 1, at_risk: 1, breached: 0 });
    expect(hooks.requests).toHaveLength(0);

    at(61);
    s = await status();
    expect(stateOf(s, late.id)).toMatchObject({ state: 'breached', breached: ['first_response'] });
    expect(s.counts).toEqual({ ok: 1, at_risk: 0, breached: 1 });

    const [breach] = await hooks.waitFor((r) => r.length >= 1);
    expect(verifySignature(webhook.body.secret, breach!)).toBe(true);
    expect(breach!.headers['x-nova-event']).toBe('sla_breached');
    expect(breach!.body).toMatchObject({
      event: 'sla_breached',
      conversation_id: late.id,
      account_id: accountId,
      contact: { name: 'John', email: 'john@example.com' },
      sla: { kind: 'first_response', due_at: '2026-03-02T10:00:00.000Z', policy: { first_response_minutes: 60, resolution_minutes: 240 } },
    });
    // Later checks find nothing new: announced once.
    await announceBreaches(t.deps);
    expect(await announceBreaches(t.deps)).toBe(0);
    expect(published.map((e) => [e.conversation_id, (e.data as { sla: { kind: string } }).sla.kind])).toEqual([
      [late.id, 'first_response'],
    ]);

    // Answering late does not undo the breach.
    at(70);
    await t.post(`/nc-api/v1/conversations/${late.id}/messages`, { content: 'Sorry for the wait!' }, token);
    expect(stateOf(await status(), late.id)).toMatchObject({ state: 'breached', first_response_at: '2026-03-02T10:10:00.000Z' });

    // The resolution clock: at risk in its last 20 %, then breached for both conversations.
    at(200);
    expect(stateOf(await status(), answered.id)!.state).toBe('at_risk');
    at(241);
    s = await status();
    expect(s.counts).toEqual({ ok: 0, at_risk: 0, breached: 2 });
    expect(stateOf(s, late.id)!.breached).toEqual(['first_response', 'resolution']);
    expect(stateOf(s, answered.id)!.breached).toEqual(['resolution']);
    await hooks.waitFor((r) => r.length >= 3);
    expect(hooks.requests.map((r) => [r.body.conversation_id, r.body.sla.kind]).sort()).toEqual(
      [
        [late.id, 'first_response'],
        [late.id, 'resolution'],
        [answered.id, 'resolution'],
      ].sort(),
    );
    expect(await announceBreaches(t.deps)).toBe(0);
    const deliveries = await t.get(`/nc-api/v1/webhooks/${webhook.body.id}/deliveries`, token);
    expect(deliveries.body.meta.total).toBe(3);
    expect(published).toHaveLength(3);

    // Resolved conversations leave the list.
    await t.post(`/nc-api/v1/conversations/${late.id}/status`, { status: 'resolved' }, token);
    s = await status();
    expect(s.conversations.map((c) => c.id)).toEqual([answered.id]);
  });

  it('only runs the clocks inside business hours', async () => {
    // Friday 16:30 in Berlin.
    const { t, at, atIso } = await serverWithClock('2026-03-06T15:30:00.000Z');
    const { token, websiteToken } = await accountWithWebsite(t);
    await t.put(
      '/nc-api/v1/sla/policy',
      {
        first_response_minutes: 60,
        resolution_minutes: 480,
        business_hours: { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      },
      token,
    );
    const conversation = await visitorConversation(t, websiteToken);
    const status = async () => (await t.get<Status>('/api/v1/sla/status', token)).body.conversations[0]!;

    expect(await status()).toMatchObject({
      id: conversation.id,
      first_response_due_at: '2026-03-09T08:30:00.000Z', // Monday 09:30 in Berlin
      resolution_due_at: '2026-03-09T15:30:00.000Z', // Monday 16:30
      state: 'ok',
    });
    at(24 * 60); // Saturday afternoon: the weekend does not count
    expect((await status()).state).toBe('ok');
    atIso('2026-03-09T08:17:00.000Z'); // Monday 09:17 Berlin: 47 of 60 business minutes gone
    expect((await status()).state).toBe('ok');
    atIso('2026-03-09T08:19:00.000Z'); // Monday 09:19: less than 20 % left
    expect((await status()).state).toBe('at_risk');
    atIso('2026-03-09T08:31:00.000Z'); // Monday 09:31
    expect((await status()).state).toBe('breached');
  });
});
