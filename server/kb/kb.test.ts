import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(async () => {
  await t?.close();
});

const ITEMS = '/nc-api/v1/knowledge_base/items';
const search = (q: string, token: string, k = 5) => t.get(`/nc-api/v1/knowledge_base/search?q=${encodeURIComponent(q)}&k=${k}`, token);

describe('knowledge base items', () => {
  it('adds an item as the quick-start does and reads, lists, changes and deletes it', async () => {
    const { token } = await signUp(t);
    const created = await t.post(
      ITEMS,
      {
        title: 'How to reset password?',
        content: 'Go to Settings → Change Password...',
        category: 'After-sales',
        tags: ['password', 'account'],
      },
      token,
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      title: 'How to reset password?',
      content: 'Go to Settings → Change Password...',
      category: 'After-sales',
      tags: ['password', 'account'],
      questions: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.body.id;

    expect((await t.get(`${ITEMS}/${id}`, token)).body).toEqual(created.body);
    const listed = await t.get(ITEMS, token);
    expect(listed.body).toEqual({ data: [created.body], meta: { total: 1, page: 1, per_page: 25 } });

    const changed = await t.put(`${ITEMS}/${id}`, { content: 'Settings → Security → Change password.', tags: 'password, security' }, token);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      title: 'How to reset password?',
      content: 'Settings → Security → Change password.',
      tags: ['password', 'security'],
    });

    expect((await t.del(`${ITEMS}/${id}`, token)).status).toBe(204);
    expect((await t.get(`${ITEMS}/${id}`, token)).status).toBe(404);
    expect((await t.del(`${ITEMS}/${id}`, token)).status).toBe(404);
    expect((await t.get(ITEMS, token)).body.meta.total).toBe(0);
  });

  it('filters by text, category and tag, and pages', async () => {
    const { token } = await signUp(t);
    const res = await t.post(
      `${ITEMS}/import`,
      [
        {
          title: 'What is your return policy?',
          content: '30-day returns, free shipping label.',
          category: 'After-sales',
          tags: ['return', 'refund'],
        },
        { title: 'How to track my order?', content: 'Login → Orders → Track.', category: 'Pre-sales', tags: ['order', 'shipping'] },
        { title: 'Shipping time?', content: '3-5 business days', category: 'Pre-sales', tags: ['shipping'] },
        { title: 'Payment methods?', content: 'Visa, MC, PayPal (100% secure)', category: 'Pricing' },
      ],
      token,
    );
    expect(res.status).toBe(201);
    const titles = async (query: string) => (await t.get(`${ITEMS}?${query}`, token)).body.data.map((i: { title: string }) => i.title);

    expect(await titles('q=SHIPPING')).toEqual(['Shipping time?', 'What is your return policy?']);
    expect(await titles('category=pre-sales')).toEqual(['Shipping time?', 'How to track my order?']);
    expect(await titles('tag=shipping')).toEqual(['Shipping time?', 'How to track my order?']);
    expect(await titles('tag=ship')).toEqual([]);
    // LIKE wildcards in the query are literal characters.
    expect(await titles('q=100%25')).toEqual(['Payment methods?']);
    expect(await titles('q=_')).toEqual([]);

    const page2 = await t.get(`${ITEMS}?per_page=3&page=2`, token);
    expect(page2.body.meta).toEqual({ total: 4, page: 2, per_page: 3 });
    expect(page2.body.data.map((i: { title: string }) => i.title)).toEqual(['What is your return policy?']);
    expect((await t.get(`${ITEMS}?per_page=101`, token)).status).toBe(422);
  });

  it('names each bad field of a bad item', async () => {
    const { token } = await signUp(t);
    const res = await t.post(ITEMS, { title: '  ', content: 42, tags: ['x'.repeat(51)] }, token);
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['content', 'tags.0', 'title']);
    expect((await t.put(`${ITEMS}/999999`, { title: 'x' }, token)).status).toBe(404);
    expect((await t.get(ITEMS, token)).body.meta.total).toBe(0);
  });

  it('a read-only API key can list and search but not write', async () => {
    const { token } = await signUp(t);
    const key = (await t.post('/nc-api/v1/api-keys', { name: 'ro', permissions: ['read'] }, token)).body.full_key;
    expect((await t.get(ITEMS, key)).status).toBe(200);
    expect((await search('anything', key)).status).toBe(200);
    expect((await t.post(ITEMS, { title: 'a', content: 'b' }, key)).status).toBe(403);
    expect((await t.post(`${ITEMS}/import`, [{ title: 'a', content: 'b' }], key)).status).toBe(403);
  });
});

