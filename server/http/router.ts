import Router from '@koa/router';
import type { Next } from 'koa';
import { requirePrincipal } from './auth.js';
import { readJsonBody } from './body.js';
import { successStatus, type AnyRoute, type AppContext } from './route.js';
import { assertNoNul, validate } from '../validation.js';

/**
 * Mounts route definitions on a koa router: access check, then body and query validation, then the
 * handler, whose return value is the response body (`undefined` → 204).
 */
export function buildRouter(routes: AnyRoute[]): Router {
  const router = new Router();
  for (const route of routes) {
    const status = successStatus(route);
    const access = route.access === 'public' || route.access === 'widget' ? [] : [requirePrincipal(route.access)];
    router[route.method](route.path, ...access, async (ctx: AppContext, _next: Next) => {
      assertNoNul(ctx.query);
      let body: unknown;
      if (route.body) {
        ctx.request.body = await readJsonBody(ctx, ctx.deps.config.bodyLimit);
        body = validate(route.body, ctx.request.body);
      }
      const query = route.query ? validate(route.query, ctx.query) : undefined;
      const result = await route.handler(ctx, { body, query, params: (ctx as AppContext & { params: Record<string, string> }).params });
      if (result === undefined) {
        if (ctx.body === undefined) ctx.status = 204;
        return;
      }
      ctx.status = status;
      ctx.body = result;
    });
  }
  return router;
}
