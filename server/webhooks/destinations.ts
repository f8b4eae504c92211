import dns, { type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may be delivered (against SSRF: a webhook must not reach this machine's own services
 * or a cloud's metadata endpoint). Refused unless `NOVA_WEBHOOK_ALLOWED_NETWORKS` lists them: loopback,
 * link-local (169.254.169.254 and the other metadata addresses live there), unspecified, multicast,
 * broadcast and reserved addresses, and the IPv6 forms that embed an IPv4 one. Private LAN ranges are
 * allowed (a LAN appliance's receivers live there) unless `NOVA_WEBHOOK_BLOCKED_NETWORKS` lists them;
 * an address in both lists is refused. Checked when a webhook is saved and, after DNS resolution, as
 * each delivery connects, so a name that resolves elsewhere later (DNS rebinding) is caught too.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Network = [Address, number];

const REFUSED_RANGES: Record<string, string> = {
  loopback: 'a loopback address',
  linkLocal: 'a link-local address (where cloud metadata services live)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  rfc6145: 'an IPv4-translated address',
};

/** `::a.b.c.d` (IPv4-compatible, deprecated): no receiver has one, and it spells loopback another way. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** Names that mean this machine or a cloud's metadata service whatever DNS says (RFC 6761 `localhost`, GCE/AWS names). */
const REFUSED_NAMES =
  /^(localhost|.+\.localhost|localhost\.localdomain|metadata|metadata\.google\.internal|metadata\.goog|instance-data|instance-data\.ec2\.internal)\.?$/i;

/** A CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address, as the env lists hold them; throws on anything else. */
export function parseNetwork(text: string): Network {
  const value = text.trim();
  if (value.includes('/')) return ipaddr.parseCIDR(value);
  const address = ipaddr.parse(value);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** A comma-separated env list of networks; an invalid entry is a start-up error naming it. */
export function parseNetworkList(text: string | undefined): string[] {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries)
    try {
      parseNetwork(entry);
    } catch {
      throw new Error(`"${entry}" is not a CIDR network (e.g. 127.0.0.0/8) nor an IP address`);
    }
  return entries;
}

const within = (address: Address, networks: Network[]) =>
  networks.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits));

/** Thrown (and logged on the attempt) when a delivery's destination is refused; no connection was made. */
export class DestinationRefusedError extends Error {
  readonly code = 'EDESTINATIONREFUSED';
}

export class DestinationPolicy {
  private readonly allowed: Network[];
  private readonly blocked: Network[];

  constructor(lists: { allowed: string[]; blocked: string[] }) {
    this.allowed = lists.allowed.map(parseNetwork);
    this.blocked = lists.blocked.map(parseNetwork);
  }

  /** Why an IP address may not be delivered to, or null when it may. */
  refusalOf(ip: string): string | null {
    // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it is.
    const address = ipaddr.process(ip);
    if (within(address, this.blocked)) return 'in NOVA_WEBHOOK_BLOCKED_NETWORKS';
    if (within(address, this.allowed)) return null;
    if (address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE)) return `${REFUSED_RANGES.reserved}`;
    const reason = REFUSED_RANGES[address.range()];
    return reason ? `${reason} (allow it with NOVA_WEBHOOK_ALLOWED_NETWORKS)` : null;
  }

  /**
   * Why a URL's host may not receive webhooks, or null. Its addresses are resolved now; a name that does
   * not resolve (yet) is accepted, and each delivery checks the addresses it connects to.
   */
  async refusalOfUrl(url: URL, resolve: (host: string) => Promise<string[]> = resolveHost): Promise<string | null> {
    // WHATWG URL parsing already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1, and kept [::1] bracketed.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(host)) return this.refusal(host, host);
    if (REFUSED_NAMES.test(host)) return `${host} names this machine or a cloud metadata service`;
    for (const address of await resolve(host)) {
      const refused = this.refusal(host, address);
      if (refused) return refused;
    }
    return null;
  }

  private refusal(host: string, address: string): string | null {
    const reason = this.refusalOf(address);
    return reason ? `${host === address ? host : `${host} resolves to ${address}, which`} is ${reason}` : null;
  }

  /**
   * A `lookup` for http(s) agents: resolves as Node would, then refuses the connection when any
   * address is refused, so the check holds for the address actually connected to.
   */
  readonly lookup = (
    hostname: string,
    options: LookupOneOptions | LookupAllOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    if (REFUSED_NAMES.test(hostname)) return callback(new DestinationRefusedError(`destination refused: ${hostname}`), '');
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      for (const { address } of addresses) {
        const reason = this.refusal(hostname, address);
        if (reason) return callback(new DestinationRefusedError(`destination refused: ${reason}`), '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };

  /** For URLs whose host is an IP literal: Node connects to those without calling `lookup`. */
  assertConnectable(url: URL): void {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!net.isIP(host)) return;
    const reason = this.refusal(host, host);
    if (reason) throw new DestinationRefusedError(`destination refused: ${reason}`);
  }
}

/** How long saving a webhook waits for DNS before accepting the name (deliveries check again anyway). */
const SAVE_LOOKUP_TIMEOUT_MS = 3000;

async function resolveHost(host: string): Promise<string[]> {
  const lookup = dns.promises.lookup(host, { all: true }).then(
    (addresses) => addresses.map((a) => a.address),
    () => [],
  );
  const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), SAVE_LOOKUP_TIMEOUT_MS).unref());
  return Promise.race([lookup, timeout]);
}
