import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { RealtimeClient } from '../realtime/test-client.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.close());

const ids = (body: { data: { id: number }[] }) => body.data.map((c) => c.id);

describe('labels', () => {
  it('are created with a colour, kept unique per account, renamed and deleted', async () => {
    const site = await accountWithWebsite(t);
    const billing = await t.post('/nc-api/v1/labels', { title: 'Billing', color: '#FA5252' }, site.token);
    expect(billing.status).toBe(201);
    expect(billing.body).toMatchObject({ title: 'billing', color: '#fa5252', conversations_count: 0 });
    const vip = await t.post('/nc-api/v1/labels', { title: 'vip' }, site.token);
    expect(vip.body.color).toMatch(/^#[0-9a-f]{6}$/);

    const again = await t.post('/nc-api/v1/labels', { title: 'BILLING' }, site.token);
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'label_taken' });
    for (const body of [{ title: 'two words' }, { title: 'ok', color: 'red' }]) {
      expect((await t.post('/nc-api/v1/labels', body, site.token)).status).toBe(422);
    }
    expect((await t.get('/nc-api/v1/labels', site.token)).body.data.map((l: { title: string }) => l.title)).toEqual(['billing', 'vip']);
    expect((await t.put(`/nc-api/v1/labels/${vip.body.id}`, { title: 'billing' }, site.token)).status).toBe(409);
  });

  it("set a conversation's labels, filter the list, follow renames and deletions, and say who changed them", async () => {
    const site = await accountWithWebsite(t);
    for (const title of ['billing', 'vip', 'urgent']) await t.post('/nc-api/v1/labels', { title }, site.token);
    const first = await visitorConversation(t, site.websiteToken, { contact: { name: 'Ann' }, message: 'My invoice is wrong' });
    const second = await visitorConversation(t, site.websiteToken, { contact: { name: 'Bob' }, message: 'Hello' });

    const set = await t.post(`/nc-api/v1/conversations/${first.id}/labels`, { labels: ['VIP', 'billing'] }, site.token);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: first.id, labels: ['billing', 'vip'] });
    await t.post(`/nc-api/v1/conversations/${second.id}/labels`, { labels: ['billing'] }, site.token);

    expect(ids((await t.get('/nc-api/v1/conversations?label=billing', site.token)).body).sort()).toEqual([first.id, second.id].sort());
    expect(ids((await t.get('/nc-api/v1/conversations?label=VIP', site.token)).body)).toEqual([first.id]);
    expect(ids((await t.get('/nc-api/v1/conversations?label=nothing', site.token)).body)).toEqual([]);
    const list = await t.get('/nc-api/v1/conversations', site.token);
    expect(list.body.data.find((c: { id: number }) => c.id === first.id).labels).toEqual(['billing', 'vip']);

    // Replacing the list adds and removes; each change is an activity line naming who did it.
    await t.post(`/nc-api/v1/conversations/${first.id}/labels`, { labels: ['billing', 'urgent'] }, site.token);
    const shown = await t.get(`/nc-api/v1/conversations/${first.id}`, site.token);
    expect(shown.body.labels).toEqual(['billing', 'urgent']);
    const activity = shown.body.messages
      .filter((m: { message_type: string }) => m.message_type === 'activity')
      .map((m: { content: string }) => m.content);
    expect(activity.some((line: string) => /added billing, vip$/.test(line))).toBe(true);
    expect(activity.some((line: string) => /added urgent$/.test(line))).toBe(true);
    expect(activity.some((line: string) => /removed vip$/.test(line))).toBe(true);

    // Unknown titles: a 422 naming each, and nothing changes.
    const unknown = await t.post(`/nc-api/v1/conversations/${first.id}/labels`, { labels: ['billing', 'nope', 'gone'] }, site.token);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.map((d: { field: string }) => d.field)).toEqual(['labels.1', 'labels.2']);
    expect((await t.get(`/nc-api/v1/conversations/${first.id}`, site.token)).body.labels).toEqual(['billing', 'urgent']);

    const labels = (await t.get('/nc-api/v1/labels', site.token)).body.data;
    const billing = labels.find((l: { title: string }) => l.title === 'billing');
    expect(billing.conversations_count).toBe(2);
    await t.put(`/nc-api/v1/labels/${billing.id}`, { title: 'invoices' }, site.token);
    expect((await t.get(`/nc-api/v1/conversations/${first.id}`, site.token)).body.labels).toEqual(['invoices', 'urgent']);
    expect(ids((await t.get('/nc-api/v1/conversations?label=invoices', site.token)).body).sort()).toEqual([first.id, second.id].sort());
    expect((await t.del(`/nc-api/v1/labels/${billing.id}`, site.token)).status).toBe(204);
    expect((await t.get(`/nc-api/v1/conversations/${first.id}`, site.token)).body.labels).toEqual(['urgent']);
    expect((await t.get(`/nc-api/v1/conversations/${second.id}`, site.token)).body.labels).toEqual([]);

    // Clearing the list.
    expect((await t.post(`/nc-api/v1/conversations/${first.id}/labels`, { labels: [] }, site.token)).body.labels).toEqual([]);
  });

  it('reach the console live but never the widget, neither by its API nor by its socket', async () => {
    const site = await accountWithWebsite(t);
    await t.post('/nc-api/v1/labels', { title: 'angry' }, site.token);
    const conversation = await visitorConversation(t, site.websiteToken);
    const widget = await RealtimeClient.connect(t.url, {
      website_token: site.websiteToken,
      conversation_token: conversation.conversation_token,
    });
    const console = await RealtimeClient.connect(t.url, { access_token: site.token });
    try {
      await t.post(`/nc-api/v1/conversations/${conversation.id}/labels`, { labels: ['angry'] }, site.token);
      const seen = await console.waitFor((e) => e.type === 'conversation_updated');
      expect((seen.data as { conversation: { labels: string[] } }).conversation.labels).toEqual(['angry']);
      const widgetSaw = await widget.waitFor((e) => e.type === 'conversation_updated');
      expect(JSON.stringify(widgetSaw)).not.toContain('angry');
      expect((widgetSaw.data as { conversation: object }).conversation).not.toHaveProperty('labels');
      // The activity line ("… added angry") is the team's only.
      await console.waitFor((e) => e.type === 'message_created' && JSON.stringify(e).includes('added angry'));
      expect(widget.events.some((e) => JSON.stringify(e).includes('angry'))).toBe(false);
    } finally {
      widget.close();
      console.close();
    }
    const fromWidget = await t.get(`/api/v1/widget/conversations/${conversation.id}?website_token=${site.websiteToken}`, undefined, {
      'X-Conversation-Token': conversation.conversation_token,
    });
    expect(fromWidget.status).toBe(200);
    expect(fromWidget.body).not.toHaveProperty('labels');
  });
});
