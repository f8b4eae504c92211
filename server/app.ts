import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import type { Deps } from './deps.js';
import { docsMiddleware } from './docs/routes.js';
import { AppError } from './errors.js';
import { errorBody, errorMiddleware } from './http/error-response.js';
import { buildRouter } from './http/router.js';
import type { AnyRoute, AppContext, AppState } from './http/route.js';
import { routesOf } from './modules.js';
import type { ServerModule } from './http/server-module.js';
import { openApiDocument } from './openapi-document.js';
import { staticFiles } from './static/routes.js';
import { requireWebsite } from './widget/access.js';

/** The Koa application: logging, errors, static files, docs, then every module's routes. */
export function createApp(deps: Deps, modules: ServerModule[]): { app: Koa<AppState, { deps: Deps }>; routes: AnyRoute[] } {
  const app = new Koa<AppState, { deps: Deps }>({ proxy: false });
  app.context.deps = deps;
  // What fails after the handlers ran (a body stream): a client that went away mid-response (a closed tab, a
  // navigation) is routine and logged at debug; Koa's default handler would print each one to stderr.
  app.on('error', (err: NodeJS.ErrnoException, ctx?: AppContext) => {
    const clientGone = err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE';
    const entry = { err, req_id: ctx?.state.requestId, path: ctx?.path };
    if (clientGone) deps.log.debug(entry, 'client went away during the response');
    else deps.log.error(entry, 'response failed');
  });
  const routes = routesOf(modules);
  const router = buildRouter(routes, requireWebsite);

  app.use(async (ctx: AppContext, next) => {
    const started = performance.now();
    // Every later `ctx.ip` (throttles, caps, logs) is the client as NOVA_TRUST_PROXY says to read it.
    const client = deps.clientOf(ctx.req);
    ctx.request.ip = client.address;
    ctx.state.protocol = client.protocol;
    ctx.state.requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await next();
    } finally {
      deps.log.debug(
        {
          req_id: ctx.state.requestId,
          method: ctx.method,
          ip: ctx.ip,
          protocol: client.protocol,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  });
  app.use(errorMiddleware(deps.log));
  for (const module of modules) if (module.middleware) app.use(module.middleware);
  app.use(staticFiles());
  app.use(docsMiddleware(openApiDocument(modules)));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(async (ctx: AppContext) => {
    // Whatever no route answered: JSON errors, never Koa's plain-text defaults.
    if (ctx.body !== undefined && ctx.status !== 404) return;
    // A path some route serves with another method is a 405 naming the allowed ones (OPTIONS is left to allowedMethods).
    const matched = router.match(ctx.path, ctx.method);
    const allowed = [...new Set(matched.path.flatMap((layer) => layer.methods))];
    const error =
      allowed.length > 0 && !matched.route && ctx.method !== 'OPTIONS'
        ? new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}.`, undefined, { Allow: allowed.join(', ') })
        : new AppError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}.`);
    ctx.set(error.headers);
    ctx.status = error.status;
    ctx.body = errorBody(error);
  });
  return { app, routes };
}
