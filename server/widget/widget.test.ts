import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, apiKey, visitorConversation } from '../conversations/test-fixtures.js';
import { serversPerTest } from '../../test/helpers/servers-per-test.js';

const server = serversPerTest();

const json = { 'Content-Type': 'application/json' };

describe("the quick-start's widget calls, as the page writes them", () => {
  it('creates a conversation, posts a message, and reads the messages back once the conversation is identified', async () => {
    const t = await server();
    const { websiteToken, token } = await accountWithWebsite(t);

    const created = await t.request('POST', `/api/v1/widget/conversations?website_token=${websiteToken}`, undefined, {
      headers: json,
      rawBody: '{"contact":{"name":"John","email":"john@example.com"},"message":"I need help with my order"}',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), status: 'open', contact: { name: 'John', email: 'john@example.com' } });
    expect(created.body.conversation_token).toMatch(/^ct_[A-Za-z0-9_-]{40,}$/);
    expect(created.body.messages).toEqual([
      expect.objectContaining({ content: 'I need help with my order', message_type: 'incoming', private: false }),
    ]);
    const id = created.body.id as number;

    const posted = await t.request('POST', `/api/v1/widget/messages?website_token=${websiteToken}`, undefined, {
      headers: { ...json, 'X-Conversation-Token': created.body.conversation_token },
      rawBody: `{"conversation_id":${id},"content":"My order #12345"}`,
    });
    expect(posted.status).toBe(201);
    expect(Object.keys(posted.body).sort()).toEqual(
      [
        'attachments',
        'content',
        'content_attributes',
        'content_type',
        'conversation_id',
        'created_at',
        'id',
        'message_type',
        'private',
        'sender',
      ].sort(),
    );
    expect(posted.body).toMatchObject({
      conversation_id: id,
      content: 'My order #12345',
      message_type: 'incoming',
      content_type: 'text',
      content_attributes: {},
      private: false,
      sender: { type: 'contact', id: created.body.contact.id, name: 'John' },
    });

    // The page's GET carries no conversation token: the public website token alone must not read a conversation.
    const anonymous = await t.get(`/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');

    const withToken = await t.get(
      `/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}&conversation_token=${created.body.conversation_token}`,
    );
    expect(withToken.status).toBe(200);
    expect(withToken.body.data.map((m: { content: string }) => m.content)).toEqual(['I need help with my order', 'My order #12345']);
    expect(withToken.body.meta).toEqual({ total: 2, page: 1, per_page: 100 });

    const key = await apiKey(t, token, ['read']);
    const withKey = await t.get(`/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}`, key);
    expect(withKey.status).toBe(200);
    expect(withKey.body.data).toHaveLength(2);

    const after = await t.get(
      `/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}&after=${posted.body.id - 1}`,
      undefined,
      { 'X-Conversation-Token': created.body.conversation_token },
    );
    expect(after.body.data.map((m: { id: number }) => m.id)).toEqual([posted.body.id]);
    const before = await t.get(
      `/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}&before=${posted.body.id}`,
      undefined,
      { 'X-Conversation-Token': created.body.conversation_token },
    );
    expect(before.body.data.map((m: { content: string }) => m.content)).toEqual(['I need help with my order']);
  });
});

describe('conversation tokens', () => {
  it('guard every widget route on an existing conversation', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const a = await visitorConversation(t, site.websiteToken);
    const b = await visitorConversation(t, site.websiteToken, { contact: { email: 'eve@example.com' }, message: 'hi' });
    const q = `website_token=${site.websiteToken}`;
    const calls = (conversationId: number, headers: Record<string, string>) => [
      t.post(`/api/v1/widget/messages?${q}`, { conversation_id: conversationId, content: 'x' }, undefined, headers),
      t.get(`/api/v1/widget/messages?${q}&conversation_id=${conversationId}`, undefined, headers),
      t.post(`/api/v1/widget/typing?${q}`, { conversation_id: conversationId, typing: true }, undefined, headers),
      t.get(`/api/v1/widget/conversations/${conversationId}?${q}`, undefined, headers),
    ];

    for (const res of await Promise.all(calls(a.id, {}))) expect(res.status).toBe(401);
    // b's token does not open a.
    for (const res of await Promise.all(calls(a.id, { 'X-Conversation-Token': b.conversation_token }))) expect(res.status).toBe(401);
    for (const res of await Promise.all(calls(a.id, { 'X-Conversation-Token': 'ct_forged' }))) expect(res.status).toBe(401);
    const ok = await Promise.all(calls(a.id, { 'X-Conversation-Token': a.conversation_token }));
    expect(ok.map((r) => r.status)).toEqual([201, 200, 204, 200]);

    // A read-only key may read but not write; a key of another account opens nothing.
    const readKey = await apiKey(t, site.token, ['read']);
    const viaReadKey = await Promise.all(calls(a.id, { Authorization: `Bearer ${readKey}` }));
    expect(viaReadKey.map((r) => r.status)).toEqual([403, 200, 403, 200]);
    const writeKey = await apiKey(t, site.token, ['read', 'write']);
    expect((await Promise.all(calls(a.id, { Authorization: `Bearer ${writeKey}` }))).map((r) => r.status)).toEqual([201, 200, 204, 200]);
    const other = await accountWithWebsite(t, 'https://other.example');
    const foreignKey = await apiKey(t, other.token, ['read', 'write']);
    for (const res of await Promise.all(calls(a.id, { Authorization: `Bearer ${foreignKey}` }))) expect(res.status).toBe(401);
  });

  it('stop opening anything the moment their website is unbound, though the website and the conversation were cached', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const a = await visitorConversation(t, site.websiteToken);
    const q = `website_token=${site.websiteToken}`;
    const headers = { 'X-Conversation-Token': a.conversation_token };
    const calls = () => [
      t.post(`/api/v1/widget/messages?${q}`, { conversation_id: a.id, content: 'x' }, undefined, headers),
      t.get(`/api/v1/widget/messages?${q}&conversation_id=${a.id}`, undefined, headers),
      t.post(`/api/v1/widget/typing?${q}`, { conversation_id: a.id, typing: true }, undefined, headers),
      t.get(`/api/v1/widget/conversations/${a.id}?${q}`, undefined, headers),
    ];
    expect((await Promise.all(calls())).map((r) => r.status)).toEqual([201, 200, 204, 200]);

    expect((await t.del(`/nc-api/v1/account/domains/${site.domainId}`, site.token)).status).toBe(204);
    for (const res of await Promise.all(calls())) {
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('The website token is not valid.');
    }
  });

  it("answer 404 for a conversation of another website, even with that conversation's own token", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const other = await accountWithWebsite(t, 'https://other.example');
    const foreign = await visitorConversation(t, other.websiteToken);
    const res = await t.get(`/api/v1/widget/messages?website_token=${site.websiteToken}&conversation_id=${foreign.id}`, undefined, {
      'X-Conversation-Token': foreign.conversation_token,
    });
    expect(res.status).toBe(404);
    const noToken = await t.post(`/api/v1/widget/conversations`, { message: 'hi' });
    expect(noToken.status).toBe(401);
    const badToken = await t.post(`/api/v1/widget/conversations?website_token=wk_live_nope`, { message: 'hi' });
    expect(badToken.status).toBe(401);
    // A widget form left empty: no contact details, not a validation error.
    const anonymous = await t.post(`/api/v1/widget/conversations?website_token=${site.websiteToken}`, {
      contact: { name: '', email: null },
      message: 'hi',
    });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body.contact).toMatchObject({ name: null, email: null });
    expect(anonymous.body.messages[0].sender.name).toBe('Visitor');
  });
});

describe('private notes', () => {
  it('never reach the widget message list', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const c = await visitorConversation(t, site.websiteToken);
    const note = await t.post(
      `/nc-api/v1/conversations/${c.id}/messages`,
      { content: 'VIP customer, refund ok', private: true },
      site.token,
    );
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ private: true, message_type: 'outgoing', sender: { type: 'agent' } });
    await t.post(`/nc-api/v1/conversations/${c.id}/messages`, { content: 'Happy to help!' }, site.token);

    const res = await t.get(`/api/v1/widget/messages?website_token=${site.websiteToken}&conversation_id=${c.id}`, undefined, {
      'X-Conversation-Token': c.conversation_token,
    });
    expect(res.body.data.map((m: { content: string }) => m.content)).toEqual(['I need help with my order', 'Happy to help!']);
    expect(res.body.meta.total).toBe(2);

    const console = await t.get(`/nc-api/v1/conversations/${c.id}`, site.token);
    expect(console.body.messages.map((m: { content: string }) => m.content)).toContain('VIP customer, refund ok');
  });
});

describe('CORS', () => {
  it("answers only the bound website's origin on the widget routes, and nobody on the management API", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const path = `/api/v1/widget/conversations?website_token=${site.websiteToken}`;

    const preflight = await t.request('OPTIONS', path, undefined, {
      headers: {
        Origin: 'https://mycompany.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://mycompany.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Conversation-Token');

    const evil = await t.request('OPTIONS', path, undefined, {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const allowed = await t.post(path, { message: 'hello' }, undefined, { Origin: 'https://mycompany.com' });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://mycompany.com');
    const denied = await t.post(path, { message: 'hello' }, undefined, { Origin: 'https://evil.example' });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    // Errors carry the header too, so the widget can read a 401/429 body.
    const unauthorized = await t.get(
      `/api/v1/widget/messages?website_token=${site.websiteToken}&conversation_id=${allowed.body.id}`,
      undefined,
      {
        Origin: 'https://mycompany.com',
      },
    );
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe('https://mycompany.com');

    const management = await t.get('/nc-api/v1/conversations', site.token, { Origin: 'https://mycompany.com' });
    expect(management.status).toBe(200);
    expect(management.headers.get('access-control-allow-origin')).toBeNull();
    const managementPreflight = await t.request('OPTIONS', '/nc-api/v1/conversations', undefined, {
      headers: { Origin: 'https://mycompany.com', 'Access-Control-Request-Method': 'GET' },
    });
    expect(managementPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('writes from a browser', () => {
  it("are refused from any origin but the bound website's, whatever the content type", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const existing = await visitorConversation(t, site.websiteToken);
    const q = `website_token=${site.websiteToken}`;
    const send = (path: string, body: unknown, headers: Record<string, string>) =>
      t.request('POST', `${path}?${q}`, undefined, { headers, rawBody: JSON.stringify(body) });
    const writes = (headers: Record<string, string>) => [
      send('/api/v1/widget/conversations', { contact: { email: 'victim@example.com' }, message: 'spam' }, headers),
      send(
        '/api/v1/widget/messages',
        { conversation_id: existing.id, content: 'spam' },
        { ...headers, 'X-Conversation-Token': existing.conversation_token },
      ),
      send(
        '/api/v1/widget/typing',
        { conversation_id: existing.id, typing: true },
        { ...headers, 'X-Conversation-Token': existing.conversation_token },
      ),
    ];

    // What a hostile page can send without a preflight (a "simple" request), and what it can send after one.
    for (const headers of [
      { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
      { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      { Origin: 'https://mycompany.com.evil.example', 'Content-Type': 'application/json' },
      { Origin: 'null', 'Content-Type': 'application/json' },
    ])
      for (const res of await Promise.all(writes(headers))) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('origin_not_allowed');
      }
    const list = await t.get('/nc-api/v1/conversations', site.token);
    expect(list.body.meta.total).toBe(1);
    const messages = await t.get(`/nc-api/v1/conversations/${existing.id}`, site.token);
    expect(messages.body.messages.map((m: { content: string }) => m.content)).toEqual(['I need help with my order']);

    // Reads stay open (CORS alone keeps a foreign page from reading the answer).
    const config = await t.get(`/api/v1/widget/config?${q}`, undefined, { Origin: 'http://evil.example' });
    expect(config.status).toBe(200);
  });

  it('must be JSON: other content types are a 415 from the bound website and from server-side callers alike', async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const q = `website_token=${site.websiteToken}`;
    const body = JSON.stringify({ contact: { name: 'Ann' }, message: 'hello' });
    for (const origin of [{ Origin: 'https://mycompany.com' }, {}] as Record<string, string>[])
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
        const res = await t.request('POST', `/api/v1/widget/conversations?${q}`, undefined, {
          headers: { ...origin, 'Content-Type': type },
          rawBody: body,
        });
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
    expect((await t.get('/nc-api/v1/conversations', site.token)).body.meta.total).toBe(0);

    // The bound website's own widget, and a server-side integration as the quick-start writes it.
    for (const headers of [
      { Origin: 'https://mycompany.com', 'Content-Type': 'application/json' },
      { 'Content-Type': 'application/json; charset=utf-8' },
    ] as Record<string, string>[]) {
      const res = await t.request('POST', `/api/v1/widget/conversations?${q}`, undefined, { headers, rawBody: body });
      expect(res.status).toBe(201);
    }
  });
});

describe('identity validation', () => {
  const hmac = (secret: string, email: string) => createHmac('sha256', secret).update(email).digest('hex');
  async function identitySecret(t: TestServer, site: Awaited<ReturnType<typeof accountWithWebsite>>) {
    const res = await t.get(`/nc-api/v1/account/domains/${site.domainId}/identity-validation`, site.token);
    expect(res.status).toBe(200);
    return res.body.identity_secret as string;
  }
  const start = (t: TestServer, websiteToken: string, contact: Record<string, unknown>, message = 'hello') =>
    t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, { contact, message });

  it("never shows a visitor without a valid identifier_hash what is stored about an existing contact, nor files them into that contact's history", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const secret = await identitySecret(t, site);
    const ann = await start(
      t,
      site.websiteToken,
      { name: 'Ann Smith', email: 'ann@example.com', identifier_hash: hmac(secret, 'ann@example.com') },
      'my invoice',
    );
    expect(ann.status).toBe(201);
    expect(ann.body.contact).toMatchObject({ name: 'Ann Smith', email: 'ann@example.com', verified: true });

    // Someone else types Ann's e-mail: they see only what they typed, under a contact of their own.
    const poser = await start(t, site.websiteToken, { email: 'ann@example.com' }, 'what did I order?');
    expect(poser.status).toBe(201);
    expect(poser.body.contact).toMatchObject({ name: null, email: 'ann@example.com', verified: false });
    expect(poser.body.contact.id).not.toBe(ann.body.contact.id);
    const headers = { 'X-Conversation-Token': poser.body.conversation_token };
    const q = `website_token=${site.websiteToken}`;
    const seen = [
      poser,
      await t.get(`/api/v1/widget/conversations/${poser.body.id}?${q}`, undefined, headers),
      await t.get(`/api/v1/widget/messages?${q}&conversation_id=${poser.body.id}`, undefined, headers),
      await t.post(`/api/v1/widget/messages?${q}`, { conversation_id: poser.body.id, content: 'hello?' }, undefined, headers),
    ];
    for (const res of seen) {
      expect(res.status).toBeLessThan(300);
      expect(res.text).not.toContain('Ann Smith');
      expect(res.text).not.toContain('my invoice');
    }
    expect(seen[1]!.body.contact.id).toBe(poser.body.contact.id);
    expect(seen[2]!.body.data.map((m: { sender: { id: number; name: string } }) => [m.sender.id, m.sender.name])).toEqual([
      [poser.body.contact.id, 'ann@example.com'],
    ]);
    expect(seen[3]!.body.sender).toEqual({ type: 'contact', id: poser.body.contact.id, name: 'ann@example.com' });
    // A name the poser types is theirs alone; Ann's stored name is untouched.
    const named = await start(t, site.websiteToken, { name: 'Mallory', email: 'ann@example.com' });
    expect(named.body.contact).toMatchObject({ name: 'Mallory', verified: false });

    // The agent sees the poser's conversation marked unverified; Ann's history holds only her own.
    const agentView = await t.get(`/nc-api/v1/conversations/${poser.body.id}`, site.token);
    expect(agentView.body.contact).toMatchObject({ email: 'ann@example.com', verified: false });
    const history = await t.get(`/nc-api/v1/contacts/${ann.body.contact.id}/conversations`, site.token);
    expect(history.body.data.map((c: { id: number }) => c.id)).toEqual([ann.body.id]);
    expect(history.body.data[0].contact).toMatchObject({ name: 'Ann Smith', verified: true });
    // Asked for, the conversations of everyone who gave the same e-mail are listed, each with its contact marked.
    const sameEmail = await t.get(`/nc-api/v1/contacts/${ann.body.contact.id}/conversations?same_email=true`, site.token);
    expect(sameEmail.body.data.map((c: { id: number; contact: { verified: boolean } }) => [c.id, c.contact.verified])).toEqual([
      [named.body.id, false],
      [poser.body.id, false],
      [ann.body.id, true],
    ]);
  });

  it("joins a valid identifier_hash's conversation to the verified contact of that e-mail, and refuses a wrong one", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const secret = await identitySecret(t, site);
    const first = await start(t, site.websiteToken, { email: 'bob@example.com', identifier_hash: hmac(secret, 'bob@example.com') });
    // Upper-case hex is the same hash; the site's name for the contact replaces the stored one.
    const second = await start(t, site.websiteToken, {
      name: 'Bob Jones',
      email: 'bob@example.com',
      identifier_hash: hmac(secret, 'bob@example.com').toUpperCase(),
    });
    expect(second.status).toBe(201);
    expect(second.body.contact).toEqual({ id: first.body.contact.id, name: 'Bob Jones', email: 'bob@example.com', verified: true });
    const history = await t.get(`/nc-api/v1/contacts/${first.body.contact.id}/conversations`, site.token);
    expect(history.body.data.map((c: { id: number }) => c.id)).toEqual([second.body.id, first.body.id]);

    const wrong = await start(t, site.websiteToken, { email: 'bob@example.com', identifier_hash: hmac(secret, 'eve@example.com') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_identifier_hash');
    const otherSecret = await start(t, site.websiteToken, { email: 'bob@example.com', identifier_hash: hmac('guess', 'bob@example.com') });
    expect(otherSecret.status).toBe(401);
    const noEmail = await start(t, site.websiteToken, { name: 'Bob', identifier_hash: hmac(secret, '') });
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.error.details).toEqual([expect.objectContaining({ field: 'contact.identifier_hash' })]);
    const malformed = await start(t, site.websiteToken, { email: 'bob@example.com', identifier_hash: 'abc' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.details).toEqual([expect.objectContaining({ field: 'contact.identifier_hash' })]);
    expect((await t.get('/nc-api/v1/conversations', site.token)).body.meta.total).toBe(2);

    // After a rotation only the new secret's hashes are valid.
    const rotated = await t.post(`/nc-api/v1/account/domains/${site.domainId}/identity-validation/rotate`, {}, site.token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.identity_secret).not.toBe(secret);
    expect((await start(t, site.websiteToken, { email: 'bob@example.com', identifier_hash: hmac(secret, 'bob@example.com') })).status).toBe(
      401,
    );
    const fresh = await start(t, site.websiteToken, {
      email: 'bob@example.com',
      identifier_hash: hmac(rotated.body.identity_secret, 'bob@example.com'),
    });
    expect(fresh.body.contact).toMatchObject({ id: first.body.contact.id, verified: true });
  });
});

describe('abuse limits', () => {
  it('rate-limits new conversations per IP and messages per conversation with 429 + Retry-After, and caps message length', async () => {
    const t = await server({ widgetConversationsPerIp: 2, widgetMessagesPerMinute: 3, messageMaxLength: 50 });
    const site = await accountWithWebsite(t);
    const first = await visitorConversation(t, site.websiteToken, { message: 'one' });
    await visitorConversation(t, site.websiteToken, { message: 'two' });
    const third = await t.post(`/api/v1/widget/conversations?website_token=${site.websiteToken}`, { message: 'three' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);

    const post = (content: string) =>
      t.post(`/api/v1/widget/messages?website_token=${site.websiteToken}`, { conversation_id: first.id, content }, undefined, {
        'X-Conversation-Token': first.conversation_token,
      });
    const tooLong = await post('x'.repeat(51));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details).toEqual([{ field: 'content', message: 'must be at most 50 characters' }]);
    expect((await Promise.all([post('a'), post('b'), post('c')])).map((r) => r.status)).toEqual([201, 201, 201]);
    const limited = await post('d');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});

describe('widget config', () => {
  it("gives the website's widget settings and its active AI agent's greeting, with the website token alone", async () => {
    const t = await server();
    const site = await accountWithWebsite(t);
    const bare = await t.get(`/api/v1/widget/config?website_token=${site.websiteToken}`);
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({
      website_url: 'https://mycompany.com',
      // Nothing set by the owner: nothing sent, so the widget speaks the visitor's browser language.
      widget_settings: {},
      ai_agent: null,
    });
    const agent = await t.post('/nc-api/v1/agents', { bot_name: 'SupportBot', greeting_message: 'Hi! How can I help?' }, site.token);
    await t.post(`/nc-api/v1/account/domains/${site.domainId}/ai-config`, { ai_bot_config_id: agent.body.id, is_active: true }, site.token);
    await t.put(
      `/nc-api/v1/account/domains/${site.domainId}`,
      { widget_settings: { position: 'bottom_left', color: '#ff0000' } },
      site.token,
    );
    const configured = await t.get(`/api/v1/widget/config?website_token=${site.websiteToken}`);
    expect(configured.body.widget_settings).toEqual({ position: 'bottom_left', color: '#ff0000' });
    expect(configured.body.ai_agent).toEqual({ bot_name: 'SupportBot', greeting_message: 'Hi! How can I help?' });
    // With an active AI agent, new conversations start with the bot answering.
    const c = await visitorConversation(t, site.websiteToken);
    expect(c.bot_active).toBe(true);
  });
});

describe('API docs', () => {
  it('describe the widget routes, the conversation-token rule and the realtime protocol', async () => {
    const t = await server();
    const spec = (await t.get('/openapi.json')).body;
    const messages = spec.paths['/api/v1/widget/messages'];
    expect(Object.keys(messages).sort()).toEqual(['get', 'post']);
    expect(messages.get.description).toContain('X-Conversation-Token');
    expect(messages.get.description).toContain('401');
    for (const path of [
      '/api/v1/widget/conversations',
      '/api/v1/widget/config',
      '/api/v1/widget/typing',
      '/realtime/sse',
      '/nc-api/v1/conversations/{id}/status',
    ])
      expect(spec.paths[path]).toBeDefined();
    expect(spec.info.description).toContain('last_event_id');
  });
});
