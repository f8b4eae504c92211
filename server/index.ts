import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { AnyRoute } from './http/route.js';
import { loadConfig, type Config, type ConfigOverrides } from './config.js';
import { prepareDataDir } from './data-dir.js';
import { backupSourceOf, backupsDirOf, readInstanceSecrets } from './backups/take.js';
import { migrateWithBackup } from './backups/upgrade.js';
import { connectDatabase, withMigrationLock } from './db/knex.js';
import type { Deps } from './deps.js';
import { createLogger } from './logger.js';
import { serverModules } from './modules.js';
import { wireServer, type BackgroundService } from './wiring.js';
import { sealStoredIdentitySecrets } from './domains/identity-secret.js';
import { urlFor } from './lan.js';
import type { SecretBackend } from './secrets/backend.js';
import { openInstanceSecrets, openSecretStore } from './secrets/store.js';
import { CertificateReloader, loadPair } from './tls.js';

export type StartOptions = ConfigOverrides & {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Secret backends tried between the keychain and the file (the desktop shell passes safeStorage). */
  extraSecretBackends?: SecretBackend[];
  now?: () => Date;
  /** The migrations to run instead of the production list: the seam tests inject a failing migration through. */
  migrationSource?: Knex.MigrationSource<unknown>;
};

export type RunningServer = {
  url: string;
  port: number;
  host: string;
  config: Config;
  deps: Deps;
  /** Every mounted route definition (tests derive their per-route checks from it). */
  routes: AnyRoute[];
  /**
   * Reads the TLS certificate and key again (what SIGHUP does; a change of either file does it by itself):
   * true when the new pair is in use, false when it did not load and the old one was kept (or no TLS).
   */
  reloadTls(): boolean;
  /** Stops accepting connections, lets in-flight requests finish, stops workers, closes the database. */
  close(): Promise<void>;
};

const DRAIN_TIMEOUT_MS = 10_000;

/** Starts the whole server: data dir, migrations, secrets, the wired services (server/wiring.ts), HTTP. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { env = process.env, logger, ...rest } = options;
  const config = loadConfig(env, stripStartOnly(rest));
  const log = logger ?? createLogger(config.logLevel);
  prepareDataDir(config.dataDir, { sqlite: !config.databaseUrl });
  const db = connectDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const started: BackgroundService[] = [];
  try {
    return await startOn(db, config, log, options, started);
  } catch (err) {
    // A failed start (port taken, bad plans file…) must not leave workers running or the database open.
    for (const service of started.reverse()) await service.stop();
    await db.destroy();
    throw err;
  }
}

function stripStartOnly(options: StartOptions): ConfigOverrides {
  const { extraSecretBackends: _backends, now: _now, migrationSource: _migrations, ...overrides } = options;
  return overrides;
}

async function startOn(db: Knex, config: Config, log: Logger, options: StartOptions, started: BackgroundService[]): Promise<RunningServer> {
  // Before anything else: a missing or mismatched certificate stops the start naming the file.
  const certificate =
    config.tlsCertFile && config.tlsKeyFile
      ? new CertificateReloader(
          { certFile: config.tlsCertFile, keyFile: config.tlsKeyFile },
          loadPair({ certFile: config.tlsCertFile, keyFile: config.tlsKeyFile }),
          log,
        )
      : undefined;
  const now = options.now ?? (() => new Date());
  const secretOptions = { dataDir: config.dataDir, mode: config.secretStore, extraBackends: options.extraSecretBackends };
  // Before an upgrade's migrations run, a backup: the secrets as this machine keeps them (sealed ones are in the database).
  const localSecrets = async () => readInstanceSecrets((await openSecretStore(secretOptions)).store);
  const preUpgrade = await withMigrationLock(db, () =>
    migrateWithBackup({
      db,
      log,
      now,
      dir: backupsDirOf(config.dataDir),
      source: backupSourceOf(config, db, localSecrets),
      migrationSource: options.migrationSource,
    }),
  );
  const { store, info } = await openInstanceSecrets({
    db,
    secretKey: config.secretKey,
    dataDir: config.dataDir,
    mode: config.secretStore,
    extraBackends: options.extraSecretBackends,
  });
  log.info({ secret_store: info.backend, unavailable: info.tried }, `secrets kept in: ${info.backend}`);
  const { deps, services, attach } = await wireServer({
    config,
    db,
    log,
    now,
    secrets: store,
    secretStore: info,
  });

  if (preUpgrade) await deps.backups.record(preUpgrade);
  // Websites bound by releases that stored identity secrets in clear get them sealed now.
  const sealed = await sealStoredIdentitySecrets(deps.db, deps.domains.identitySecretKey);
  if (sealed) log.info({ websites: sealed }, 'identity secrets sealed');

  const { app, routes } = createApp(deps, serverModules());
  for (const service of services) {
    await service.start();
    started.push(service);
  }

  // One port, HTTPS or HTTP: the API, the console, WebSocket upgrades and SSE all ride the same server.
  const server = certificate ? https.createServer(certificate.serverOptions(), app.callback()) : http.createServer(app.callback());
  const attachments = [attach(server)];
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    for (const attachment of attachments) await attachment.close();
    throw err;
  }
  if (certificate && server instanceof https.Server) certificate.attach(server);
  const port = (server.address() as AddressInfo).port;
  const url = urlFor(config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host, port, certificate ? 'https' : 'http');
  log.info(
    {
      url,
      data_dir: config.dataDir,
      database: config.databaseUrl ? 'postgres' : 'sqlite',
      tls: certificate ? { subject: certificate.current.subject, valid_to: certificate.current.validTo } : false,
      trust_proxy: config.trustProxy,
    },
    'server listening',
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      certificate?.close();
      // Long-lived connections (WebSockets, SSE) end first, or draining would wait for them.
      for (const attachment of attachments) await attachment.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await drained;
      clearTimeout(timer);
      for (const service of [...started].reverse()) await service.stop();
      await db.destroy();
      log.info('server stopped');
    })());

  const reloadTls = () => certificate?.reload('reload requested') ?? false;
  return { url, port, host: config.host, config, deps, routes, reloadTls, close };
}
