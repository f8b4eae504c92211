import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t.close());

let emailCounter = 0;
const agentEmail = () => `agent${++emailCounter}-${Date.now()}@example.com`;

async function humanAgent(ownerToken: string, role: 'agent' | 'admin' = 'agent') {
  const email = agentEmail();
  const res = await t.post(
    '/nc-api/v1/agents',
    { type: 'human', name: `Agent ${emailCounter}`, email, password: 'AgentPass1!', role },
    ownerToken,
  );
  if (res.status !== 201) throw new Error(`agent create failed: ${res.status} ${res.text}`);
  const login = await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass1!' });
  return { id: res.body.id as number, email, token: login.body.token as string, login };
}

describe('AI and human agents', () => {
  it('creates both kinds; a human agent signs in and sees the same account', async () => {
    const owner = await signUp(t);
    const bot = await t.post('/nc-api/v1/agents', { bot_name: 'Ava', greeting_message: 'Hello', system_prompt: 'Be brief.' }, owner.token);
    expect(bot.status).toBe(201);
    expect(bot.body).toMatchObject({ type: 'ai', name: 'Ava', bot_name: 'Ava', greeting_message: 'Hello', system_prompt: 'Be brief.' });

    const human = await humanAgent(owner.token);
    expect(human.login.status).toBe(200);
    expect(human.login.body.user).toMatchObject({ email: human.email, role: 'agent', account_id: owner.accountId });

    const me = await t.get('/nc-api/v1/auth/me', human.token);
    expect(me.body).toMatchObject({ account: { id: owner.accountId }, user: { email: human.email, role: 'agent' }, agent_id: human.id });

    const seenByAgent = await t.get('/nc-api/v1/agents', human.token);
    const seenByOwner = await t.get('/nc-api/v1/agents', owner.token);
    expect(seenByAgent.status).toBe(200);
    expect(seenByAgent.body).toEqual(seenByOwner.body);
    expect(seenByOwner.body.data.map((a: { type: string }) => a.type)).toEqual(['human', 'ai', 'human']);
    expect((await t.get('/nc-api/v1/agents?type=ai', owner.token)).body.data.map((a: { id: number }) => a.id)).toEqual([bot.body.id]);
    expect((await t.get('/nc-api/v1/agents?type=robot', owner.token)).status).toBe(422);
  });

  it('returns a one-time temporary password when none is given, and it works', async () => {
    const owner = await signUp(t);
    const email = agentEmail();
    const res = await t.post('/nc-api/v1/agents', { type: 'human', name: 'Temp', email }, owner.token);
    expect(res.status).toBe(201);
    expect(res.body.temporary_password).toEqual(expect.any(String));
    expect((await t.post('/nc-api/v1/auth/login', { email, password: res.body.temporary_password })).status).toBe(200);
    expect((await t.get(`/nc-api/v1/agents/${res.body.id}`, owner.token)).body.temporary_password).toBeUndefined();
  });

  it('refuses an email that is already a user (409) and bad bodies (422 naming the field)', async () => {
    const owner = await signUp(t);
    const taken = await t.post('/nc-api/v1/agents', { type: 'human', name: 'Dup', email: owner.email }, owner.token);
    expect(taken.status).toBe(409);
    const noName = await t.post('/nc-api/v1/agents', { greeting_message: 'hi' }, owner.token);
    expect(noName.status).toBe(422);
    expect(noName.body.error.details).toEqual([expect.objectContaining({ field: 'bot_name' })]);
    const badRole = await t.post('/nc-api/v1/agents', { type: 'human', name: 'X', email: agentEmail(), role: 'owner' }, owner.token);
    expect(badRole.status).toBe(422);
    expect(badRole.body.error.details).toEqual([expect.objectContaining({ field: 'role' })]);
    expect((await t.get('/nc-api/v1/account/status', owner.token)).body.usage.agents).toBe(0);
  });

  it('updates AI and human agents with the fields of their type only', async () => {
    const owner = await signUp(t);
    const bot = (await t.post('/nc-api/v1/agents', { bot_name: 'Old' }, owner.token)).body.id;
    const domain = (await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://bot.example' }, owner.token)).body.domain_id;
    await t.post(`/nc-api/v1/account/domains/${domain}/ai-config`, { ai_bot_config_id: bot, is_active: true }, owner.token);
    const renamed = await t.put(`/nc-api/v1/agents/${bot}`, { bot_name: 'New', greeting_message: 'Hey' }, owner.token);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ bot_name: 'New', greeting_message: 'Hey', domain_ids: [domain] });
    expect((await t.get(`/nc-api/v1/agents/${bot}`, owner.token)).body).toEqual(renamed.body);
    expect((await t.put(`/nc-api/v1/agents/${bot}`, { role: 'admin' }, owner.token)).status).toBe(422);

    const human = await humanAgent(owner.token);
    const promoted = await t.put(`/nc-api/v1/agents/${human.id}`, { role: 'admin', password: 'NewPass123!' }, owner.token);
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('admin');
    expect((await t.post('/nc-api/v1/auth/login', { email: human.email, password: 'NewPass123!' })).status).toBe(200);
    expect((await t.put(`/nc-api/v1/agents/${human.id}`, { bot_name: 'Nope' }, owner.token)).status).toBe(422);
  });

  it('names the bad field of a create or an update, for the kind of agent at hand', async () => {
    const owner = await signUp(t);
    const fieldsOf = async (res: Promise<{ status: number; body: any }>) => {
      const { status, body } = await res;
      return { status, fields: (body.error?.details ?? []).map((d: { field: string }) => d.field) };
    };
    const post = (body: unknown) => fieldsOf(t.post('/nc-api/v1/agents', body, owner.token));
    expect(await post({ bot_name: 12345 })).toEqual({ status: 422, fields: ['bot_name'] });
    expect(await post({ bot_name: 'x'.repeat(101) })).toEqual({ status: 422, fields: ['bot_name'] });
    expect(await post({ bot_name: 'ok', system_prompt: 'x'.repeat(8001) })).toEqual({ status: 422, fields: ['system_prompt'] });
    expect(await post({ type: 'human', name: 'x'.repeat(201), email: agentEmail() })).toEqual({ status: 422, fields: ['name'] });
    expect(await post({ type: 'human', name: 'Ok', email: 42 })).toEqual({ status: 422, fields: ['email'] });

    const bot = (await t.post('/nc-api/v1/agents', { bot_name: 'Bot' }, owner.token)).body.id;
    const human = await humanAgent(owner.token);
    const put = (id: number, body: unknown) => fieldsOf(t.put(`/nc-api/v1/agents/${id}`, body, owner.token));
    expect(await put(bot, { bot_name: 12345 })).toEqual({ status: 422, fields: ['bot_name'] });
    expect(await put(bot, { greeting_message: 'x'.repeat(1001) })).toEqual({ status: 422, fields: ['greeting_message'] });
    expect(await put(human.id, { role: 'boss' })).toEqual({ status: 422, fields: ['role'] });
    expect(await put(human.id, { name: 12345 })).toEqual({ status: 422, fields: ['name'] });
    expect(await put(human.id, { password: 'short' })).toEqual({ status: 422, fields: ['password'] });
    expect((await t.get(`/nc-api/v1/agents/${human.id}`, owner.token)).body.role).toBe('agent');
  });
});

