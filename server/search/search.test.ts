import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';
import { snippet } from './terms.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());

type Site = Awaited<ReturnType<typeof accountWithWebsite>>;
type Hit = {
  conversation: { id: number };
  message: { id: number; content: string; private: boolean } | null;
  snippet: { text: string; match: boolean }[] | null;
};

const search = (site: Site, q: string) => t.get(`/nc-api/v1/conversations/search?q=${encodeURIComponent(q)}`, site.token);
const found = (body: { data: Hit[] }) => body.data.map((hit) => hit.conversation.id);
const marked = (hit: Hit) => hit.snippet!.filter((part) => part.match).map((part) => part.text);

describe('GET /nc-api/v1/conversations/search', () => {
  it('finds conversations by the words of their messages, with the best message and the words flagged', async () => {
    const site = await accountWithWebsite(t);
    const refund = await visitorConversation(t, site.websiteToken, { contact: { name: 'Ann' }, message: 'I want a REFUND for my order' });
    const other = await visitorConversation(t, site.websiteToken, { contact: { name: 'Bob' }, message: 'Where is my parcel?' });
    await t.post(
      `/nc-api/v1/conversations/${other.id}/messages`,
      { content: 'Refunds take five days once the parcel is back.' },
      site.token,
    );

    const res = await search(site, 'refund');
    expect(res.status).toBe(200);
    expect(found(res.body).sort()).toEqual([refund.id, other.id].sort());
    expect(res.body.meta).toEqual({ total: 2, page: 1, per_page: 25 });
    const hit = res.body.data.find((h: Hit) => h.conversation.id === other.id);
    expect(hit.message.content).toBe('Refunds take five days once the parcel is back.');
    // Words are matched from their start, case aside.
    expect(marked(hit)).toEqual(['Refunds']);

    // Every word must be there; order does not matter.
    expect(found((await search(site, 'parcel refund')).body)).toEqual([other.id]);
    expect(found((await search(site, 'parc')).body)).toEqual([other.id]);
    expect(found((await search(site, 'nothing like it')).body)).toEqual([]);
  });

  it('finds private notes for agents, not activity lines, and conversations by their contact', async () => {
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken, {
      contact: { name: 'Carla Mendes', email: 'carla@shop.example' },
      message: 'Hi',
    });
    await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'Customer is a wholesaler', private: true }, site.token);
    await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'resolved' }, site.token);

    const note = (await search(site, 'wholesaler')).body.data;
    expect(note).toHaveLength(1);
    expect(note[0].message.private).toBe(true);
    expect((await search(site, 'resolved')).body.data).toEqual([]);
    const byContact = (await search(site, 'carla@shop')).body.data;
    expect(found({ data: byContact })).toEqual([c.id]);
    expect(byContact[0]).toMatchObject({ message: null, snippet: null });
  });

  it('folds accents, treats markup in messages as text, and refuses a query with no word (422)', async () => {
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken, {
      contact: { name: 'Dee' },
      message: '<b>Crème</b> brûlée <script>alert(1)</script>',
    });
    const res = await search(site, 'creme');
    if (t.deps.db.client.config.client !== 'pg') expect(found(res.body)).toEqual([c.id]);
    const script = (await search(site, 'brûlée')).body.data[0];
    expect(script.snippet.map((p: { text: string }) => p.text).join('')).toBe('<b>Crème</b> brûlée <script>alert(1)</script>');
    expect(marked(script)).toEqual(['brûlée']);
    for (const q of ['', '   ', '%%%', '"*']) expect((await search(site, q)).status, q).toBe(422);
    // FTS query syntax in the words is only words.
    expect((await search(site, 'brûlée OR NEAR(x)')).status).toBe(200);
  });

  it("never finds another account's conversations", async () => {
    const a = await accountWithWebsite(t);
    const b = await accountWithWebsite(t);
    await visitorConversation(t, a.websiteToken, { contact: { name: 'Zed Secret' }, message: 'My password is hunter2' });
    expect((await search(b, 'hunter2')).body.data).toEqual([]);
    expect((await search(b, 'zed')).body.data).toEqual([]);
    expect((await search(a, 'hunter2')).body.data).toHaveLength(1);
  });
});

describe('snippet', () => {
  it('cuts a long message around its first match, on word boundaries', () => {
    const long = `${'lorem ipsum '.repeat(20)}the courier lost the parcel ${'dolor sit '.repeat(30)}`;
    const parts = snippet(long, ['parcel']);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.at(-1)).toEqual({ text: '…', match: false });
    expect(parts.filter((p) => p.match)).toEqual([{ text: 'parcel', match: true }]);
    const text = parts.map((p) => p.text).join('');
    expect(text.length).toBeLessThanOrEqual(165);
    expect(text).toMatch(/^…\S/);
  });
});
