import { describe, expect, it } from 'vitest';
import { addressKey } from './client-address.js';

describe('the address a client is counted under', () => {
  it('is the IPv4 address itself, also when the socket reports it IPv4-mapped', () => {
    expect(addressKey('192.168.1.20')).toBe('192.168.1.20');
    expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    const key = '2001:db8:0:12::/64';
    expect(addressKey('2001:db8:0:12::1')).toBe(key);
    expect(addressKey('2001:0db8:0000:0012:ffff:1:2:3')).toBe(key);
    expect(addressKey('2001:db8::12:0:0:0:9')).toBe('2001:db8:0:12::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
