import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PlanTable } from './accounts/plans.js';
import type { SecretBackend, SecretStoreInfo } from './secrets/store.js';
import type { EventBus, EventSink } from './events/types.js';
import type { RetrievalService } from './retrieval/types.js';
import type { LoginThrottles } from './accounts/throttles.js';
import type { RealtimeHub } from './realtime/hub.js';
import type { OpenStreams } from './realtime/sse.js';
import type { WidgetLimits } from './widget/limits.js';

/**
 * The long-lived services every route can reach through `ctx.deps`. Built once by `startServer`;
 * tests get the same object from the running server.
 */
export interface Deps {
  config: Config;
  db: Knex;
  log: Logger;
  jwtKey: Uint8Array;
  plans: PlanTable;
  secretStore: SecretStoreInfo;
  /** The secret store itself, for modules that keep their own keys (the webhook master key). */
  secrets: SecretBackend;
  /** Committed events fan out here (sockets, AI agent, SLA). */
  bus: EventBus;
  /** Writers that must commit with each event (the webhook outbox). */
  eventSinks: EventSink[];
  /** Offline KB retrieval (embeddings, HNSW, hybrid ranking); set when the `retrieval` module starts. */
  retrieval: RetrievalService;
  /** Failed sign-ins per IP and per email. */
  loginThrottles: LoginThrottles;
  /** The public widget's abuse limits. */
  widget: { limits: WidgetLimits };
  /** The fan-out to sockets and SSE streams, and the open streams (ended on shutdown). */
  realtime: { hub: RealtimeHub; streams: OpenStreams };
  /** ISO time source; replaced by a fake clock in tests that need one. */
  now: () => Date;
}
