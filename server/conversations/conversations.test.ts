import { describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { eventsAfter } from '../events/record.js';
import { AppError } from '../errors.js';
import { addMessage, setStatus } from './service.js';
import { accountWithWebsite, apiKey, visitorConversation } from './test-fixtures.js';
import { serversPerTest } from '../../test/helpers/servers-per-test.js';

const server = serversPerTest();

async function humanAgent(t: TestServer, ownerToken: string, name: string) {
  const email = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const created = await t.post('/nc-api/v1/agents', { type: 'human', name, email, password: 'AgentPass123!' }, ownerToken);
  if (created.status !== 201) throw new Error(`agent: ${created.status} ${created.text}`);
  const login = await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass123!' });
  return { id: created.body.id as number, token: login.body.token as string };
}

const contents = (messages: { content: string }[]) => messages.map((m) => m.content);

describe('the agent conversation API', () => {
  it('lists newest activity first with filters, last message and unanswered counts', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const alice = await humanAgent(t, site.token, 'Alice');
    const first = await visitorConversation(t, site.websiteToken, { contact: { name: 'A', email: 'a@example.com' }, message: 'first' });
    const second = await visitorConversation(t, site.websiteToken, { contact: { name: 'B', email: 'b@example.com' }, message: 'second' });
    const third = await visitorConversation(t, site.websiteToken, { contact: { name: 'C', email: 'c@example.com' }, message: 'third' });

    // New activity on the first moves it to the top.
    await t.post(
      `/api/v1/widget/messages?website_token=${site.websiteToken}`,
      { conversation_id: first.id, content: 'anyone?' },
      undefined,
      {
        'X-Conversation-Token': first.conversation_token,
      },
    );
    const all = await t.get('/nc-api/v1/conversations', site.token);
    expect(all.status).toBe(200);
    expect(all.body.data.map((c: { id: number }) => c.id)).toEqual([first.id, third.id, second.id]);
    expect(all.body.meta).toEqual({ total: 3, page: 1, per_page: 25 });
    expect(all.body.data[0]).toMatchObject({
      contact: { name: 'A', email: 'a@example.com' },
      last_message: { content: 'anyone?', message_type: 'incoming' },
      unanswered_count: 2,
    });

    await t.post(`/nc-api/v1/conversations/${first.id}/messages`, { content: 'Hello A' }, site.token);
    await t.post(`/nc-api/v1/conversations/${second.id}/assign`, { agent_id: alice.id }, site.token);
    await t.post(`/nc-api/v1/conversations/${third.id}/status`, { status: 'resolved' }, site.token);

    const ids = async (query: string, token = site.token) =>
      (await t.get(`/nc-api/v1/conversations${query}`, token)).body.data.map((c: { id: number }) => c.id).sort();
    expect(await ids('?status=resolved')).toEqual([third.id]);
    expect(await ids('?status=open')).toEqual([first.id, second.id].sort());
    expect(await ids('?status=open,resolved')).toEqual([first.id, second.id, third.id].sort());
    expect(await ids('?status=pending,resolved')).toEqual([third.id]);
    expect(await ids(`?assignee=${alice.id}`)).toEqual([second.id]);
    expect(await ids('?assignee=me', alice.token)).toEqual([second.id]);
    expect(await ids('?assignee=me')).toEqual([]);
    expect(await ids('?assignee=none')).toEqual([first.id, third.id].sort());
    expect(await ids(`?domain_id=${site.domainId}`)).toEqual([first.id, second.id, third.id].sort());
    expect(await ids(`?domain_id=${site.domainId + 1000}`)).toEqual([]);
    const paged = await t.get('/nc-api/v1/conversations?per_page=2&page=2', site.token);
    expect(paged.body.data).toHaveLength(1);
    expect(paged.body.meta).toEqual({ total: 3, page: 2, per_page: 2 });
    const answered = (await t.get('/nc-api/v1/conversations', site.token)).body.data.find((c: { id: number }) => c.id === first.id);
    expect(answered.unanswered_count).toBe(0);
    expect((await t.get('/nc-api/v1/conversations?status=closed', site.token)).status).toBe(422);
    expect((await t.get('/nc-api/v1/conversations?status=open,', site.token)).status).toBe(422);
  });

  it('assigns, changes status, hands back to the bot and records an activity message and events for each change', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const alice = await humanAgent(t, site.token, 'Alice');
    const c = await visitorConversation(t, site.websiteToken);
    const before = (await eventsAfter(t.deps.db, { account_id: site.accountId }, 0)).at(-1)!.id;

    const assigned = await t.post(`/nc-api/v1/conversations/${c.id}/assign`, { agent_id: alice.id }, site.token);
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toEqual({ id: alice.id, name: 'Alice' });
    const pending = await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'pending' }, alice.token);
    expect(pending.body).toMatchObject({ status: 'pending', bot_active: false });
    const backToBot = await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'open', bot: true }, alice.token);
    expect(backToBot.body).toMatchObject({ status: 'open', bot_active: true });
    const resolved = await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'resolved' }, alice.token);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolved_at: expect.any(String) });
    // Same status again: nothing changes, nothing is recorded.
    await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'resolved' }, alice.token);
    const unassigned = await t.post(`/nc-api/v1/conversations/${c.id}/assign`, { agent_id: null }, site.token);
    expect(unassigned.body.assignee).toBeNull();

    const shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    const activity = shown.body.messages.filter((m: { message_type: string }) => m.message_type === 'activity');
    expect(contents(activity)).toEqual([
      expect.stringMatching(/^Assigned to Alice by /),
      'Conversation set to pending by Alice',
      'Conversation reopened by Alice',
      'Alice handed the conversation back to the bot',
      'Conversation resolved by Alice',
      expect.stringMatching(/^Conversation unassigned by /),
    ]);
    expect(activity[1].sender).toEqual({ type: 'agent', id: alice.id, name: 'Alice' });

    const events = await eventsAfter(t.deps.db, { account_id: site.accountId }, before);
    expect(events.filter((e) => e.type === 'conversation_updated')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'conversation_resolved')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'message_created')).toHaveLength(6);
    // Webhook payloads are built from these: the conversation with its contact.
    expect(events.find((e) => e.type === 'conversation_resolved')!.data.conversation).toMatchObject({
      id: c.id,
      account_id: site.accountId,
      status: 'resolved',
      contact: { name: 'John', email: 'john@example.com' },
    });

    // A visitor writing into a resolved conversation reopens it.
    await t.post(
      `/api/v1/widget/messages?website_token=${site.websiteToken}`,
      { conversation_id: c.id, content: 'one more thing' },
      undefined,
      {
        'X-Conversation-Token': c.conversation_token,
      },
    );
    expect((await t.get(`/nc-api/v1/conversations/${c.id}`, site.token)).body).toMatchObject({ status: 'open', resolved_at: null });
  });

  it('lets a human reply take over from the bot and stamps the first reply; private notes do neither', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'open', bot: true }, site.token);
    await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'noted', private: true }, site.token);
    let shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    expect(shown.body).toMatchObject({ bot_active: true, first_reply_at: null });
    const reply = await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'I can help.' }, site.token);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ message_type: 'outgoing', private: false, sender: { type: 'agent', name: expect.any(String) } });
    shown = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    expect(shown.body).toMatchObject({ bot_active: false, first_reply_at: reply.body.created_at });
  });

  it("starts a conversation as an agent and lists a contact's earlier conversations", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const earlier = await visitorConversation(t, site.websiteToken, {
      contact: { name: 'John', email: 'John@Example.com' },
      message: 'old issue',
    });
    const later = await visitorConversation(t, site.websiteToken, { contact: { email: 'john@example.com' }, message: 'new issue' });
    // Without the website's identifier_hash nobody vouches for a typed e-mail: each such conversation gets a contact of its own.
    expect(later.contact).toMatchObject({ email: 'john@example.com', verified: false });
    expect(later.contact.id).not.toBe(earlier.contact.id);

    const started = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: site.domainId, contact: { id: earlier.contact.id }, message: 'Following up on your order' },
      site.token,
    );
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'open', bot_active: false, contact: { id: earlier.contact.id, name: 'John' } });
    expect(started.body.assignee).not.toBeNull();
    expect(started.body.messages).toEqual([expect.objectContaining({ content: 'Following up on your order', message_type: 'outgoing' })]);
    expect(started.body.conversation_token).toMatch(/^ct_/);

    const history = await t.get(`/nc-api/v1/contacts/${earlier.contact.id}/conversations`, site.token);
    expect(history.body.data.map((c: { id: number }) => c.id)).toEqual([started.body.id, earlier.id]);
    expect(history.body.meta.total).toBe(2);
    const sameEmail = await t.get(`/nc-api/v1/contacts/${earlier.contact.id}/conversations?same_email=true`, site.token);
    expect(sameEmail.body.data.map((c: { id: number }) => c.id)).toEqual([started.body.id, later.id, earlier.id]);
    expect(sameEmail.body.meta.total).toBe(3);

    // An agent who types an e-mail vouches for it: the conversation joins that e-mail's verified contact (made on first use).
    const byEmail = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: site.domainId, contact: { name: 'John', email: 'JOHN@example.com' } },
      site.token,
    );
    expect(byEmail.body.contact).toMatchObject({ name: 'John', email: 'john@example.com', verified: true });
    const again = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: site.domainId, contact: { email: 'john@example.com' } },
      site.token,
    );
    expect(again.body.contact).toEqual(byEmail.body.contact);

    expect((await t.post('/nc-api/v1/conversations', { domain_id: site.domainId, contact: { id: 999999 } }, site.token)).status).toBe(404);
    expect((await t.post('/nc-api/v1/conversations', { domain_id: 999999, contact: { email: 'x@example.com' } }, site.token)).status).toBe(
      404,
    );
  });

  it('shows the newest 200 messages of a long conversation and pages back through the older ones', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const conversation = await visitorConversation(t, site.websiteToken, { contact: { name: 'Ann' }, message: 'message 0' });
    for (let i = 1; i < 210; i += 10) {
      const batch = Array.from({ length: 10 }, (_, j) => i + j).filter((n) => n < 210);
      await Promise.all(
        batch.map((n) => t.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: `message ${n}` }, site.token)),
      );
    }
    const everyId: number[] = [];
    for (let page = 1; page <= 3; page += 1)
      everyId.push(
        ...(await t.get(`/nc-api/v1/conversations/${conversation.id}/messages?per_page=100&page=${page}`, site.token)).body.data.map(
          (m: { id: number }) => m.id,
        ),
      );
    expect(everyId.length).toBeGreaterThanOrEqual(210);
    const shown = await t.get(`/nc-api/v1/conversations/${conversation.id}`, site.token);
    expect(shown.body.messages.map((m: { id: number }) => m.id)).toEqual(everyId.slice(-200));
    expect(shown.body.has_earlier_messages).toBe(true);

    const firstShown = shown.body.messages[0].id as number;
    const back = await t.get(`/nc-api/v1/conversations/${conversation.id}/messages?before=${firstShown}&per_page=4`, site.token);
    expect(back.body.data.map((m: { id: number }) => m.id)).toEqual(
      [...back.body.data.map((m: { id: number }) => m.id)].sort((a, b) => a - b),
    );
    expect(back.body.data.at(-1).id).toBeLessThan(firstShown);
    const secondPage = await t.get(
      `/nc-api/v1/conversations/${conversation.id}/messages?before=${firstShown}&per_page=4&page=2`,
      site.token,
    );
    expect(secondPage.body.data.at(-1).id).toBeLessThan(back.body.data[0].id);
    const all = await t.get(`/nc-api/v1/conversations/${conversation.id}/messages?before=${firstShown}&per_page=100`, site.token);
    expect(all.body.meta.total).toBe(all.body.data.length);
    expect(all.body.data[0].content).toBe('message 0');
    expect([...all.body.data, ...shown.body.messages].map((m: { id: number }) => m.id)).toEqual(everyId);

    const short = await visitorConversation(t, site.websiteToken);
    expect((await t.get(`/nc-api/v1/conversations/${short.id}`, site.token)).body.has_earlier_messages).toBe(false);
  });

  it('keeps accounts apart: another account gets 404 for every conversation route and cannot assign across accounts', async () => {
    const t = await server();
    const a = await accountWithWebsite(t);
    const b = await accountWithWebsite(t, 'https://b.example');
    const bAgent = await humanAgent(t, b.token, 'Bob');
    const c = await visitorConversation(t, a.websiteToken);
    const calls = [
      t.get(`/nc-api/v1/conversations/${c.id}`, b.token),
      t.get(`/nc-api/v1/conversations/${c.id}/messages`, b.token),
      t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'hi' }, b.token),
      t.post(`/nc-api/v1/conversations/${c.id}/assign`, { agent_id: bAgent.id }, b.token),
      t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'resolved' }, b.token),
      t.get(`/nc-api/v1/contacts/${c.contact.id}/conversations`, b.token),
      t.post('/nc-api/v1/conversations', { domain_id: a.domainId, contact: { email: 'x@example.com' } }, b.token),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(404);
    expect((await t.get('/nc-api/v1/conversations', b.token)).body.data).toEqual([]);

    // Assigning A's conversation to B's agent: 404, and nothing recorded.
    const before = await eventsAfter(t.deps.db, { account_id: a.accountId }, 0);
    const crossAssign = await t.post(`/nc-api/v1/conversations/${c.id}/assign`, { agent_id: bAgent.id }, a.token);
    expect(crossAssign.status).toBe(404);
    expect(await eventsAfter(t.deps.db, { account_id: a.accountId }, 0)).toHaveLength(before.length);
    const aiAgent = await t.post('/nc-api/v1/agents', { bot_name: 'Bot' }, a.token);
    expect((await t.post(`/nc-api/v1/conversations/${c.id}/assign`, { agent_id: aiAgent.body.id }, a.token)).status).toBe(422);
  });

  it('lets API keys read and write by permission, and rejects over-long messages', async () => {
    const t = await server({ messageMaxLength: 20 });
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken, { message: 'short' });
    const readKey = await apiKey(t, site.token, ['read']);
    const writeKey = await apiKey(t, site.token, ['read', 'write']);
    expect((await t.get(`/nc-api/v1/conversations/${c.id}`, readKey)).status).toBe(200);
    expect((await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'hi' }, readKey)).status).toBe(403);
    const viaKey = await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'hi' }, writeKey);
    expect(viaKey.body.sender).toEqual({ type: 'agent', id: null, name: 'API integration' });
    const long = await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'x'.repeat(21) }, site.token);
    expect(long.status).toBe(422);
    expect((await t.get('/nc-api/v1/conversations?assignee=me', readKey)).status).toBe(422);
  });

  it('writes messages that arrive together in one batch, each caller getting its own result in order', async () => {
    const t = await server();
    const a = await accountWithWebsite(t);
    const b = await accountWithWebsite(t, 'https://b.example');
    const ca = await visitorConversation(t, a.websiteToken);
    const cb = await visitorConversation(t, b.websiteToken);
    const before = (await eventsAfter(t.deps.db, { account_id: a.accountId }, 0)).length;
    const contact = { type: 'contact' as const, id: null, name: 'John' };
    const agent = { type: 'agent' as const, id: null, name: 'Ann' };

    // Issued in one turn of the event loop: they share transactions, but each keeps its own outcome.
    const calls = [
      ...Array.from({ length: 40 }, (_, i) =>
        addMessage(t.deps, a.accountId, ca.id, { content: `a${i}`, message_type: 'incoming', sender: contact }),
      ),
      addMessage(t.deps, a.accountId, cb.id, { content: 'wrong account', message_type: 'incoming', sender: contact }),
      addMessage(t.deps, b.accountId, cb.id, { content: 'b0', message_type: 'incoming', sender: contact }),
      addMessage(t.deps, a.accountId, ca.id, { content: 'reply', message_type: 'outgoing', sender: agent }),
    ];
    const results = await Promise.allSettled(calls);
    const wrong = results[40]!;
    expect(wrong.status).toBe('rejected');
    expect((wrong as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect(((wrong as PromiseRejectedResult).reason as AppError).status).toBe(404);
    const stored = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<{ id: number; content: string; created_at: string }>).value);
    // One transaction: one timestamp for all of them.
    expect(new Set(stored.map((m) => m.created_at)).size).toBe(1);
    expect(stored.map((m) => m.content)).toEqual([...Array.from({ length: 40 }, (_, i) => `a${i}`), 'b0', 'reply']);
    const idsOfA = stored.filter((m) => m.content !== 'b0').map((m) => m.id);
    expect([...idsOfA].sort((x, y) => x - y)).toEqual(idsOfA);

    const listed = await t.get(`/nc-api/v1/conversations/${ca.id}/messages?per_page=100`, a.token);
    expect(listed.body.data.map((m: { content: string }) => m.content)).toEqual([
      'I need help with my order',
      ...Array.from({ length: 40 }, (_, i) => `a${i}`),
      'reply',
    ]);
    const shown = await t.get(`/nc-api/v1/conversations/${ca.id}`, a.token);
    expect(shown.body.first_reply_at).toEqual(expect.any(String));
    expect((await t.get(`/nc-api/v1/conversations/${cb.id}/messages`, b.token)).body.meta.total).toBe(2);

    const events = (await eventsAfter(t.deps.db, { account_id: a.accountId }, 0)).slice(before);
    expect(events.filter((e) => e.type === 'message_created').map((e) => (e.data.message as { content: string }).content)).toEqual([
      ...Array.from({ length: 40 }, (_, i) => `a${i}`),
      'reply',
    ]);
  });

  it("a bot's hand-off that lands after a person resolved the conversation leaves it resolved", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    expect((await t.post(`/nc-api/v1/conversations/${c.id}/status`, { status: 'resolved' }, site.token)).status).toBe(200);
    const bot = { type: 'bot' as const, id: null, name: 'Shop bot' };
    expect(await setStatus(t.server.deps, site.accountId, c.id, 'pending', bot)).toMatchObject({ status: 'resolved' });
    expect((await t.get(`/nc-api/v1/conversations/${c.id}`, site.token)).body.status).toBe('resolved');
    // A person may still move it: the rule is the bot's only.
    const agent = { type: 'agent' as const, id: null, name: 'API integration' };
    expect(await setStatus(t.server.deps, site.accountId, c.id, 'pending', agent)).toMatchObject({ status: 'pending' });
  });
});
