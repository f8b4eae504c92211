import Router from '@koa/router';
import type { Middleware, Next } from 'koa';
import { requirePrincipal } from './auth.js';
import { readJsonBody } from './body.js';
import { readForm, type UploadedFile } from './multipart.js';
import { idempotencyOf, withoutIdempotency } from './idempotency.js';
import { successStatus, type AnyRoute, type AppContext } from './route.js';
import { notFound, validationFailed } from '../errors.js';
import { assertNoNul, isEmptyUpdate, parseId, validate } from '../validation.js';

/** The check of `access: 'widget'` routes (the widget module resolves the website: see widget/access.ts). */
export type WidgetAccess = (route: AnyRoute) => Middleware<AppContext['state'], AppContext>;

/** The middleware that enforces a route's `access` before anything else runs. */
function accessCheck(route: AnyRoute, widgetAccess: WidgetAccess) {
  if (route.access === 'public' || route.access === 'realtime') return [];
  if (route.access === 'widget') return [widgetAccess(route)];
  return [requirePrincipal(route.access)];
}

/**
 * Mounts route definitions on a koa router: access check (leaving the principal or the website on
 * `ctx.state`), path ids (404 unless plain decimal), then body and query validation (an empty PUT is
 * a 422), then the handler, whose return value is the response body (`undefined` → 204) with the route's
 * lowest 2xx status unless the handler set another 2xx.
 */
export function buildRouter(routes: AnyRoute[], widgetAccess: WidgetAccess): Router {
  const router = new Router();
  for (const route of routes) {
    const status = successStatus(route);
    router[route.method](route.path, ...accessCheck(route, widgetAccess), async (ctx: AppContext, _next: Next) => {
      const params = (ctx as AppContext & { params: Record<string, string> }).params;
      // Every path parameter is an id: a segment that is not one names nothing, before any body is read.
      if (Object.values(params).some((value) => parseId(value) === null)) throw notFound();
      assertNoNul(ctx.query);
      let body: unknown;
      let files: UploadedFile[] = [];
      if (route.form && route.body && ctx.is('multipart/form-data')) {
        const form = await readForm(ctx, route.form.body, route.form.limits(ctx.deps.config));
        files = form.files;
        body = files.length ? form.body : validate(route.body, form.body);
      } else if (route.body) {
        ctx.request.body = await readJsonBody(ctx, ctx.deps.config.bodyLimit);
        body = validate(route.body, ctx.request.body);
        if (route.method === 'put' && isEmptyUpdate(ctx.request.body))
          throw validationFailed([{ field: '(body)', message: 'send at least one field to change' }]);
      }
      const query = route.query ? validate(route.query, ctx.query) : undefined;
      const idempotently = route.idempotent ? idempotencyOf(ctx, status) : withoutIdempotency;
      const result = await route.handler(ctx, { body, query, params, idempotently, files });
      if (result === undefined) {
        if (ctx.body === undefined) ctx.status = 204;
        return;
      }
      // A handler that chose its own 2xx (201 created vs 200 already there) keeps it.
      if (!(ctx.status >= 200 && ctx.status < 300)) ctx.status = status;
      ctx.body = result;
    });
  }
  return router;
}
