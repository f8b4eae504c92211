import type { Logger } from 'pino';
import { startServer, type RunningServer } from '../server/index.js';
import type { SecretBackend, SecretBackendName } from '../server/secrets/backend.js';
import { lanAddresses, urlFor, type LanAddress } from '../server/lan.js';
import { choosePort } from './ports.js';

export const DEFAULT_PORT = 8080;
const LOOPBACK = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

/** The PEM files the server speaks HTTPS with; null: plain HTTP (unless NOVA_TLS_CERT/NOVA_TLS_KEY say otherwise). */
export type TlsFiles = { certFile: string; keyFile: string } | null;

export type ServerStatus = {
  state: ServerState;
  /** Where this machine opens the console (always loopback). */
  url: string | null;
  port: number | null;
  host: string | null;
  serveLan: boolean;
  /** Addresses to paste into websites; empty unless serving the LAN. */
  lanUrls: string[];
  /** The certificate and key in use when the server speaks HTTPS, else null. */
  tls: TlsFiles;
  secretStore: SecretBackendName | null;
  error: string | null;
};

export type LifecycleOptions = {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Secret backends between the keychain and the file (the shell passes safeStorage). */
  secretBackends?: SecretBackend[];
  logger?: Logger;
  /** The machine's LAN addresses; tests pass a fixed list. */
  lanAddresses?: () => LanAddress[];
};

/**
 * Runs the embedded server inside the desktop process: one at a time, on loopback or on every interface,
 * restarted (same port when it is still free) when the LAN switch changes. Status changes are pushed to
 * listeners (tray, console window).
 */
export class ServerLifecycle {
  private server: RunningServer | null = null;
  private lastPort: number | null = null;
  private current: ServerStatus;
  private readonly listeners = new Set<(status: ServerStatus) => void>();
  /** Serialises start/stop/restart so a double click on the LAN switch cannot start two servers. */
  private queue: Promise<unknown> = Promise.resolve();
  private tls: TlsFiles = null;

  constructor(private readonly options: LifecycleOptions) {
    this.current = {
      state: 'stopped',
      url: null,
      port: null,
      host: null,
      serveLan: false,
      lanUrls: [],
      tls: null,
      secretStore: null,
      error: null,
    };
  }

  status(): ServerStatus {
    return { ...this.current, lanUrls: [...this.current.lanUrls] };
  }

  onChange(listener: (status: ServerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * `preferredPort` is tried first (PORT, else the port used last time, else 8080), then any free port. `tls`:
   * the desktop settings' certificate and key (they win over NOVA_TLS_CERT/NOVA_TLS_KEY).
   */
  start(serveLan: boolean, preferredPort = DEFAULT_PORT, tls: TlsFiles = null): Promise<ServerStatus> {
    this.tls = tls;
    return this.enqueue(() => this.doStart(serveLan, preferredPort));
  }

  /** Restarts on the other host, keeping the port when possible so URLs already handed out stay valid. */
  setServeLan(serveLan: boolean): Promise<ServerStatus> {
    return this.restart(serveLan);
  }

  /** Restarts with another certificate and key (or none), same host and port. */
  setTls(tls: TlsFiles): Promise<ServerStatus> {
    this.tls = tls;
    return this.restart(this.current.serveLan);
  }

  private restart(serveLan: boolean): Promise<ServerStatus> {
    return this.enqueue(async () => {
      const port = this.lastPort ?? DEFAULT_PORT;
      await this.doStop();
      return this.doStart(serveLan, port);
    });
  }

  /** Drains in-flight requests, stops workers and closes the database. */
  stop(): Promise<ServerStatus> {
    return this.enqueue(() => this.doStop());
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async doStart(serveLan: boolean, preferredPort: number): Promise<ServerStatus> {
    if (this.server) return this.status();
    const host = serveLan ? ALL_INTERFACES : LOOPBACK;
    this.update({ state: 'starting', serveLan, error: null });
    try {
      const port = await choosePort(preferredPort, host);
      const env = this.options.env ?? process.env;
      this.server = await startServer({
        env,
        dataDir: this.options.dataDir,
        host,
        port,
        logger: this.options.logger,
        extraSecretBackends: this.options.secretBackends,
        ...(this.tls ? { tlsCertFile: this.tls.certFile, tlsKeyFile: this.tls.keyFile } : {}),
      });
      const s = this.server;
      this.lastPort = s.port;
      const { tlsCertFile, tlsKeyFile } = s.config;
      const tls = tlsCertFile && tlsKeyFile ? { certFile: tlsCertFile, keyFile: tlsKeyFile } : null;
      // 0.0.0.0 accepts IPv4 only, so only IPv4 addresses are offered.
      const lanUrls = serveLan
        ? (this.options.lanAddresses ?? lanAddresses)()
            .filter((a) => a.family === 'IPv4')
            .map((a) => urlFor(a.address, s.port, tls ? 'https' : 'http'))
        : [];
      return this.update({
        state: 'running',
        url: s.url,
        port: s.port,
        host: s.host,
        lanUrls,
        tls,
        secretStore: s.deps.secretStore.backend,
      });
    } catch (err) {
      this.server = null;
      return this.update({ state: 'failed', url: null, port: null, host: null, lanUrls: [], tls: null, error: (err as Error).message });
    }
  }

  private async doStop(): Promise<ServerStatus> {
    const server = this.server;
    if (!server) return this.status();
    this.server = null;
    await server.close();
    return this.update({ state: 'stopped', url: null, port: null, host: null, lanUrls: [], tls: null });
  }

  private update(change: Partial<ServerStatus>): ServerStatus {
    this.current = { ...this.current, ...change };
    const snapshot = this.status();
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }
}
