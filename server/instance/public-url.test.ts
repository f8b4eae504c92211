import { afterEach, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((t) => t.close()));
  running = [];
});
async function server(options: Parameters<typeof TestServer.start>[0] = {}) {
  const t = await TestServer.start(options);
  running.push(t);
  return t;
}

const snippetOf = async (t: TestServer, token: string) =>
  (await t.get('/nc-api/v1/account/domains', token)).body.data[0].widget_code as string;

describe("the instance owner's public URL setting", () => {
  it("is stored in the database and used by every account's snippets, across a restart; clearing it goes back to the listen address", async () => {
    const t = await server();
    const owner = await signUp(t);
    await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example' }, owner.token);
    expect((await t.get('/nc-api/v1/instance/settings', owner.token)).body).toMatchObject({
      public_url: null,
      public_url_from_server: null,
      public_url_in_use: t.url,
      public_url_source: 'listen_address',
    });

    const set = await t.put('/nc-api/v1/instance/settings', { public_url: 'https://chat.shop.example/' }, owner.token);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      public_url: 'https://chat.shop.example',
      public_url_in_use: 'https://chat.shop.example',
      public_url_source: 'setting',
    });
    expect(set.body.signup).toBe('open'); // the other setting is untouched
    expect(await snippetOf(t, owner.token)).toContain('src="https://chat.shop.example/widget.js"');
    const other = await signUp(t);
    const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://blog.example' }, other.token);
    expect(bound.body.widget_code).toContain('src="https://chat.shop.example/widget.js"'); // every account's snippets

    // Kept across a restart.
    await t.restart();
    expect(await snippetOf(t, owner.token)).toContain('src="https://chat.shop.example/widget.js"');

    const cleared = await t.put('/nc-api/v1/instance/settings', { public_url: null }, owner.token);
    expect(cleared.body).toMatchObject({ public_url: null, public_url_in_use: t.url, public_url_source: 'listen_address' });
    expect(await snippetOf(t, owner.token)).toContain(`src="${t.url}/widget.js"`);
  });

  it('gives way to NOVA_PUBLIC_URL, and the settings say so', async () => {
    const t = await server({ env: { NOVA_PUBLIC_URL: 'https://proxy.example.com' } });
    const owner = await signUp(t);
    await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example' }, owner.token);
    const set = await t.put('/nc-api/v1/instance/settings', { public_url: 'https://chat.shop.example' }, owner.token);
    expect(set.body).toMatchObject({
      public_url: 'https://chat.shop.example',
      public_url_from_server: 'https://proxy.example.com',
      public_url_in_use: 'https://proxy.example.com',
      public_url_source: 'environment',
    });
    expect(await snippetOf(t, owner.token)).toContain('src="https://proxy.example.com/widget.js"');
  });

  it('takes only an http(s) base URL, and only from the instance owner', async () => {
    const t = await server();
    const owner = await signUp(t);
    const other = await signUp(t);
    for (const bad of [
      'chat.example.com',
      'ftp://chat.example.com',
      'https://chat.example.com/?a=1',
      'https://user:pw@chat.example.com',
      42,
      '',
    ]) {
      const res = await t.put('/nc-api/v1/instance/settings', { public_url: bad }, owner.token);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'public_url' })]));
    }
    expect((await t.put('/nc-api/v1/instance/settings', {}, owner.token)).status).toBe(422);
    const denied = await t.put('/nc-api/v1/instance/settings', { public_url: 'https://evil.example' }, other.token);
    expect(denied.status).toBe(403);
    expect((await t.get('/nc-api/v1/instance/settings', owner.token)).body.public_url).toBeNull();
  });
});
