import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

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

/**
 * Which peers may tell the client's address and scheme (`NOVA_TRUST_PROXY`): nobody (off, the default: the
 * socket's peer is the client and `X-Forwarded-*` headers are ignored), the N proxies nearest to this server
 * (a number), or only peers in these networks (`loopback`, `uniquelocal`, CIDR or addresses), so a client
 * that reaches the server directly, around the proxy, cannot forge them.
 */
export type TrustProxy = false | number | string[];

/** Reads `NOVA_TRUST_PROXY`: unset, `0`, `false` or `off` = off; `1`, `2`… = that many proxies; else a comma-separated network list. */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = text?.trim() ?? '';
  if (['', '0', 'false', 'off', 'no'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  proxyaddr.compile(list); // throws on a malformed entry, naming it
  return list;
}

export type ClientOrigin = { address: string; protocol: 'http' | 'https' };

/** Turns a TrustProxy into proxy-addr's question "may the peer at hop i (0 = the socket) speak for the client?". */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/**
 * The client's address and scheme as this deployment sees them: the socket's peer and whether the socket is
 * TLS, or, from trusted proxies, the nearest untrusted address of `X-Forwarded-For` and the first
 * `X-Forwarded-Proto`. One answer for HTTP requests, WebSocket upgrades and SSE streams alike.
 */
export function clientOrigin(req: IncomingMessage, trusted: (address: string, hop: number) => boolean): ClientOrigin {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (!trusted(peer, 0)) return { address: peer, protocol: encrypted ? 'https' : 'http' };
  const forwardedProto = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]!
    .trim()
    .toLowerCase();
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : encrypted ? 'https' : 'http';
  return { address: proxyaddr(req, trusted), protocol };
}
