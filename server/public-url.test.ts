import { describe, expect, it } from 'vitest';
import { PublicUrl } from './public-url.js';

const lan = () => [
  { address: 'fd00::2', family: 'IPv6' as const, interface: 'eth0' },
  { address: '192.168.1.20', family: 'IPv4' as const, interface: 'eth0' },
];
const config = (overrides: Partial<ConstructorParameters<typeof PublicUrl>[0]> = {}) => ({
  publicUrl: undefined,
  host: '127.0.0.1',
  port: 8080,
  tlsCertFile: undefined,
  ...overrides,
});
const none = async () => undefined;
const stored = (url: string) => async () => url;

describe('the public URL', () => {
  it('is NOVA_PUBLIC_URL when set, without its trailing slash, even when the owner has set another', async () => {
    const url = new PublicUrl(
      config({ publicUrl: 'https://chat.example.com/help/', host: '0.0.0.0' }),
      stored('https://other.example'),
      lan,
    );
    expect(await url.state()).toEqual({
      inUse: 'https://chat.example.com/help',
      source: 'environment',
      fromServer: 'https://chat.example.com/help',
      setting: 'https://other.example',
    });
  });

  it("is the owner's setting when the environment has none", async () => {
    const url = new PublicUrl(config({ host: '0.0.0.0' }), stored('https://chat.shop.example'), lan);
    expect(await url.state()).toMatchObject({ inUse: 'https://chat.shop.example', source: 'setting', fromServer: undefined });
  });

  it('is the listen address otherwise, with the port the server got', async () => {
    const url = new PublicUrl(config({ port: 0 }), none, lan);
    url.listening({ address: '127.0.0.1', family: 'IPv4', port: 41234 });
    expect(await url.base()).toBe('http://127.0.0.1:41234');
    expect(await new PublicUrl(config({ host: '::1' }), none, lan).base()).toBe('http://[::1]:8080');
    expect(await new PublicUrl(config({ tlsCertFile: '/etc/tls/cert.pem' }), none, lan).base()).toBe('https://127.0.0.1:8080');
  });

  it("is the machine's LAN address when the server listens on every interface, loopback on a machine without one", async () => {
    expect(await new PublicUrl(config({ host: '0.0.0.0' }), none, lan).base()).toBe('http://192.168.1.20:8080');
    expect(await new PublicUrl(config({ host: '0.0.0.0' }), none, () => []).base()).toBe('http://127.0.0.1:8080');
  });
});
