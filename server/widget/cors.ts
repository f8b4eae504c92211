import type { Next } from 'koa';
import { forbidden } from '../errors.js';
import type { AppContext } from '../http/route.js';
import { websiteOfRequest } from './access.js';

/** The public routes a bound website's pages call from the browser. */
export const isWidgetCorsPath = (path: string) => path.startsWith('/api/v1/widget/') || path === '/realtime/sse';

const ALLOWED_HEADERS = 'Content-Type, X-Conversation-Token, Authorization, Last-Event-ID';

/**
 * CORS for the widget API: only the origin of the website the `?website_token=` is bound to gets
 * `Access-Control-Allow-Origin`; a preflight from any other origin is a 403. Everything else (the
 * management API) gets no CORS headers at all, so browsers keep other sites out of it.
 */
export function widgetCors() {
  return async (ctx: AppContext, next: Next) => {
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
