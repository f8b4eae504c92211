import { describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, apiKey, visitorConversation } from '../conversations/test-fixtures.js';
import { eventsAfter } from '../events/record.js';
import { ratingSummary } from './repo.js';
import { serversPerTest } from '../../test/helpers/servers-per-test.js';

const server = serversPerTest();

type Site = Awaited<ReturnType<typeof accountWithWebsite>>;
type Conversation = Awaited<ReturnType<typeof visitorConversation>>;

const rate = (t: TestServer, site: Site, c: Conversation, body: unknown, token: string | null = c.conversation_token) =>
  t.post(
    `/api/v1/widget/conversations/${c.id}/rating?website_token=${site.websiteToken}`,
    body,
    undefined,
    token ? { 'X-Conversation-Token': token } : {},
  );
const setStatus = (t: TestServer, site: Site, c: Conversation, status: string) =>
  t.post(`/nc-api/v1/conversations/${c.id}/status`, { status }, site.token);
const visitorWrites = (t: TestServer, site: Site, c: Conversation, content: string) =>
  t.post(`/api/v1/widget/messages?website_token=${site.websiteToken}`, { conversation_id: c.id, content }, undefined, {
    'X-Conversation-Token': c.conversation_token,
  });

describe('CSAT ratings', () => {
  it('takes one rating per resolution, and another after the conversation is reopened and resolved again', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);

    const early = await rate(t, site, c, { rating: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_resolved');

    await setStatus(t, site, c, 'resolved');
    const first = await rate(t, site, c, { rating: 4, comment: '  Quick and helpful  ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ conversation_id: c.id, rating: 4, comment: 'Quick and helpful', resolved_at: expect.any(String) });

    const again = await rate(t, site, c, { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_rated');

    // The visitor writes again (reopening it); once it is resolved again, it can be rated again.
    await visitorWrites(t, site, c, 'one more thing');
    expect((await rate(t, site, c, { rating: 2 })).body.error.code).toBe('not_resolved');
    await setStatus(t, site, c, 'resolved');
    const second = await rate(t, site, c, { rating: 2 });
    expect(second.status).toBe(201);
    expect(second.body.resolved_at).not.toBe(first.body.resolved_at);

    // Both ratings are in the transcript, as activity lines agents and the visitor see.
    const shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    const lines = shown.body.messages.filter((m: { content_attributes: { kind?: string } }) => m.content_attributes.kind === 'csat');
    expect(lines.map((m: { content: string }) => m.content)).toEqual([
      'John rated the conversation 4/5: “Quick and helpful”',
      'John rated the conversation 2/5',
    ]);
    expect(lines[0]).toMatchObject({
      message_type: 'activity',
      private: false,
      sender: { type: 'contact', id: c.contact.id },
      content_attributes: { kind: 'csat', rating: 4, comment: 'Quick and helpful' },
    });
    // The conversation carries the rating of its current resolution.
    expect(shown.body.csat).toMatchObject({ id: second.body.id, rating: 2, comment: null });
    const widgetView = await t.get(`/api/v1/widget/conversations/${c.id}?website_token=${site.websiteToken}`, undefined, {
      'X-Conversation-Token': c.conversation_token,
    });
    expect(widgetView.body.csat).toMatchObject({ rating: 2 });
    const widgetMessages = await t.get(
      `/api/v1/widget/messages?website_token=${site.websiteToken}&conversation_id=${c.id}&conversation_token=${c.conversation_token}`,
    );
    expect(
      widgetMessages.body.data.filter((m: { content_attributes: { kind?: string } }) => m.content_attributes.kind === 'csat'),
    ).toHaveLength(2);

    // Reopened, the conversation has no current rating.
    await setStatus(t, site, c, 'open');
    expect((await t.get(`/nc-api/v1/conversations/${c.id}`, site.token)).body.csat).toBeNull();
  });

  it('pushes the rating as a message_created event of the conversation', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    await setStatus(t, site, c, 'resolved');
    const before = (await eventsAfter(t.deps.db, { account_id: site.accountId }, 0)).at(-1)!.id;
    await rate(t, site, c, { rating: 5, comment: 'Thanks!' });
    const events = await eventsAfter(t.deps.db, { account_id: site.accountId }, before);
    expect(events.map((e) => e.type)).toEqual(['message_created']);
    expect(events[0]!.data).toMatchObject({
      message: { content_attributes: { kind: 'csat', rating: 5, comment: 'Thanks!' } },
      conversation: { id: c.id, status: 'resolved' },
    });
  });

  it('refuses a rating out of range or of the wrong type (422), without the conversation token (401), or of another website (404)', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const other = await accountWithWebsite(t, 'https://other.example');
    const c = await visitorConversation(t, site.websiteToken);
    await setStatus(t, site, c, 'resolved');

    for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 3.5 }, { rating: '5' }, {}, { rating: 3, comment: 'x'.repeat(2001) }]) {
      const res = await rate(t, site, c, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.details[0].field).toBe(Object.keys(body).includes('comment') ? 'comment' : 'rating');
    }
    expect((await rate(t, site, c, { rating: 5 }, null)).status).toBe(401);
    expect((await rate(t, site, c, { rating: 5 }, 'ct_not-the-token')).status).toBe(401);
    // Another website's token does not reach this conversation, even with its conversation token.
    const foreign = await t.post(
      `/api/v1/widget/conversations/${c.id}/rating?website_token=${other.websiteToken}`,
      { rating: 5 },
      undefined,
      {
        'X-Conversation-Token': c.conversation_token,
      },
    );
    expect(foreign.status).toBe(404);
    // A server-side integration of the same account may rate on the visitor's behalf (widget rules).
    const key = await apiKey(t, site.token, ['read', 'write']);
    const byKey = await t.request(
      'POST',
      `/api/v1/widget/conversations/${c.id}/rating?website_token=${site.websiteToken}`,
      { rating: 3 },
      {
        token: key,
      },
    );
    expect(byKey.status).toBe(201);
    // Nothing of the refused ones was stored.
    const shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    expect(shown.body.messages.filter((m: { content_attributes: { kind?: string } }) => m.content_attributes.kind === 'csat')).toHaveLength(
      1,
    );
  });

  it("sums an account's ratings over a window, per website, for reports", async () => {
    const t = await server();
    const owner = await signUp(t, { plan: 'pro' });
    const bind = async (website_url: string) => (await t.post('/nc-api/v1/account/bind-domain', { website_url }, owner.token)).body;
    const [first, second] = [await bind('https://first.example'), await bind('https://second.example')];
    const site = { ...owner, domainId: first.domain_id as number, websiteToken: first.website_token as string, websiteUrl: '' };
    const other = await accountWithWebsite(t, 'https://other.example');
    const rated = async (websiteToken: string, owner: Site, rating: number) => {
      const c = await visitorConversation(t, websiteToken);
      await setStatus(t, owner, c, 'resolved');
      expect((await rate(t, { ...owner, websiteToken }, c, { rating })).status).toBe(201);
    };
    await rated(site.websiteToken, site, 5);
    await rated(site.websiteToken, site, 4);
    await rated(second.website_token, site, 1);
    await rated(other.websiteToken, other, 2);

    const hour = 3_600_000;
    const window = { since: new Date(Date.now() - hour), until: new Date(Date.now() + hour) };
    expect(await ratingSummary(t.deps.db, site.accountId, window)).toEqual({ count: 3, average: 10 / 3 });
    expect(await ratingSummary(t.deps.db, site.accountId, { ...window, domainId: site.domainId })).toEqual({ count: 2, average: 4.5 });
    expect(await ratingSummary(t.deps.db, other.accountId, window)).toEqual({ count: 1, average: 2 });
    expect(
      await ratingSummary(t.deps.db, site.accountId, { since: new Date(Date.now() + hour), until: new Date(Date.now() + 2 * hour) }),
    ).toEqual({
      count: 0,
      average: null,
    });
  });
});
