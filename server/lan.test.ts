import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses, urlFor } from './lan.js';

type Info = os.NetworkInterfaceInfo;
const v4 = (address: string, internal = false) => ({ address, family: 'IPv4', internal, netmask: '', mac: '', cidr: null }) as Info;
const v6 = (address: string, internal = false) =>
  ({ address, family: 'IPv6', internal, netmask: '', mac: '', cidr: null, scopeid: 0 }) as Info;

describe('LAN addresses', () => {
  it('lists external IPv4 first, then global IPv6, without loopback or link-local', () => {
    const list = lanAddresses({
      lo: [v4('127.0.0.1', true), v6('::1', true)],
      eth0: [v6('fd00::2'), v6('fe80::1'), v4('192.168.1.20')],
      wlan0: [v4('169.254.10.3'), v4('10.0.0.7')],
    });
    expect(list).toEqual([
      { address: '192.168.1.20', family: 'IPv4', interface: 'eth0' },
      { address: '10.0.0.7', family: 'IPv4', interface: 'wlan0' },
      { address: 'fd00::2', family: 'IPv6', interface: 'eth0' },
    ]);
  });

  it('is empty on a machine with only loopback', () => {
    expect(lanAddresses({ lo: [v4('127.0.0.1', true)] })).toEqual([]);
  });

  it("reads this machine's interfaces by default and never offers an internal address", () => {
    for (const entry of lanAddresses()) expect(entry.address).not.toMatch(/^(127\.|::1$)/);
  });

  it('brackets IPv6 in URLs', () => {
    expect(urlFor('192.168.1.20', 8080)).toBe('http://192.168.1.20:8080');
    expect(urlFor('fd00::2', 8080)).toBe('http://[fd00::2]:8080');
  });
});
