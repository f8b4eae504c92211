import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PlanTable } from './accounts/plans.js';
import type { SecretStoreInfo } from './secrets/store.js';

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
  /** ISO time source; replaced by a fake clock in tests that need one. */
  now: () => Date;
}
