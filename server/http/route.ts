import type { ParameterizedContext } from 'koa';
import type { ZodType } from 'zod';
import type { Deps } from '../deps.js';
import type { Principal } from './auth.js';

/**
 * Who may call a route:
 * - `public`: anyone (register, login, health);
 * - `widget`: the public widget API; the route checks the website/conversation token itself;
 * - `member`: any signed-in user or API key of the account (a `read` key only for GET);
 * - `admin`: account owner/admin users, or API keys (a `read` key only for GET);
 * - `user`: signed-in users only, never API keys (API keys cannot manage API keys);
 * - `admin_user`: owner/admin users only;
 * - `instance_admin`: the owner of the instance (the first account's owner).
 */
export type Access = 'public' | 'widget' | 'member' | 'admin' | 'user' | 'admin_user' | 'instance_admin';

export type AppState = { principal?: Principal; requestId?: string };
export type AppContext = ParameterizedContext<AppState, { deps: Deps }>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type RouteInput<B, Q> = { body: B; query: Q; params: Record<string, string> };

export interface RouteDef<B = unknown, Q = unknown> {
  method: HttpMethod;
  /** Koa-router path, e.g. `/nc-api/v1/agents/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** JSON body schema: the route receives the parsed, validated value. */
  body?: ZodType<B>;
  /** Query schema: strings in, coerced values out. */
  query?: ZodType<Q>;
  /** Media types the route reads itself (CSV, multipart): listed in the spec, body left unparsed. */
  rawBody?: { contentTypes: string[]; /** Spec-only schemas per media type. */ schemas?: Record<string, ZodType> };
  /** Keyed by status; the lowest 2xx is the status a successful handler answers with. */
  responses: Record<number, { description: string; schema?: ZodType }>;
  handler: (ctx: AppContext, input: RouteInput<B, Q>) => unknown | Promise<unknown>;
}

/** Identity function that keeps the body/query types of a route definition inferred. */
export function defineRoute<B = undefined, Q = undefined>(def: RouteDef<B, Q>): RouteDef<B, Q> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any>;

export function successStatus(route: AnyRoute): number {
  const codes = Object.keys(route.responses)
    .map(Number)
    .filter((code) => code >= 200 && code < 300);
  return codes.length ? Math.min(...codes) : 200;
}
