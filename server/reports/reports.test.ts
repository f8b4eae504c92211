import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());

type Site = Awaited<ReturnType<typeof accountWithWebsite>>;

/** A pro account (room for two websites; the instance owner's choice, made here in the database) with one bound. */
async function proAccountWithWebsite(): Promise<Site> {
  const owner = await signUp(t);
  await t.deps.db('accounts').where({ id: owner.accountId }).update({ plan: 'pro' });
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://first.example.com' }, owner.token);
  return { ...owner, domainId: bound.body.domain_id, websiteToken: bound.body.website_token, websiteUrl: 'https://first.example.com' };
}

/** Minutes after a day's 08:00 UTC, as stored. */
const at = (day: string, minutes: number) => new Date(Date.parse(`${day}T08:00:00.000Z`) + minutes * 60_000).toISOString();

type Story = {
  day: string;
  /** minutes after 08:00 when a human agent first replied */
  reply?: number;
  /** minutes after 08:00 when it was resolved */
  resolve?: number;
  rating?: number;
  handedOff?: boolean;
};

/**
 * A conversation lived through the API (visitor message, agent reply, resolution, the visitor's rating), then
 * moved to chosen times in the database, so the figures can be checked exactly.
 */
async function live(site: Site, story: Story, websiteToken = site.websiteToken) {
  const c = await visitorConversation(t, websiteToken, { contact: { name: 'Visitor' }, message: 'Hello?' });
  const db = t.deps.db;
  await db('messages')
    .where({ conversation_id: c.id })
    .update({ created_at: at(story.day, 0) });
  if (story.reply !== undefined) {
    const reply = await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'Hi, how can I help?' }, site.token);
    await db('messages')
      .where({ id: reply.body.id })
      .update({ created_at: at(story.day, story.reply) });
  }
  if (story.handedOff) {
    const [question] = await db('messages').where({ conversation_id: c.id, message_type: 'incoming' }).select('id');
    await db('ai_replies').insert({
      account_id: site.accountId,
      conversation_id: c.id,
      question_message_id: question.id,
      question: 'Hello?',
      move: 'handoff',
      handed_off: true,
      created_at: at(story.day, 0),
    });
  }
  if (story.resolve !== undefined) {
    expect((await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'resolved' }, site.token)).status).toBe(200);
    if (story.rating !== undefined) {
      const rated = await t.post(
        `/api/v1/widget/conversations/${c.id}/rating?website_token=${websiteToken}`,
        { rating: story.rating },
        undefined,
        { 'X-Conversation-Token': c.conversation_token },
      );
      expect(rated.status).toBe(201);
      await db('csat_ratings')
        .where({ conversation_id: c.id })
        .update({ created_at: at(story.day, story.resolve) });
    }
  }
  await db('conversations')
    .where({ id: c.id })
    .update({ created_at: at(story.day, 0), resolved_at: story.resolve === undefined ? null : at(story.day, story.resolve) });
  return c;
}

const summary = (site: Site, query: string) => t.get(`/nc-api/v1/reports/summary?${query}`, site.token);

describe('GET /nc-api/v1/reports/summary', () => {
  it('counts conversations and resolutions per day, medians of first human response and resolution, and CSAT', async () => {
    const site = await accountWithWebsite(t);
    // First human replies after 1, 3, 10 and 20 minutes (median 6.5 min); resolutions after 30, 10 and 1440 minutes (median 30).
    await live(site, { day: '2025-11-02', reply: 1, resolve: 30, rating: 5 });
    await live(site, { day: '2025-11-02', reply: 3 });
    await live(site, { day: '2025-11-03', resolve: 10, rating: 2 }); // the AI agent alone
    await live(site, { day: '2025-11-03', reply: 10, resolve: 1440, handedOff: true }); // resolved the next day
    await live(site, { day: '2025-11-04', reply: 20 });
    await live(site, { day: '2025-10-01', reply: 1, resolve: 2, rating: 1 }); // outside the window

    const res = await summary(site, 'since=2025-11-02&until=2025-11-04');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      conversations: 5,
      resolved: 3,
      bot_resolved: 1,
      handed_off: 1,
      first_response_seconds_median: 390,
      resolution_seconds_median: 1800,
      csat: { count: 2, average: 3.5 },
      by_day: [
        { date: '2025-11-02', conversations: 2, resolved: 1, bot_resolved: 0 },
        { date: '2025-11-03', conversations: 2, resolved: 1, bot_resolved: 1 },
        { date: '2025-11-04', conversations: 1, resolved: 1, bot_resolved: 0 },
      ],
    });

    // An odd count takes the middle value: 1, 3 and 10 minutes.
    expect((await summary(site, 'since=2025-11-02&until=2025-11-03')).body.first_response_seconds_median).toBe(180);
  });

  it("takes one website's conversations with domain_id, and says null where there is nothing to measure", async () => {
    const site = await proAccountWithWebsite();
    const other = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://second.example.com' }, site.token);
    expect(other.status).toBe(201);
    await live(site, { day: '2025-11-02', reply: 2, resolve: 4 });
    await live(site, { day: '2025-11-02', reply: 8 }, other.body.website_token);

    const all = await summary(site, 'since=2025-11-02&until=2025-11-02');
    expect(all.body).toMatchObject({ conversations: 2, first_response_seconds_median: 300 });
    const first = await summary(site, `since=2025-11-02&until=2025-11-02&domain_id=${site.domainId}`);
    expect(first.body).toMatchObject({ conversations: 1, resolved: 1, first_response_seconds_median: 120, resolution_seconds_median: 240 });

    const empty = await summary(site, 'since=2024-01-01&until=2024-01-02');
    expect(empty.body).toMatchObject({
      conversations: 0,
      resolved: 0,
      first_response_seconds_median: null,
      resolution_seconds_median: null,
      csat: { count: 0, average: null },
    });
    expect(empty.body.by_day).toHaveLength(2);
  });

  it("never counts another account's conversations, and refuses a bad window (422)", async () => {
    const a = await accountWithWebsite(t);
    const b = await accountWithWebsite(t);
    await live(a, { day: '2025-11-02', reply: 1, resolve: 2 });
    expect((await summary(b, 'since=2025-11-02&until=2025-11-02')).body).toMatchObject({ conversations: 0, resolved: 0 });
    expect((await summary(b, `since=2025-11-02&until=2025-11-02&domain_id=${a.domainId}`)).body.conversations).toBe(0);
    for (const query of ['since=2025-11-03&until=2025-11-02', 'since=yesterday', 'since=2020-01-01&until=2025-01-01', 'domain_id=abc']) {
      const res = await summary(a, query);
      expect(res.status, query).toBe(422);
    }
  });
});
