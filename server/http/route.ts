import type { ParameterizedContext } from 'koa';
import type { ZodType } from 'zod';
import type { Deps } from '../deps.js';
import type { Access } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import type { DomainRow } from '../domains/repo.js';
import type { Config } from '../config.js';
import type { Idempotently } from './idempotency.js';
import type { FormLimits, UploadedFile } from './multipart.js';

/** What one request carries between middleware and handler. */
export type AppState = {
  requestId?: string;
  /** `http` or `https` as the client used it (through a trusted proxy: its `X-Forwarded-Proto`). */
  protocol?: 'http' | 'https';
  /** The signed-in user or API key (routes whose access is not public, widget or realtime). */
  principal?: Principal;
  /** The website of a `widget` route, resolved from `?website_token=` by the router. */
  website?: DomainRow;
  /** The cached lookup of `?website_token=`, shared by the CORS check and the router (null: missing or unknown). */
  websiteLookup?: DomainRow | null;
};
export type AppContext = ParameterizedContext<AppState, { deps: Deps }>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type RouteInput<B, Q> = {
  body: B;
  query: Q;
  params: Record<string, string>;
  /** For `idempotent` routes: runs the write once per `Idempotency-Key` (see http/idempotency.ts); elsewhere it just runs it. */
  idempotently: Idempotently;
  /** For `form` routes sent as multipart: the files, in memory, not yet checked (`[]` for a JSON body). */
  files: UploadedFile[];
};

export interface RouteDef<B = unknown, Q = unknown> {
  method: HttpMethod;
  /** Koa-router path, e.g. `/nc-api/v1/agents/:id`; every `:param` is an id (plain decimal: the router 404s anything else). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** `widget` routes whose answer depends on the website's current settings read it uncached. */
  freshWebsite?: boolean;
  /** Takes an `Idempotency-Key` header: the handler wraps its write in `input.idempotently` (documented in the spec). */
  idempotent?: boolean;
  /** JSON body schema: the route receives the parsed, validated value. */
  body?: ZodType<B>;
  /** Query schema: strings in, coerced values out. */
  query?: ZodType<Q>;
  /**
   * Also takes `multipart/form-data`: the same fields, checked by `form.body` (which may let `content` be empty
   * when files come with it; without files `body` applies), plus files under `form.limits.fileField`.
   */
  form?: { body: ZodType<NoInfer<B>>; limits: (config: Config) => FormLimits; description: string };
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