describe('search', () => {
  it('finds an item in the very next request after it is created, follows updates, and loses it on delete', async () => {
    const { token } = await signUp(t);
    await t.post(
      `${ITEMS}/import`,
      [
        { title: 'Shipping time?', content: 'Orders arrive in 3-5 business days.' },
        { title: 'Payment methods?', content: 'We accept Visa, Mastercard and PayPal.' },
      ],
      token,
    );
    const created = await t.post(
      ITEMS,
      { title: 'Do you ship to Canada?', content: 'Yes, we ship to Canada and Mexico; customs are included.' },
      token,
    );

    const found = await search('Do you ship to Canada?', token);
    expect(found.status).toBe(200);
    expect(found.body.data[0]).toEqual({ item: created.body, score: expect.any(Number) });
    expect(found.body.data[0].score).toBeGreaterThanOrEqual(found.body.match_threshold);
    expect(found.body.data.length).toBeLessThanOrEqual(5);

    await t.put(`${ITEMS}/${created.body.id}`, { title: 'Gift wrapping', content: 'Every order can be gift wrapped for 2 EUR.' }, token);
    const afterUpdate = await search('gift wrapping', token);
    expect(afterUpdate.body.data[0].item.id).toBe(created.body.id);

    expect((await t.del(`${ITEMS}/${created.body.id}`, token)).status).toBe(204);
    const afterDelete = await search('gift wrapping', token);
    expect(afterDelete.body.data.map((hit: { item: { id: number } }) => hit.item.id)).not.toContain(created.body.id);
  });

  it('validates q and k', async () => {
    const { token } = await signUp(t);
    expect((await t.get('/nc-api/v1/knowledge_base/search', token)).status).toBe(422);
    expect((await search('x', token, 0)).status).toBe(422);
    expect((await search('x', token, 51)).status).toBe(422);
  });
});

describe('tenant isolation', () => {
  it("never shows, changes or finds another account's items", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const item = (await t.post(ITEMS, { title: 'Secret discount code', content: 'Use code WINTER-ALPHA-77 for 40% off.' }, a.token)).body;

    expect((await t.get(`${ITEMS}/${item.id}`, b.token)).status).toBe(404);
    expect((await t.put(`${ITEMS}/${item.id}`, { title: 'mine now' }, b.token)).status).toBe(404);
    expect((await t.del(`${ITEMS}/${item.id}`, b.token)).status).toBe(404);
    expect((await t.get(ITEMS, b.token)).body.meta.total).toBe(0);
    expect((await t.get(`${ITEMS}?q=WINTER`, b.token)).body.data).toEqual([]);
    expect((await search('secret discount code WINTER-ALPHA-77', b.token)).body.data).toEqual([]);

    // …and the owner still has it, unchanged.
    expect((await t.get(`${ITEMS}/${item.id}`, a.token)).body).toEqual(item);
    expect((await search('secret discount code', a.token)).body.data[0].item.id).toBe(item.id);
  });
});

describe('an item’s vector follows what it is made of', () => {
  it('keeps the stored vector when a save changes nothing embedded, and re-embeds when the tags change', async () => {
    const { token } = await signUp(t);
    const item = (
      await t.post(ITEMS, { title: 'Shipping time?', content: 'Orders arrive in 3-5 business days.', tags: ['shipping'] }, token)
    ).body;
    const vector = () => t.server.deps.db('kb_item_vectors').where({ item_id: item.id }).first('updated_at');
    const stored = await vector();
    expect(stored).toBeDefined();
    // The console saves every field, changed or not.
    await t.put(`${ITEMS}/${item.id}`, { title: item.title, content: item.content, tags: ['shipping'] }, token);
    expect(await vector()).toEqual(stored);
    await t.put(`${ITEMS}/${item.id}`, { tags: ['shipping', 'delivery time'] }, token);
    const after = await vector();
    expect(after).toBeDefined();
    expect(after.updated_at > stored.updated_at).toBe(true);
  });
});