describe('roles', () => {
  it('lets role "agent" read but not create domains, agents or API keys', async () => {
    const owner = await signUp(t);
    const agent = await humanAgent(owner.token, 'agent');
    for (const path of ['/nc-api/v1/agents', '/nc-api/v1/account/status', '/nc-api/v1/account/domains']) {
      expect((await t.get(path, agent.token)).status).toBe(200);
    }
    const attempts = [
      t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://agent.example' }, agent.token),
      t.post('/nc-api/v1/agents', { bot_name: 'Sneaky' }, agent.token),
      t.post('/nc-api/v1/api-keys', { name: 'k', permissions: ['write'] }, agent.token),
      t.put(`/nc-api/v1/agents/${agent.id}`, { role: 'admin' }, agent.token),
      t.del(`/nc-api/v1/agents/${agent.id}`, agent.token),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('admin_required');
    }
    const status = await t.get('/nc-api/v1/account/status', owner.token);
    expect(status.body.usage).toMatchObject({ domains: 0, agents: 1 });
    expect((await t.get(`/nc-api/v1/agents/${agent.id}`, owner.token)).body.role).toBe('agent');
  });

  it('lets role "admin" manage the account like the owner', async () => {
    const owner = await signUp(t);
    const admin = await humanAgent(owner.token, 'admin');
    expect((await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://admin.example' }, admin.token)).status).toBe(201);
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'ByAdmin' }, admin.token)).status).toBe(201);
    expect((await t.post('/nc-api/v1/api-keys', { name: 'k', permissions: ['read'] }, admin.token)).status).toBe(201);
  });

  it('never lets the owner be deleted or demoted', async () => {
    const owner = await signUp(t);
    const admin = await humanAgent(owner.token, 'admin');
    const ownerAgent = (await t.get('/nc-api/v1/agents?type=human', owner.token)).body.data.find((a: { is_owner: boolean }) => a.is_owner);
    for (const token of [owner.token, admin.token]) {
      const del = await t.del(`/nc-api/v1/agents/${ownerAgent.id}`, token);
      expect(del.status).toBe(403);
      expect(del.body.error.code).toBe('cannot_modify_owner');
      expect((await t.put(`/nc-api/v1/agents/${ownerAgent.id}`, { role: 'agent' }, token)).status).toBe(403);
    }
    expect((await t.get('/nc-api/v1/auth/me', owner.token)).body.user.role).toBe('owner');
  });

  it('lets nobody but the owner change the owner’s name or password', async () => {
    const owner = await signUp(t);
    const admin = await humanAgent(owner.token, 'admin');
    const key = (await t.post('/nc-api/v1/api-keys', { name: 'w', permissions: ['write'] }, owner.token)).body.full_key;
    const ownerAgent = (await t.get('/nc-api/v1/agents?type=human', owner.token)).body.data.find((a: { is_owner: boolean }) => a.is_owner);
    for (const [token, code] of [
      [admin.token, 'cannot_modify_owner'],
      [key, 'api_key_not_allowed'],
    ]) {
      const takeover = await t.put(`/nc-api/v1/agents/${ownerAgent.id}`, { password: 'Hijacked123!' }, token);
      expect(takeover.status).toBe(403);
      expect(takeover.body.error.code).toBe(code);
    }
    expect((await t.post('/nc-api/v1/auth/login', { email: owner.email, password: 'Hijacked123!' })).status).toBe(401);
    const own = await t.put(`/nc-api/v1/agents/${ownerAgent.id}`, { name: 'The Boss', password: 'Changed123!' }, owner.token);
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('The Boss');
    expect((await t.post('/nc-api/v1/auth/login', { email: owner.email, password: 'Changed123!' })).status).toBe(200);
  });

  it('revokes a deleted human agent’s token on their next request', async () => {
    const owner = await signUp(t);
    const agent = await humanAgent(owner.token);
    expect((await t.get('/nc-api/v1/agents', agent.token)).status).toBe(200);
    expect((await t.del(`/nc-api/v1/agents/${agent.id}`, owner.token)).status).toBe(204);
    const after = await t.get('/nc-api/v1/agents', agent.token);
    expect(after.status).toBe(401);
    expect((await t.post('/nc-api/v1/auth/login', { email: agent.email, password: 'AgentPass1!' })).status).toBe(401);
    expect((await t.get(`/nc-api/v1/agents/${agent.id}`, owner.token)).status).toBe(404);
  });

  it('demoting an admin takes effect on their next request', async () => {
    const owner = await signUp(t);
    const admin = await humanAgent(owner.token, 'admin');
    await t.put(`/nc-api/v1/agents/${admin.id}`, { role: 'agent' }, owner.token);
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'Late' }, admin.token)).status).toBe(401);
    const again = await t.post('/nc-api/v1/auth/login', { email: admin.email, password: 'AgentPass1!' });
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'Late' }, again.body.token)).status).toBe(403);
  });
});

