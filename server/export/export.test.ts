import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());

type Site = Awaited<ReturnType<typeof accountWithWebsite>>;
const download = (site: Site, query: string) => t.get(`/nc-api/v1/conversations/export?${query}`, site.token);

describe('GET /nc-api/v1/conversations/export', () => {
  it('downloads every conversation with its messages as CSV, formulas defused', async () => {
    const site = await accountWithWebsite(t);
    const first = await visitorConversation(t, site.websiteToken, {
      contact: { name: '=HYPERLINK("http://evil")', email: 'a@b.example' },
      message: '+1 555 0100, call me',
    });
    await t.post(`/nc-api/v1/conversations/${first.id}/messages`, { content: 'Sure, "today"\nat 5' }, site.token);
    await t.post(`/nc-api/v1/conversations/${first.id}/messages`, { content: '@boss check this', private: true }, site.token);
    const second = await visitorConversation(t, site.websiteToken, { contact: { name: 'Bob' }, message: '-5 stars\tor less' });

    const res = await download(site, 'format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="conversations-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows: Record<string, string>[] = parse(res.text, { columns: true });
    const ofFirst = rows.filter((r) => r.conversation_id === String(first.id));
    expect(ofFirst.map((r) => r.content)).toEqual(["'+1 555 0100, call me", 'Sure, "today"\nat 5', "'@boss check this"]);
    expect(ofFirst[0]).toMatchObject({
      contact_name: `'=HYPERLINK("http://evil")`,
      message_type: 'incoming',
      private: 'false',
      sender_type: 'contact',
    });
    expect(ofFirst[2]).toMatchObject({ private: 'true', sender_type: 'agent' });
    expect(rows.find((r) => r.conversation_id === String(second.id))!.content).toBe("'-5 stars\tor less");
    // Nothing else starts with a formula character.
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('downloads JSON with each conversation and its messages, limited to a window', async () => {
    const site = await accountWithWebsite(t);
    const old = await visitorConversation(t, site.websiteToken, { contact: { name: 'Old' }, message: 'Last year' });
    await t.deps.db('conversations').where({ id: old.id }).update({ created_at: '2025-03-01T10:00:00.000Z' });
    const recent = await visitorConversation(t, site.websiteToken, { contact: { name: 'New' }, message: 'Now' });

    const all = await download(site, 'format=json');
    expect(all.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(all.headers.get('content-disposition')).toMatch(/\.json"$/);
    expect(all.body.data.map((c: { id: number }) => c.id)).toEqual([old.id, recent.id]);
    expect(all.body.data[1]).toMatchObject({
      contact: { name: 'New' },
      labels: [],
      messages: [{ content: 'Now', message_type: 'incoming' }],
    });

    const march = await download(site, 'format=json&since=2025-03-01&until=2025-03-01');
    expect(march.body.data.map((c: { id: number }) => c.id)).toEqual([old.id]);
    expect((await download(site, 'format=json&since=2099-01-01')).body).toEqual({ data: [] });
    for (const query of ['format=xml', 'since=yesterday', 'since=2025-03-02&until=2025-03-01'])
      expect((await download(site, query)).status, query).toBe(422);
  });

  it('streams a large account in batches, and never another account’s conversations', async () => {
    const site = await accountWithWebsite(t);
    const other = await accountWithWebsite(t);
    await visitorConversation(t, other.websiteToken, { contact: { name: 'Not yours' }, message: 'secret-of-other' });
    // More conversations than one batch (200), written straight into the database.
    const template = await visitorConversation(t, site.websiteToken, { contact: { name: 'Many' }, message: 'first' });
    const base = await t.deps.db('conversations').where({ id: template.id }).first();
    await t.deps.db.batchInsert(
      'conversations',
      Array.from({ length: 450 }, (_, i) => ({ ...base, id: undefined, token_hash: `${i}`.padStart(64, 'f') })),
      100,
    );
    const rows: Record<string, string>[] = parse((await download(site, 'format=csv')).text, { columns: true });
    expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(451);
    expect(rows.some((r) => r.content === 'secret-of-other')).toBe(false);
    const json = await download(site, 'format=json');
    expect(json.body.data).toHaveLength(451);
  });
});
