import ipaddr from 'ipaddr.js';

/**
 * The key one client is counted under, by the connection caps and every throttle keyed by address: an IPv4
 * address (also when the socket reports it IPv4-mapped), or the /64 of an IPv6 one (a single host gets a whole
 * /64, so counting its addresses one by one would cap nothing).
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  const prefix = (ip as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}