describe('sessions after a password or role change', () => {
  it('revokes every token issued before an admin resets a teammate’s password, and only theirs', async () => {
    const owner = await signUp(t);
    const admin = await humanAgent(owner.token, 'admin');
    const secondSession = (await t.post('/nc-api/v1/auth/login', { email: admin.email, password: 'AgentPass1!' })).body.token;
    const colleague = await humanAgent(owner.token);
    expect((await t.get('/nc-api/v1/agents', admin.token)).status).toBe(200);

    expect((await t.put(`/nc-api/v1/agents/${admin.id}`, { password: 'ResetPass1!' }, owner.token)).status).toBe(200);
    for (const token of [admin.token, secondSession]) {
      const stale = await t.get('/nc-api/v1/agents', token);
      expect(stale.status).toBe(401);
      expect(stale.body.error.code).toBe('unauthorized');
    }
    expect((await t.post('/nc-api/v1/auth/login', { email: admin.email, password: 'AgentPass1!' })).status).toBe(401);
    const fresh = await t.post('/nc-api/v1/auth/login', { email: admin.email, password: 'ResetPass1!' });
    expect((await t.get('/nc-api/v1/agents', fresh.body.token)).status).toBe(200);
    // Nobody else was signed out.
    expect((await t.get('/nc-api/v1/agents', colleague.token)).status).toBe(200);
    expect((await t.get('/nc-api/v1/agents', owner.token)).status).toBe(200);
  });

  it('revokes on a promotion too, but not on a rename', async () => {
    const owner = await signUp(t);
    const agent = await humanAgent(owner.token);
    expect((await t.put(`/nc-api/v1/agents/${agent.id}`, { name: 'New Name' }, owner.token)).status).toBe(200);
    expect((await t.get('/nc-api/v1/auth/me', agent.token)).body.user.name).toBe('New Name');
    expect((await t.put(`/nc-api/v1/agents/${agent.id}`, { role: 'admin' }, owner.token)).status).toBe(200);
    expect((await t.get('/nc-api/v1/auth/me', agent.token)).status).toBe(401);
  });

  it('signs out the owner’s other sessions when they change their own password, and hands back a new token', async () => {
    const owner = await signUp(t);
    const otherDevice = (await t.post('/nc-api/v1/auth/login', { email: owner.email, password: 'MyPass123!' })).body.token;
    const self = (await t.get('/nc-api/v1/auth/me', owner.token)).body.agent_id;
    const changed = await t.put(`/nc-api/v1/agents/${self}`, { password: 'Changed123!' }, owner.token);
    expect(changed.status).toBe(200);
    expect(changed.body.token).toEqual(expect.any(String));
    expect((await t.get('/nc-api/v1/account/status', otherDevice)).status).toBe(401);
    expect((await t.get('/nc-api/v1/account/status', owner.token)).status).toBe(401);
    expect((await t.get('/nc-api/v1/account/status', changed.body.token)).status).toBe(200);
    // A change that revokes nothing hands back no token.
    expect((await t.put(`/nc-api/v1/agents/${self}`, { name: 'Still me' }, changed.body.token)).body.token).toBeUndefined();
  });

  it('keeps the revocation across a restart', async () => {
    const own = await TestServer.start();
    try {
      const owner = await signUp(own);
      const agentEmailAddress = agentEmail();
      const created = await own.post(
        '/nc-api/v1/agents',
        { type: 'human', name: 'R', email: agentEmailAddress, password: 'AgentPass1!' },
        owner.token,
      );
      const token = (await own.post('/nc-api/v1/auth/login', { email: agentEmailAddress, password: 'AgentPass1!' })).body.token;
      await own.put(`/nc-api/v1/agents/${created.body.id}`, { password: 'Another123!' }, owner.token);
      await own.restart();
      expect((await own.get('/nc-api/v1/agents', token)).status).toBe(401);
      expect((await own.get('/nc-api/v1/agents', owner.token)).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('API keys and people', () => {
  it('refuses every API key (read or write) to create, promote, reset or delete a human agent', async () => {
    const owner = await signUp(t);
    const admin = await humanAgent(owner.token, 'admin');
    const agent = await humanAgent(owner.token, 'agent');
    const keys = await Promise.all(
      [['write'], ['read'], ['read', 'write']].map(
        async (permissions) =>
          (await t.post('/nc-api/v1/api-keys', { name: permissions.join('+'), permissions }, owner.token)).body.full_key as string,
      ),
    );
    for (const key of keys) {
      const email = agentEmail();
      const attempts = await Promise.all([
        t.post('/nc-api/v1/agents', { type: 'human', name: 'Minted', email, password: 'Minted123!', role: 'admin' }, key),
        t.put(`/nc-api/v1/agents/${agent.id}`, { role: 'admin' }, key),
        t.put(`/nc-api/v1/agents/${admin.id}`, { password: 'TakenOver1!' }, key),
        t.put(`/nc-api/v1/agents/${agent.id}`, { name: 'Renamed by a key' }, key),
        t.del(`/nc-api/v1/agents/${agent.id}`, key),
      ]);
      for (const res of attempts) {
        expect(res.status).toBe(403);
        // A read key is refused for its permission first; a write key for what it tried.
        expect(['api_key_not_allowed', 'insufficient_permission']).toContain(res.body.error.code);
        if (key !== keys[1]) expect(res.body.error.code).toBe('api_key_not_allowed');
      }
      expect((await t.post('/nc-api/v1/auth/login', { email, password: 'Minted123!' })).status).toBe(401);
    }
    expect((await t.post('/nc-api/v1/auth/login', { email: admin.email, password: 'TakenOver1!' })).status).toBe(401);
    const seen = await t.get(`/nc-api/v1/agents/${agent.id}`, owner.token);
    expect(seen.body).toMatchObject({ role: 'agent', name: expect.not.stringContaining('key') });
  });

  it('still lets a write key create, change and delete AI agents, and read human ones', async () => {
    const owner = await signUp(t);
    const human = await humanAgent(owner.token);
    const key = (await t.post('/nc-api/v1/api-keys', { name: 'bots', permissions: ['write'] }, owner.token)).body.full_key;
    const bot = await t.post('/nc-api/v1/agents', { bot_name: 'KeyBot', greeting_message: 'Hi' }, key);
    expect(bot.status).toBe(201);
    expect((await t.put(`/nc-api/v1/agents/${bot.body.id}`, { bot_name: 'KeyBot 2' }, key)).body.bot_name).toBe('KeyBot 2');
    expect((await t.get(`/nc-api/v1/agents/${human.id}`, key)).body).toMatchObject({ type: 'human', email: human.email });
    expect((await t.del(`/nc-api/v1/agents/${bot.body.id}`, key)).status).toBe(204);
  });
});

describe('the agent list', () => {
  it('pages with ?page=&per_page= and says the total, per type too', async () => {
    const owner = await signUp(t);
    for (const name of ['One', 'Two']) await t.post('/nc-api/v1/agents', { bot_name: name }, owner.token);
    await humanAgent(owner.token);
    const all = await t.get('/nc-api/v1/agents', owner.token);
    expect(all.body.meta).toEqual({ total: 4, page: 1, per_page: 100 });
    const second = await t.get('/nc-api/v1/agents?per_page=3&page=2', owner.token);
    expect(second.body.data.map((a: { id: number }) => a.id)).toEqual([all.body.data[3].id]);
    expect(second.body.meta).toEqual({ total: 4, page: 2, per_page: 3 });
    const ai = await t.get('/nc-api/v1/agents?type=ai&per_page=1', owner.token);
    expect(ai.body.data).toHaveLength(1);
    expect(ai.body.meta.total).toBe(2);
    const tooMany = await t.get('/nc-api/v1/agents?per_page=101', owner.token);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details).toEqual([expect.objectContaining({ field: 'per_page' })]);
  });
});

describe('agent seats', () => {
  it('allows 3 agents on starter, AI and human alike, not counting the owner', async () => {
    const owner = await signUp(t);
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'One' }, owner.token)).status).toBe(201);
    await humanAgent(owner.token);
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'Three' }, owner.token)).status).toBe(201);

    const fourthAi = await t.post('/nc-api/v1/agents', { bot_name: 'Four' }, owner.token);
    expect(fourthAi.status).toBe(403);
    expect(fourthAi.body.error).toMatchObject({ code: 'plan_limit_reached', details: { limit: 'agents', max: 3 } });
    const email = agentEmail();
    const fourthHuman = await t.post('/nc-api/v1/agents', { type: 'human', name: 'Four', email, password: 'AgentPass1!' }, owner.token);
    expect(fourthHuman.status).toBe(403);
    // The refused human agent left no user behind.
    expect((await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass1!' })).status).toBe(401);

    expect((await t.get('/nc-api/v1/agents', owner.token)).body.data).toHaveLength(4);
    expect((await t.get('/nc-api/v1/account/status', owner.token)).body.usage.agents).toBe(3);

    // Deleting one frees its seat.
    const one = (await t.get('/nc-api/v1/agents?type=ai', owner.token)).body.data[0].id;
    expect((await t.del(`/nc-api/v1/agents/${one}`, owner.token)).status).toBe(204);
    expect((await t.post('/nc-api/v1/agents', { bot_name: 'Again' }, owner.token)).status).toBe(201);
  });
});
