import type { Next } from 'koa';
import { forbidden } from '../errors.js';
import type { AppContext } from '../http/route.js';
import { isBoundOrigin } from '../domains/repo.js';
import { websiteOfRequest } from './access.js';

/** The public routes a bound website's pages call from the browser. */
export const isWidgetCorsPath = (path: string) => path.startsWith('/api/v1/widget/') || path === '/realtime/sse';

const ALLOWED_HEADERS = 'Content-Type, X-Conversation-Token, Authorization, Last-Event-ID';

/** The widget scripts a bound website's page loads with `<script src>` (served from dist/public). */
const WIDGET_SCRIPTS = new Set(['/widget.js', '/nova-widget-sdk-v2.js']);

/**
 * Private Network Access: a preflight that asks `Access-Control-Request-Private-Network: true` (a public
 * page reaching this box on the visitor's LAN, in the Chromium releases that sent them) is told yes. Chromium
 * 156 no longer asks; it needs the visitor's Local Network Access permission instead (README, Deployment).
 */
function allowPrivateNetwork(ctx: AppContext): void {
  if (ctx.get('access-control-request-private-network').toLowerCase() === 'true') ctx.set('Access-Control-Allow-Private-Network', 'true');
}

/**
 * CORS for the widget API: only the origin of the website the `?website_token=` is bound to gets
 * `Access-Control-Allow-Origin`; a preflight from any other origin is a 403. Everything else (the
 * management API) gets no CORS headers at all, so browsers keep other sites out of it. Preflights of the
 * widget scripts are answered for any bound origin.
 */
export function widgetCors() {
  return async (ctx: AppContext, next: Next) => {
    if (ctx.method === 'OPTIONS' && WIDGET_SCRIPTS.has(ctx.path)) {
      ctx.vary('Origin');
      return scriptPreflight(ctx);
    }
    if (!isWidgetCorsPath(ctx.path)) return next();
    ctx.vary('Origin');
    const origin = ctx.get('origin');
    const domain = origin ? await websiteOfRequest(ctx) : null;
    // Bound website_urls are stored as serialised origins, the form browsers send in `Origin`.
    const allowed = Boolean(domain && origin === domain.website_url);
    if (ctx.method === 'OPTIONS') {
      if (!allowed) throw forbidden('origin_not_allowed', 'This origin is not the website bound to this website token.');
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      ctx.set('Access-Control-Max-Age', '600');
      allowPrivateNetwork(ctx);
      ctx.status = 204;
      return;
    }
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', 'Retry-After');
    }
    return next();
  };
}

/**
 * A preflight of a widget script: it carries no website token, so an origin some account has bound is
 * answered (with Private Network Access), any other origin gets a 403. Plain GETs are the static files'.
 */
async function scriptPreflight(ctx: AppContext): Promise<void> {
  const origin = ctx.get('origin');
  if (!origin || !(await isBoundOrigin(ctx.deps.db, origin)))
    throw forbidden('origin_not_allowed', 'This origin is not a website bound on this server.');
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Allow-Methods', 'GET, OPTIONS');
  ctx.set('Access-Control-Max-Age', '600');
  allowPrivateNetwork(ctx);
  ctx.status = 204;
}
