import type { Server } from 'node:http';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { loadPlans } from './accounts/plans.js';
import { LoginThrottle } from './accounts/throttles.js';
import { AiAgent } from './ai-agent/agent.js';
import { ApiKeyUsage } from './api-keys/usage.js';
import { Backups } from './backups/service.js';
import { backupSourceOf, backupsDirOf, readInstanceSecrets } from './backups/take.js';
import type { Config } from './config.js';
import { MessageWriter } from './conversations/message-writer.js';
import type { Deps } from './deps.js';
import { InMemoryEventBus } from './events/bus.js';
import { PostgresEventBus } from './events/postgres-bus.js';
import { PostgresNotifications } from './db/notifications.js';
import { IdempotencyKeys } from './idempotency/service.js';
import { PublicUrl } from './public-url.js';
import { readSetting } from './instance/repo.js';
import { ConnectionCaps } from './realtime/caps.js';
import { RealtimeHub } from './realtime/hub.js';
import { TypingRelay } from './realtime/typing.js';
import { RealtimeSockets } from './realtime/websocket.js';
import { INDEX_CHANGES_CHANNEL } from './retrieval/repo.js';
import { createRetrieval } from './retrieval/setup.js';
import { MessageSearchIndexer } from './search/indexer.js';
import type { SecretBackend } from './secrets/backend.js';
import { getOrCreateSecret, type SecretStoreInfo } from './secrets/store.js';
import { BreachChecker } from './sla/checker.js';
import { loadWebhookMasterKey } from './webhooks/crypto.js';
import { deriveIdentitySecretKey } from './domains/identity-secret.js';
import { DestinationPolicy } from './webhooks/destinations.js';
import { outboxSink } from './webhooks/outbox.js';
import { WebhookSubscriptions } from './webhooks/subscriptions.js';
import { OutboxWorker, outboxSettings } from './webhooks/worker.js';
import { WidgetCaches } from './widget/caches.js';
import { WidgetLimits } from './widget/limits.js';
import { createThrottleStore, Throttle } from './throttle.js';
import { clientOrigin, trustFunction } from './client-address.js';

/** Background work with a lifecycle: started after migrations, in order; stopped (drained) in reverse, before the database closes. */
export type BackgroundService = { name: string; start(): Promise<void> | void; stop(): Promise<void> | void };

export type Wiring = {
  deps: Deps;
  services: BackgroundService[];
  /** Hooks into the HTTP server once it exists (its listen address, WebSocket upgrades); `close` runs first on shutdown, before draining. */
  attach(server: Server): { close(): Promise<void> };
};

export type WiringInput = {
  config: Config;
  db: Knex;
  log: Logger;
  now: () => Date;
  secrets: SecretBackend;
  secretStore: SecretStoreInfo;
};

/**
 * Builds every long-lived object of a server, in one place: the event bus and its transactional sinks,
 * retrieval, the message writer and search indexer, the webhook outbox with its key and destination rules, the idempotency
 * keys, the backups, the widget's caches and limits, the
 * realtime hub with its connection caps and typing relay, the AI agent and the SLA check. Nothing runs
 * yet: `services` start them.
 */
