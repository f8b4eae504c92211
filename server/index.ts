import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { loadPlans } from './accounts/plans.js';
import { createApp } from './app.js';
import type { AnyRoute } from './http/route.js';
import { loadConfig, type Config, type ConfigOverrides } from './config.js';
import { connectDatabase, migrate } from './db/knex.js';
import type { Deps } from './deps.js';
import { createLogger } from './logger.js';
import { InMemoryEventBus } from './events/bus.js';
import { serverModules, type ServerModule } from './modules.js';
import { retrievalNotStarted } from './retrieval/module.js';
import { createLoginThrottles } from './accounts/throttles.js';
import { RealtimeHub } from './realtime/hub.js';
import { WidgetLimits } from './widget/limits.js';
import { getOrCreateSecret, openSecretStore, type SecretBackend } from './secrets/store.js';

export type StartOptions = ConfigOverrides & {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Secret backends tried between the keychain and the file (the desktop shell passes safeStorage). */
  extraSecretBackends?: SecretBackend[];
  now?: () => Date;
};

export type RunningServer = {
  url: string;
  port: number;
  host: string;
  config: Config;
  deps: Deps;
  /** Every mounted route definition (tests derive their per-route checks from it). */
  routes: AnyRoute[];
  /** Stops accepting connections, lets in-flight requests finish, stops workers, closes the database. */
  close(): Promise<void>;
};

const DRAIN_TIMEOUT_MS = 10_000;

/** Starts the whole server: data dir, migrations, secrets, modules, HTTP. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { env = process.env, logger, ...rest } = options;
  const config = loadConfig(env, stripStartOnly(rest));
  const log = logger ?? createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const db = connectDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const started: ServerModule[] = [];
  try {
    return await startOn(db, config, log, options, started);
  } catch (err) {
    // A failed start (port taken, bad plans file…) must not leave workers running or the database open.
    for (const module of started.reverse()) await module.stop?.();
    await db.destroy();
    throw err;
  }
}

function stripStartOnly(options: StartOptions): ConfigOverrides {
  const { extraSecretBackends: _backends, now: _now, ...overrides } = options;
  return overrides;
}

async function startOn(db: Knex, config: Config, log: Logger, options: StartOptions, started: ServerModule[]): Promise<RunningServer> {
  await migrate(db);
  const { store, info } = await openSecretStore({
    dataDir: config.dataDir,
    mode: config.secretStore,
    extraBackends: options.extraSecretBackends,
  });
  log.info({ secret_store: info.backend, unavailable: info.tried }, `secrets kept in: ${info.backend}`);
  const jwtSecret = await getOrCreateSecret(store, 'jwt-secret');

  const bus = new InMemoryEventBus(log);
  const now = options.now ?? (() => new Date());
  const deps: Deps = {
    config,
    db,
    log,
    jwtKey: new TextEncoder().encode(jwtSecret),
    plans: loadPlans(config.plansFile),
    secretStore: info,
    secrets: store,
    bus,
    eventSinks: [],
    retrieval: retrievalNotStarted,
    loginThrottles: createLoginThrottles(config),
    widget: { limits: new WidgetLimits(config) },
    realtime: { hub: new RealtimeHub({ db, bus, now }), streams: new Set() },
    now,
  };

  const modules = serverModules();
  const { app, routes } = createApp(deps, modules);
  for (const module of modules) {
    await module.start?.(deps);
    started.push(module);
  }

  const server = http.createServer(app.callback());
  const attachments = started.flatMap((module) => (module.attach ? [module.attach(server, deps)] : []));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    for (const attachment of attachments) await attachment.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;
  log.info({ url, data_dir: config.dataDir, database: config.databaseUrl ? 'postgres' : 'sqlite' }, 'server listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Long-lived connections (WebSockets, SSE) end first, or draining would wait for them.
      for (const attachment of attachments) await attachment.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await drained;
      clearTimeout(timer);
      for (const module of [...started].reverse()) await module.stop?.();
      await db.destroy();
      log.info('server stopped');
    })());

  return { url, port, host: config.host, config, deps, routes, close };
}
