import { describe, expect, it } from 'vitest';
import { PublicUrl } from './public-url.js';

const lan = () => [
  { address: 'fd00::2', family: 'IPv6' as const, interface: 'eth0' },
  { address: '192.168.1.20', family: 'IPv4' as const, interface: 'eth0' },
];

describe('the public URL', () => {
  it('is NOVA_PUBLIC_URL when set, without its trailing slash', () => {
    expect(
      new PublicUrl({ publicUrl: 'https://chat.example.com/help/', host: '0.0.0.0', port: 8080, tlsCertFile: undefined }, lan).base(),
    ).toBe('https://chat.example.com/help');
  });

  it('is the listen address otherwise, with the port the server got', () => {
    const url = new PublicUrl({ publicUrl: undefined, host: '127.0.0.1', port: 0, tlsCertFile: undefined }, lan);
    url.listening({ address: '127.0.0.1', family: 'IPv4', port: 41234 });
    expect(url.base()).toBe('http://127.0.0.1:41234');
    expect(new PublicUrl({ publicUrl: undefined, host: '::1', port: 8080, tlsCertFile: undefined }, lan).base()).toBe('http://[::1]:8080');
  });

  it("is the machine's LAN address when the server listens on every interface, loopback on a machine without one", () => {
    expect(new PublicUrl({ publicUrl: undefined, host: '0.0.0.0', port: 8080, tlsCertFile: undefined }, lan).base()).toBe(
      'http://192.168.1.20:8080',
    );
    expect(new PublicUrl({ publicUrl: undefined, host: '0.0.0.0', port: 8080, tlsCertFile: undefined }, () => []).base()).toBe(
      'http://127.0.0.1:8080',
    );
  });
});