export async function wireServer({ config, db, log, now, secrets, secretStore }: WiringInput): Promise<Wiring> {
  const jwtKey = new TextEncoder().encode(await getOrCreateSecret(secrets, 'jwt-secret'));
  const masterKey = await loadWebhookMasterKey(secrets);
  const identitySecretKey = deriveIdentitySecretKey(masterKey);
  // Several servers may share a PostgreSQL database: their events meet there (LISTEN/NOTIFY); SQLite has one process.
  const notifications = config.databaseUrl
    ? new PostgresNotifications(config.databaseUrl, log.child({ module: 'notifications' }))
    : undefined;
  const postgresBus = notifications && new PostgresEventBus(db, notifications, log.child({ module: 'events' }));
  const bus = postgresBus ?? new InMemoryEventBus(log);
  const destinations = new DestinationPolicy({ allowed: config.webhookAllowedNetworks, blocked: config.webhookBlockedNetworks });
  const outbox = new OutboxWorker(db, masterKey, destinations, outboxSettings(config), log.child({ module: 'webhooks' }));
  const subscriptions = new WebhookSubscriptions({ oneProcess: !config.databaseUrl });
  const eventSinks = [outboxSink(subscriptions, () => outbox.wake())];
  const idempotency = new IdempotencyKeys(db, now, log.child({ module: 'idempotency' }));
  const retrieval = createRetrieval(config, db, log.child({ module: 'retrieval' }));
  // Other servers' index writes are announced: reloaded at once (and after a reconnect), the poll as a fallback.
  notifications?.listen(INDEX_CHANGES_CHANNEL, { onNotification: () => retrieval.syncSoon(), onListening: () => retrieval.syncSoon() });
  // One store for every throttle: memory on SQLite, the rate_limits table on PostgreSQL (shared by all nodes).
  const throttleStore = createThrottleStore(db);
  const typing = new TypingRelay({ bus, now }, config.realtimeTypingIntervalMs);
  const trustedProxy = trustFunction(config.trustProxy);
  const backups = new Backups({
    db,
    log: log.child({ module: 'backups' }),
    now,
    dir: backupsDirOf(config.dataDir),
    source: backupSourceOf(config, db, () => readInstanceSecrets(secrets)),
    intervalHours: config.backupIntervalHours,
    keep: config.backupKeep,
  });
  const deps: Deps = {
    config,
    db,
    log,
    now,
    jwtKey,
    clientOf: (req) => clientOrigin(req, trustedProxy),
    publicUrl: new PublicUrl(config, () => readSetting(db, 'public_url')),
    plans: loadPlans(config.plansFile),
    secretStore,
    bus,
    eventSinks,
    retrieval,
    messages: new MessageWriter({ db, bus, eventSinks, now }),
    messageSearch: new MessageSearchIndexer(db, bus, log.child({ module: 'search' })),
    domains: { identitySecretKey },
    webhooks: { masterKey, outbox, destinations, subscriptions },
    backups,
    idempotency,
    apiKeyUsage: new ApiKeyUsage(db),
    throttles: {
      login: new LoginThrottle(throttleStore, config),
      signUp: new Throttle(
        throttleStore,
        'signup_address',
        config.signupsPerAddress,
        config.signupWindowSeconds,
        'Too many sign-ups from this address; try again later.',
      ),
    },
    widget: { limits: new WidgetLimits(throttleStore, config), caches: new WidgetCaches() },
    realtime: { hub: new RealtimeHub({ db, bus, typing }), streams: new Set(), caps: new ConnectionCaps(config), typing },
  };
  const aiAgent = new AiAgent(deps);
  const breachChecker = new BreachChecker(deps, log.child({ module: 'sla' }));

  const services: BackgroundService[] = [
    // First: listening before anything records events; stopped last, after the services that publish.
    ...(notifications && postgresBus
      ? [
          {
            name: 'notifications',
            start: () => notifications.start(),
            stop: async () => {
              await postgresBus.close();
              await notifications.stop();
            },
          },
        ]
      : []),
    {
      name: 'retrieval',
      start: async () => {
        await retrieval.start();
        log.info(retrieval.status(), 'retrieval ready');
      },
      stop: () => retrieval.close(),
    },
    // Stopped after the services that write messages, leaving the search index complete.
    { name: 'search', start: () => deps.messageSearch.start(), stop: () => deps.messageSearch.stop() },
    { name: 'webhooks', start: () => outbox.start(), stop: () => outbox.stop() },
    { name: 'idempotency', start: () => idempotency.start(), stop: () => idempotency.stop() },
    { name: 'sla', start: () => breachChecker.start(), stop: () => breachChecker.stop() },
    { name: 'backups', start: () => backups.start(), stop: () => backups.stop() },
    // Last: it stops (draining its replies) before the services it uses.
    { name: 'ai-agent', start: () => aiAgent.start(), stop: () => aiAgent.stop() },
  ];

  const attach = (server: Server) => {
    server.on('listening', () => deps.publicUrl.listening(server.address()));
    const { hub, streams } = deps.realtime;
    const sockets = new RealtimeSockets(deps, hub, server);
    return {
      close: async () => {
        for (const stream of streams) stream.end();
        await sockets.close();
        hub.close();
        typing.close();
      },
    };
  };
  return { deps, services, attach };
}
