import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());

const names = (body: { data: { name: string | null }[] }) => body.data.map((c) => c.name);

describe('contacts', () => {
  it('are listed newest first and searched by name or e-mail, case-insensitively, with % taken literally', async () => {
    const site = await accountWithWebsite(t);
    await visitorConversation(t, site.websiteToken, { contact: { name: 'Ann Lee', email: 'ann@shop.example' }, message: 'Hi' });
    await visitorConversation(t, site.websiteToken, { contact: { name: 'Bob Stone', email: 'bob@mail.example' }, message: 'Hi' });
    await visitorConversation(t, site.websiteToken, { contact: { name: 'Carla 100%' }, message: 'Hi' });

    const all = await t.get('/nc-api/v1/contacts', site.token);
    expect(names(all.body)).toEqual(['Carla 100%', 'Bob Stone', 'Ann Lee']);
    expect(all.body.data[1]).toMatchObject({ email: 'bob@mail.example', verified: false, notes: null, conversations_count: 1 });
    expect(all.body.data[1].last_activity_at).toEqual(expect.any(String));
    expect(names((await t.get('/nc-api/v1/contacts?q=STONE', site.token)).body)).toEqual(['Bob Stone']);
    expect(names((await t.get('/nc-api/v1/contacts?q=shop.example', site.token)).body)).toEqual(['Ann Lee']);
    expect(names((await t.get('/nc-api/v1/contacts?q=0%25', site.token)).body)).toEqual(['Carla 100%']);
    expect(names((await t.get('/nc-api/v1/contacts?q=%25%25%25', site.token)).body)).toEqual([]);
    expect((await t.get('/nc-api/v1/contacts?q=STONE', site.token)).body.meta).toEqual({ total: 1, page: 1, per_page: 25 });
  });

  it('show their conversations, newest activity first, and take corrections and notes', async () => {
    const site = await accountWithWebsite(t);
    const first = await visitorConversation(t, site.websiteToken, { contact: { name: 'Dana' }, message: 'My parcel is late' });
    const contactId = first.contact.id;
    // An agent starts a second conversation with the same contact.
    const second = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: site.domainId, contact: { id: contactId }, message: 'Following up' },
      site.token,
    );
    expect(second.status).toBe(201);

    const shown = await t.get(`/nc-api/v1/contacts/${contactId}`, site.token);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: contactId, name: 'Dana', conversations_count: 2 });
    expect(shown.body.conversations.map((c: { id: number }) => c.id)).toEqual([second.body.id, first.id]);
    expect(shown.body.conversations[1].last_message.content).toBe('My parcel is late');

    const changed = await t.put(
      `/nc-api/v1/contacts/${contactId}`,
      { name: 'Dana Scully', email: 'Dana@Example.com', notes: 'Prefers e-mail' },
      site.token,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Dana Scully',
      email: 'dana@example.com',
      notes: 'Prefers e-mail',
      conversations: expect.any(Array),
    });
    // Conversations show the corrected contact.
    expect((await t.get(`/nc-api/v1/conversations/${first.id}`, site.token)).body.contact).toMatchObject({
      name: 'Dana Scully',
      email: 'dana@example.com',
    });
    expect((await t.put(`/nc-api/v1/contacts/${contactId}`, { notes: '  ' }, site.token)).body.notes).toBeNull();

    for (const body of [{ email: 'not an e-mail' }, { name: '' }, { notes: 'x'.repeat(10_001) }]) {
      const res = await t.put(`/nc-api/v1/contacts/${contactId}`, body, site.token);
      expect(res.status).toBe(422);
    }
    expect((await t.get(`/nc-api/v1/contacts/${contactId}`, site.token)).body).toMatchObject({ name: 'Dana Scully', notes: null });
  });

  it('keep accounts apart: another account neither lists, reads nor changes them', async () => {
    const a = await accountWithWebsite(t);
    const b = await accountWithWebsite(t);
    const conversation = await visitorConversation(t, a.websiteToken, { contact: { name: 'Eve Private' }, message: 'Hi' });
    const id = conversation.contact.id;
    expect((await t.get('/nc-api/v1/contacts?q=eve', b.token)).body.data).toEqual([]);
    expect((await t.get(`/nc-api/v1/contacts/${id}`, b.token)).status).toBe(404);
    expect((await t.put(`/nc-api/v1/contacts/${id}`, { name: 'Mallory' }, b.token)).status).toBe(404);
    expect((await t.get(`/nc-api/v1/contacts/${id}`, a.token)).body.name).toBe('Eve Private');
  });
});
