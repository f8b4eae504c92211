import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../test/helpers/database.js';
import { signUp, TestServer } from '../test/helpers/server.js';

// Two servers on one PostgreSQL (two data dirs, two ports) are what two nodes behind a load balancer are:
// every throttle counts in the database, so a guess, a sign-up or a widget message on one counts on the other.
describe.runIf(onPostgres)('throttles shared by two servers on one PostgreSQL', () => {
  const started: TestServer[] = [];
  afterEach(async () => {
    // The first server drops the database: the others close before it.
    for (const t of started.splice(0).reverse()) await t.close();
  });
  async function twoNodes(options: Parameters<typeof TestServer.start>[0]) {
    const a = await TestServer.start(options);
    started.push(a);
    const b = await TestServer.startBeside(a);
    started.push(b);
    return [a, b] as const;
  }

  it('counts sign-in guesses against one server on the other, concurrent ones included', async () => {
    const [a, b] = await twoNodes({ loginMaxFailures: 3 });
    const { email } = await signUp(a);
    expect((await a.post('/nc-api/v1/auth/login', { email, password: 'Wrong1Pass!' })).status).toBe(401);
    expect((await b.post('/nc-api/v1/auth/login', { email, password: 'Wrong2Pass!' })).status).toBe(401);
    expect((await a.post('/nc-api/v1/auth/login', { email, password: 'Wrong3Pass!' })).status).toBe(401);
    for (const node of [a, b]) {
      const refused = await node.post('/nc-api/v1/auth/login', { email, password: 'MyPass123!' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    const other = await signUp(b);
    const guesses = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).post('/nc-api/v1/auth/login', { email: other.email, password: `Wrong${i}Pass!` }),
    );
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(37);
  });

  it('counts sign-ups from one address on both servers', async () => {
    const [a, b] = await twoNodes({ signupsPerAddress: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const node = i % 2 ? b : a;
      statuses.push(
        (await node.post('/nc-api/v1/accounts', { name: `Co ${i}`, email: `shared${i}@example.com`, password: 'MyPass123!' })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('counts a conversation’s widget messages on both servers', async () => {
    const [a, b] = await twoNodes({ widgetMessagesPerMinute: 3 });
    const owner = await signUp(a);
    const websiteToken = (await a.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shared.example' }, owner.token)).body
      .website_token;
    const created = await a.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
      contact: { name: 'Visitor', email: 'visitor@example.com' },
      message: 'Hello',
    });
    expect(created.status).toBe(201);
    const headers = { 'X-Conversation-Token': created.body.conversation_token };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const node = i % 2 ? b : a;
      const res = await node.post(
        `/api/v1/widget/messages?website_token=${websiteToken}`,
        { conversation_id: created.body.id, content: `Message ${i}` },
        undefined,
        headers,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
