import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOrigin, parseTrustProxy, trustFunction } from './client-address.js';
import { loadConfig } from './config.js';
import { accountWithWebsite } from './conversations/test-fixtures.js';
import { RealtimeClient } from './realtime/test-client.js';
import { TestServer } from '../test/helpers/server.js';
import type { StartOptions } from './index.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((t) => t.close()));
  running = [];
});

async function server(options: StartOptions) {
  const t = await TestServer.start({ widgetConversationsPerIp: 2, ...options });
  running.push(t);
  return t;
}

/** Opens widget conversations as if from `visitor`, the way a proxy in front would tell it (X-Forwarded-For). */
async function openConversations(t: TestServer, websiteToken: string, forwardedFor: string[]) {
  const statuses: number[] = [];
  for (const visitor of forwardedFor) {
    const res = await t.post(
      `/api/v1/widget/conversations?website_token=${websiteToken}`,
      { contact: { name: 'Visitor' }, message: 'Hello' },
      undefined,
      { 'x-forwarded-for': visitor, 'x-forwarded-proto': 'https' },
    );
    statuses.push(res.status);
  }
  return statuses;
}

describe('NOVA_TRUST_PROXY', () => {
  it('off (the default): a forged X-Forwarded-For changes nothing, every request counts as the socket’s peer', async () => {
    const t = await server({});
    expect(t.deps.config.trustProxy).toBe(false);
    const { websiteToken } = await accountWithWebsite(t);
    // Three "different visitors" from one client: the header is ignored, so the third is over the per-address limit.
    expect(await openConversations(t, websiteToken, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([201, 201, 429]);
  });

  it('on behind one proxy: each visitor the proxy names is counted on their own, and a visitor’s own forged entry is skipped', async () => {
    const t = await server({ env: { NOVA_TRUST_PROXY: '1' } });
    const { websiteToken } = await accountWithWebsite(t);
    // The proxy appends the address it saw; whatever the visitor wrote before it is not believed.
    expect(await openConversations(t, websiteToken, ['203.0.113.1', '203.0.113.1', '203.0.113.1'])).toEqual([201, 201, 429]);
    expect(await openConversations(t, websiteToken, ['203.0.113.2', '198.51.100.7, 203.0.113.2'])).toEqual([201, 201]);
    expect(await openConversations(t, websiteToken, ['203.0.113.2'])).toEqual([429]);
  });

  it('trusting only the proxy’s network: headers from a client outside it are ignored', async () => {
    const t = await server({ env: { NOVA_TRUST_PROXY: '10.0.0.0/8' } });
    const { websiteToken } = await accountWithWebsite(t);
    // The test client is 127.0.0.1, not in 10/8: it reached the server around the proxy, so its header is a forgery.
    expect(await openConversations(t, websiteToken, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([201, 201, 429]);
  });

  it('counts WebSocket connections per real visitor too', async () => {
    const t = await server({ env: { NOVA_TRUST_PROXY: 'loopback' }, realtimeMaxPerAddress: 1 });
    const { websiteToken } = await accountWithWebsite(t, 'https://shop.example');
    const conversations = await Promise.all(
      ['203.0.113.1', '203.0.113.2', '203.0.113.3'].map(async (visitor) => {
        const res = await t.post(
          `/api/v1/widget/conversations?website_token=${websiteToken}`,
          { contact: { name: 'V' }, message: 'Hi' },
          undefined,
          { 'x-forwarded-for': visitor },
        );
        return res.body.conversation_token as string;
      }),
    );
    const connect = (token: string, visitor: string) =>
      RealtimeClient.connect(
        t.url,
        { website_token: websiteToken, conversation_token: token },
        { headers: { 'x-forwarded-for': visitor, origin: 'https://shop.example' } },
      );
    const a = await connect(conversations[0]!, '203.0.113.1');
    const b = await connect(conversations[1]!, '203.0.113.2'); // another visitor: its own slot
    await expect(connect(conversations[2]!, '203.0.113.1')).rejects.toMatchObject({ status: 429 }); // the first visitor again
    a.socket.close();
    b.socket.close();
  });

  it('reads the value as off, a number of proxies or a list of networks, and refuses a malformed one at start', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ NOVA_TRUST_PROXY: '10.0.0.0/99' })).toThrow(/NOVA_TRUST_PROXY/);
  });

  it('takes the scheme from X-Forwarded-Proto only from a trusted peer', () => {
    const req = (peer: string, headers: Record<string, string>) =>
      ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;
    const fromProxy = req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' });
    expect(clientOrigin(fromProxy, trustFunction(['loopback']))).toEqual({ address: '203.0.113.9', protocol: 'https' });
    expect(clientOrigin(fromProxy, trustFunction(false))).toEqual({ address: '127.0.0.1', protocol: 'http' });
    const direct = req('192.168.1.50', { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' });
    expect(clientOrigin(direct, trustFunction(['loopback']))).toEqual({ address: '192.168.1.50', protocol: 'http' });
    // Two proxies (a CDN, then nginx): the address the outer one saw.
    const twoHops = req('127.0.0.1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 10.0.0.5' });
    expect(clientOrigin(twoHops, trustFunction(2)).address).toBe('203.0.113.9');
  });
});
