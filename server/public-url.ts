import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { lanAddresses, urlFor } from './lan.js';

const ANY_INTERFACE = new Set(['0.0.0.0', '::', '']);

/** Where the base URL in use comes from: the server's environment, the instance owner's setting, or the listen address. */
export type PublicUrlSource = 'environment' | 'setting' | 'listen_address';

export type PublicUrlState = {
  inUse: string;
  source: PublicUrlSource;
  /** NOVA_PUBLIC_URL when set: it wins over the owner's setting. */
  fromServer: string | undefined;
  /** The owner's setting (stored in the database, so every server of one database agrees). */
  setting: string | undefined;
};

/**
 * "The base URL visitors' browsers use" (no trailing slash), for widget snippets and any link handed to
 * a website: `NOVA_PUBLIC_URL` when set (a reverse proxy, a DNS name), else the instance owner's setting from
 * the console, else the address this server listens on — its first LAN address when it listens on every
 * interface, so a snippet works from the office's other machines; `https` when it speaks TLS. Never the
 * request's `Host` header: any client can send any Host. This is the one place that answers it.
 */
export class PublicUrl {
  private port: number;

  constructor(
    private readonly config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'tlsCertFile'>,
    /** Reads the owner's stored setting (read each time: another server may have changed it). */
    private readonly storedSetting: () => Promise<string | undefined> = async () => undefined,
    private readonly lan: typeof lanAddresses = lanAddresses,
  ) {
    this.port = config.port;
  }

  /** Called once the HTTP server listens: with `PORT=0` the port is only known then. */
  listening(address: AddressInfo | string | null): void {
    if (address && typeof address === 'object') this.port = address.port;
  }

  async base(): Promise<string> {
    return (await this.state()).inUse;
  }

  async state(): Promise<PublicUrlState> {
    const fromServer = this.config.publicUrl?.replace(/\/+$/, '');
    const setting = await this.storedSetting();
    if (fromServer) return { inUse: fromServer, source: 'environment', fromServer, setting };
    if (setting) return { inUse: setting, source: 'setting', fromServer, setting };
    return { inUse: this.listenAddress(), source: 'listen_address', fromServer, setting };
  }

  /** The server's own address as visitors on its network reach it. */
  listenAddress(): string {
    return urlFor(this.listenHost(), this.port, this.config.tlsCertFile ? 'https' : 'http');
  }

  private listenHost(): string {
    if (!ANY_INTERFACE.has(this.config.host)) return this.config.host;
    // Read now, not at start: a laptop's address changes with the network it joins.
    return this.lan().find((a) => a.family === 'IPv4')?.address ?? '127.0.0.1';
  }
}
