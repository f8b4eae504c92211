import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { addAlternateQuestion } from './questions.js';

let t: TestServer;

beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(async () => {
  await t?.close();
});

const ITEMS = '/nc-api/v1/knowledge_base/items';
const questionsOf = (id: number) => `${ITEMS}/${id}/questions`;
const search = async (q: string, token: string, k = 5) =>
  (await t.get(`/nc-api/v1/knowledge_base/search?q=${encodeURIComponent(q)}&k=${k}`, token)).body.data as {
    item: { id: number };
    score: number;
  }[];

const FAQ = [
  { title: 'What is your return policy?', content: 'Unused items can be returned within 30 days for a full refund.' },
  {
    title: 'How do I claim the warranty?',
    content: 'Furniture has a two-year warranty: send us a photo of the fault and your order number.',
  },
  { title: 'Which payment methods do you accept?', content: 'Visa, Mastercard, PayPal and Apple Pay.' },
];

async function shopWithFaq() {
  const account = await signUp(t);
  const items = (await t.post(`${ITEMS}/import`, FAQ, account.token)).body as { id: number }[];
  return { ...account, items };
}

describe('alternate questions', () => {
  it('adds, lists, de-duplicates and removes an alternate question, and item responses carry them', async () => {
    const { token, items } = await shopWithFaq();
    const warranty = items[1]!.id;
    const added = await t.post(questionsOf(warranty), { question: '  My chair wobbles after a month ' }, token);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(Number),
      question: 'My chair wobbles after a month',
      source: 'manual',
      created_at: expect.any(String),
    });

    const again = await t.post(questionsOf(warranty), { question: 'my   CHAIR wobbles after a month' }, token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(added.body);

    expect((await t.get(questionsOf(warranty), token)).body).toEqual({ data: [added.body] });
    expect((await t.get(`${ITEMS}/${warranty}`, token)).body.questions).toEqual([added.body]);
    const listed = (await t.get(ITEMS, token)).body.data as { id: number; questions: unknown[] }[];
    expect(listed.find((i) => i.id === warranty)!.questions).toEqual([added.body]);
    expect(listed.find((i) => i.id === items[0]!.id)!.questions).toEqual([]);

    expect((await t.del(`${questionsOf(warranty)}/${added.body.id}`, token)).status).toBe(204);
    expect((await t.get(questionsOf(warranty), token)).body).toEqual({ data: [] });
    expect((await t.del(`${questionsOf(warranty)}/${added.body.id}`, token)).status).toBe(404);
  });

  it('makes the item the top hit for its phrasing by the next request, once, and stops when it is removed', async () => {
    const { token, items } = await shopWithFaq();
    const warranty = items[1]!.id;
    const query = 'the legs of my new chair wobble';
    const scoreOf = async () => (await search(query, token)).find((hit) => hit.item.id === warranty)?.score ?? 0;
    const before = await scoreOf();

    const added = await t.post(questionsOf(warranty), { question: 'The legs of my chair wobble' }, token);
    const hits = await search(query, token);
    expect(hits[0]!.item.id).toBe(warranty);
    expect(hits[0]!.score).toBeGreaterThan(before + 0.15);
    expect(hits.filter((hit) => hit.item.id === warranty)).toHaveLength(1);

    await t.del(`${questionsOf(warranty)}/${added.body.id}`, token);
    expect(await scoreOf()).toBeCloseTo(before, 5);
  });

  it('holds at most 50 per item, which do not count against the plan’s kb_items', async () => {
    const { token, items } = await shopWithFaq();
    const id = items[0]!.id;
    for (let i = 1; i <= 50; i++)
      expect((await t.post(questionsOf(id), { question: `Return question number ${i}?` }, token)).status).toBe(201);
    const over = await t.post(questionsOf(id), { question: 'One question too many?' }, token);
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'question_limit_reached', details: { max: 50 } });
    expect((await t.post(questionsOf(id), { question: 'return question NUMBER 7?' }, token)).status).toBe(200);
    expect((await t.get(questionsOf(id), token)).body.data).toHaveLength(50);
    expect((await t.get('/nc-api/v1/account/status', token)).body.usage.kb_items).toBe(3);
  }, 60_000);

  it('refuses empty or overlong questions, and unknown items', async () => {
    const { token, items } = await shopWithFaq();
    const id = items[0]!.id;
    for (const body of [{ question: '   ' }, { question: 'x'.repeat(501) }, {}, { question: 42 }]) {
      const res = await t.post(questionsOf(id), body, token);
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe('question');
    }
    expect((await t.post(questionsOf(999_999), { question: 'Anyone there?' }, token)).status).toBe(404);
    expect((await t.get(questionsOf(999_999), token)).status).toBe(404);
    expect((await t.del(`${questionsOf(id)}/999999`, token)).status).toBe(404);
  });

  it("never shows, adds to or removes another account's questions", async () => {
    const a = await shopWithFaq();
    const b = await signUp(t);
    const id = a.items[2]!.id;
    const question = (await t.post(questionsOf(id), { question: 'Can I pay with a gift voucher from the market?' }, a.token)).body;
    expect((await t.get(questionsOf(id), b.token)).status).toBe(404);
    expect((await t.post(questionsOf(id), { question: 'mine now?' }, b.token)).status).toBe(404);
    expect((await t.del(`${questionsOf(id)}/${question.id}`, b.token)).status).toBe(404);
    expect(await search('pay with a gift voucher from the market', b.token)).toEqual([]);
    expect((await t.get(questionsOf(id), a.token)).body.data).toEqual([question]);
  });

  it('imports questions per item from JSON and from a `|`-separated CSV column, searchable at once', async () => {
    const { token } = await signUp(t);
    const json = await t.post(
      `${ITEMS}/import`,
      [{ ...FAQ[0]!, questions: ['Can I send it back?', 'can i SEND it back?', 'I changed my mind about my order'] }, FAQ[2]],
      token,
    );
    expect(json.status).toBe(201);
    expect(json.body[0].questions.map((q: { question: string; source: string }) => [q.question, q.source])).toEqual([
      ['Can I send it back?', 'import'],
      ['I changed my mind about my order', 'import'],
    ]);
    expect(json.body[1].questions).toEqual([]);

    const csv =
      'question,answer,questions\n"How do I claim the warranty?","Send a photo of the fault.","my chair wobbles | the drawer handle fell off"\n';
    const res = await t.request('POST', '/nc-api/v1/knowledge_base/import', undefined, {
      token,
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    const warranty = res.body.items[0];
    expect(warranty.questions.map((q: { question: string }) => q.question)).toEqual(['my chair wobbles', 'the drawer handle fell off']);
    expect((await search('the handle of the drawer fell off', token))[0]!.item.id).toBe(warranty.id);

    const tooMany = await t.post(`${ITEMS}/import`, [{ ...FAQ[1]!, questions: Array.from({ length: 51 }, (_, i) => `q${i}`) }], token);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details[0].field).toBe('items[0].questions');
  });

  it('learns a question through the service function the AI agent calls, with its source', async () => {
    const { token, accountId, items } = await shopWithFaq();
    const { question, created } = await addAlternateQuestion(t.server.deps, accountId, items[2]!.id, 'do u take amex', 'visitor');
    expect(created).toBe(true);
    expect((await t.get(questionsOf(items[2]!.id), token)).body.data).toEqual([
      { id: question.id, question: 'do u take amex', source: 'visitor', created_at: question.created_at },
    ]);
    await expect(addAlternateQuestion(t.server.deps, accountId + 1000, items[2]!.id, 'x?', 'agent')).rejects.toMatchObject({ status: 404 });
  });
});
