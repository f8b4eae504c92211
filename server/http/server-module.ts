import type { Next } from 'koa';
import type { AnyRoute, AppContext } from './route.js';

/**
 * A domain module as the HTTP app sees it: its routes (plain data, so the OpenAPI document is built
 * without a running server), the section it adds to the API docs' introduction, and any middleware.
 * Its long-lived objects and background work are built and started by server/wiring.ts.
 */
export interface ServerModule {
  name: string;
  routes: AnyRoute[];
  /** A section of the API docs' introduction (a protocol no single route describes, e.g. webhook signatures). */
  docs?: string;
  /** Middleware mounted before every route (e.g. CORS of the public widget routes). */
  middleware?: (ctx: AppContext, next: Next) => Promise<unknown>;
}
