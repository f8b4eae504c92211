import type { IncomingMessage } from 'node:http';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { LoginThrottle } from './accounts/throttles.js';
import type { PlanTable } from './accounts/plans.js';
import type { Backups } from './backups/service.js';
import type { ApiKeyUsage } from './api-keys/usage.js';
import type { ClientOrigin } from './client-address.js';
import type { Config } from './config.js';
import type { MessageWriter } from './conversations/message-writer.js';
import type { EventBus, EventSink } from './events/types.js';
import type { PublicUrl } from './public-url.js';
import type { ConnectionCaps } from './realtime/caps.js';
import type { OpenStreams, RealtimeHub } from './realtime/hub.js';
import type { TypingRelay } from './realtime/typing.js';
import type { RetrievalService } from './retrieval/types.js';
import type { MessageSearchIndexer } from './search/indexer.js';
import type { SecretStoreInfo } from './secrets/store.js';
import type { IdempotencyKeys } from './idempotency/service.js';
import type { Throttle } from './throttle.js';
import type { DestinationPolicy } from './webhooks/destinations.js';
import type { WebhookSubscriptions } from './webhooks/subscriptions.js';
import type { OutboxWorker } from './webhooks/worker.js';
import type { WidgetCaches } from './widget/caches.js';
import type { WidgetLimits } from './widget/limits.js';

/**
 * The long-lived services every route, service and worker reaches (routes through `ctx.deps`). Built once,
 * all of them, by `wireServer` (server/wiring.ts); tests get the same object from the running server.
 * Lower layers ask only for the parts they use (e.g. events/ takes an EventContext), which this satisfies.
 */
export interface Deps {
  config: Config;
  db: Knex;
  log: Logger;
  /** ISO time source; replaced by a fake clock in tests that need one. */
  now: () => Date;
  jwtKey: Uint8Array;
  /** The client's address and scheme, through the proxies NOVA_TRUST_PROXY trusts (requests, upgrades, streams alike). */
  clientOf(req: IncomingMessage): ClientOrigin;
  /** The base URL visitors' browsers use (widget snippets): NOVA_PUBLIC_URL, else the listen address. */
  publicUrl: PublicUrl;
  plans: PlanTable;
  secretStore: SecretStoreInfo;
  /** Committed events fan out here (sockets, AI agent, SLA). */
  bus: EventBus;
  /** Writers that must commit with each event (the webhook outbox). */
  eventSinks: EventSink[];
  /** Offline KB retrieval (embeddings, HNSW, hybrid ranking); started before the routes are served. */
  retrieval: RetrievalService;
  /** The group-commit writer every message goes through. */
  messages: MessageWriter;
  /** Brings SQLite's message search index up to date (in batches; before each search). */
  messageSearch: MessageSearchIndexer;
  /** The key websites' identity secrets are sealed with (derived from the master key: domains/identity-secret.ts). */
  domains: { identitySecretKey: Buffer };
  /** The master key webhook secrets are encrypted with, and the outbox's delivery worker (woken on resend). */
  webhooks: { masterKey: Buffer; outbox: OutboxWorker; destinations: DestinationPolicy; subscriptions: WebhookSubscriptions };
  /** The instance's backups: on demand, scheduled, listed with the last result. */
  backups: Backups;
  /** `Idempotency-Key` reservations and answers (KB imports, message posts). */
  idempotency: IdempotencyKeys;
  /** When each API key was last used (stamped at most once a minute). */
  apiKeyUsage: ApiKeyUsage;
  /** The sign-in guard (per address and e-mail pair, per address, per e-mail) and sign-ups per address; counters in the throttle store. */
  throttles: { login: LoginThrottle; signUp: Throttle };
  /** The public widget's abuse limits and its website/conversation caches. */
  widget: { limits: WidgetLimits; caches: WidgetCaches };
  /**
   * The fan-out to sockets and SSE streams, the open streams (ended on shutdown), the caps on live
   * connections, and the relay every typing indicator goes out through (rate-limited, coalescing).
   */
  realtime: { hub: RealtimeHub; streams: OpenStreams; caps: ConnectionCaps; typing: TypingRelay };
}
