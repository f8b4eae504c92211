import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(async () => {
  await t?.close();
});

type Outcome = {
  day: string;
  question: string;
  move?: 'answer' | 'choices' | 'handoff';
  intent?: 'handoff';
  kb_item_id?: number | null;
  handed_off?: boolean;
  helpful?: boolean | null;
};

/**
 * An account whose AI replies are written straight into the reply log at chosen times, each in a conversation
 * of its own (opened through the widget, on a website without an AI agent, so nothing else answers).
 */
async function accountWith(outcomes: Outcome[]) {
  const owner = await signUp(t);
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://report.example.com' }, owner.token);
  const conversationIds: number[] = [];
  for (const o of outcomes) {
    const created = await t.post(`/api/v1/widget/conversations?website_token=${bound.body.website_token}`, { message: o.question });
    const conversationId = created.body.id as number;
    conversationIds.push(conversationId);
    await t.deps.db('ai_replies').insert({
      account_id: owner.accountId,
      conversation_id: conversationId,
      question_message_id: created.body.messages[0].id,
      question: o.question,
      intent: o.intent ?? null,
      move: o.move ?? 'handoff',
      kb_item_id: o.kb_item_id ?? null,
      handed_off: o.handed_off ?? (o.move ?? 'handoff') === 'handoff',
      helpful: o.helpful ?? null,
      created_at: `${o.day}T10:00:00.000Z`,
    });
  }
  return { ...owner, conversationIds };
}

/** Days of these tests lie in the past, outside the default window of the last 30 days. */
const report = (token: string, query = '') => t.get(`/nc-api/v1/reports/ai${query}`, token);

describe('GET /nc-api/v1/reports/ai', () => {
  it('counts the moves and the feedback, per day, and groups the unanswered questions with their near-duplicates', async () => {
    const shop = await accountWith([
      { day: '2025-11-02', question: 'Do you ship to Canada?' },
      { day: '2025-11-02', question: 'do you ship to canada?' },
      { day: '2025-11-02', question: 'Do you sell gift cards?' },
      { day: '2025-11-02', question: 'How long does shipping take?', move: 'answer', kb_item_id: 1, helpful: true },
      { day: '2025-11-03', question: 'What is your return policy?', move: 'answer', kb_item_id: 2, helpful: false, handed_off: true },
      { day: '2025-11-03', question: 'send back furniture', move: 'choices', kb_item_id: 3 },
      { day: '2025-11-03', question: 'returning stuff', move: 'choices' },
      { day: '2025-11-05', question: 'Can you ship to Canada?' },
      { day: '2025-11-05', question: 'I want to talk to a human', intent: 'handoff' },
    ]);
    const ids = shop.conversationIds;
    const res = await report(shop.token, '?since=2025-11-01&until=2025-11-05');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      questions: 8,
      answered: 2,
      answered_via_choice: 1,
      handed_off: 5,
      handoff_requests: 1,
      helpful: 1,
      not_helpful: 1,
    });
    expect(res.body.by_day).toEqual([
      { date: '2025-11-01', questions: 0, answered: 0, answered_via_choice: 0, handed_off: 0 },
      { date: '2025-11-02', questions: 4, answered: 1, answered_via_choice: 0, handed_off: 3 },
      { date: '2025-11-03', questions: 3, answered: 1, answered_via_choice: 1, handed_off: 1 },
      { date: '2025-11-04', questions: 0, answered: 0, answered_via_choice: 0, handed_off: 0 },
      { date: '2025-11-05', questions: 1, answered: 0, answered_via_choice: 0, handed_off: 1 },
    ]);
    // The three ways of asking about Canada are one gap; the answer marked unhelpful is a gap too.
    const [canada, ...rest] = res.body.top_unanswered;
    expect(canada.count).toBe(3);
    expect(canada.question.toLowerCase()).toBe('do you ship to canada?');
    expect([...canada.conversation_ids].sort()).toEqual([ids[0], ids[1], ids[7]].sort());
    expect(rest).toEqual(
      expect.arrayContaining([
        { question: 'Do you sell gift cards?', count: 1, conversation_ids: [ids[2]] },
        { question: 'What is your return policy?', count: 1, conversation_ids: [ids[4]] },
      ]),
    );
    expect(rest).toHaveLength(2);
  });

  it('reports only the window asked for, and only the account asking', async () => {
    const shop = await accountWith([
      { day: '2025-10-30', question: 'Do you sell gift cards?' },
      { day: '2025-11-10', question: 'Do you deliver on Sundays?' },
    ]);
    const other = await accountWith([{ day: '2025-11-10', question: 'Is there parking?' }]);

    const november = (await report(shop.token, '?since=2025-11-01T00:00:00Z&until=2025-11-30')).body;
    expect(november).toMatchObject({ questions: 1, handed_off: 1 });
    expect(november.top_unanswered).toEqual([
      { question: 'Do you deliver on Sundays?', count: 1, conversation_ids: [shop.conversationIds[1]] },
    ]);
    expect(november.by_day).toHaveLength(30);

    const theirs = (await report(other.token, '?since=2025-10-01&until=2025-11-30')).body;
    expect(theirs).toMatchObject({ questions: 1 });
    expect(theirs.top_unanswered.map((g: { question: string }) => g.question)).toEqual(['Is there parking?']);

    // Without a window: the last 30 days, which hold none of these (a year ago).
    const recent = (await report(shop.token)).body;
    expect(recent).toMatchObject({ questions: 0, answered: 0, top_unanswered: [] });
    expect(recent.by_day.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses a bad window and callers without credentials', async () => {
    const { token } = await signUp(t);
    for (const query of [
      '?since=yesterday',
      '?until=2026-13-01',
      '?since=2026-11-05&until=2026-11-01',
      '?since=2024-01-01&until=2026-01-01',
    ]) {
      const res = await report(token, query);
      expect(res.status, query).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await report('')).status).toBe(401);
  });
});
