import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { lanAddresses, urlFor } from './lan.js';

const ANY_INTERFACE = new Set(['0.0.0.0', '::', '']);

/**
 * "The base URL visitors' browsers use" (no trailing slash), for widget snippets and any link handed to
 * a website: `NOVA_PUBLIC_URL` when set (a reverse proxy, a DNS name), else the address this server
 * listens on — its first LAN address when it listens on every interface, so a snippet works from the
 * office's other machines. Never the request's `Host` header: any client can send any Host. This is the
 * one place that answers it, so a console setting or TLS can be layered on here.
 */
export class PublicUrl {
  private port: number;

  constructor(
    private readonly config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'tlsCertFile'>,
    private readonly lan: typeof lanAddresses = lanAddresses,
  ) {
    this.port = config.port;
  }

  /** Called once the HTTP server listens: with `PORT=0` the port is only known then. */
  listening(address: AddressInfo | string | null): void {
    if (address && typeof address === 'object') this.port = address.port;
  }

  base(): string {
    if (this.config.publicUrl) return this.config.publicUrl.replace(/\/+$/, '');
    return urlFor(this.listenHost(), this.port, this.config.tlsCertFile ? 'https' : 'http');
  }

  private listenHost(): string {
    if (!ANY_INTERFACE.has(this.config.host)) return this.config.host;
    // Read now, not at start: a laptop's address changes with the network it joins.
    return this.lan().find((a) => a.family === 'IPv4')?.address ?? '127.0.0.1';
  }
}
