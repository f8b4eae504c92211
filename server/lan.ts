import os from 'node:os';

export type LanAddress = { address: string; family: 'IPv4' | 'IPv6'; interface: string };

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * Addresses other machines on the LAN can reach this one at: external IPv4 first (what people paste into a
 * website), then global IPv6. Loopback and link-local addresses are left out: they only work on this machine.
 */
export function lanAddresses(interfaces: Interfaces = os.networkInterfaces()): LanAddress[] {
  const ipv4: LanAddress[] = [];
  const ipv6: LanAddress[] = [];
  for (const [name, entries] of Object.entries(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (entry.family === 'IPv4' && !entry.address.startsWith('169.254.'))
        ipv4.push({ address: entry.address, family: 'IPv4', interface: name });
      if (entry.family === 'IPv6' && !/^fe80:/i.test(entry.address)) ipv6.push({ address: entry.address, family: 'IPv6', interface: name });
    }
  }
  return [...ipv4, ...ipv6];
}

export function urlFor(address: string, port: number, scheme: 'http' | 'https' = 'http'): string {
  return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
