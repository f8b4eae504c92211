import type { Next } from 'koa';
import type { AppContext } from '../http/route.js';

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Nova Chat API</title>
  <style>body { margin: 0; }</style>
</head>
<body>
  <redoc spec-url="/openapi.json" hide-download-button="false"></redoc>
  <script src="/docs-assets/redoc.standalone.js"></script>
</body>
</html>`;

/**
 * The docs page may load only what this server serves: Redoc's bundle always asks the internet for its
 * vendor's logo, and an offline product must make no outside request. Search runs in a blob worker.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** `/openapi.json` and the readable `/developers/docs` page (Redoc, served from this machine: no CDN). */
export function docsMiddleware(document: Record<string, unknown>) {
  const spec = JSON.stringify(document);
  return async (ctx: AppContext, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/openapi.json') {
      ctx.type = 'application/json';
      ctx.body = spec;
      return;
    }
    if (ctx.path === '/developers/docs' || ctx.path === '/developers/docs/') {
      ctx.type = 'text/html';
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.set('X-Frame-Options', 'SAMEORIGIN'); // frame-ancestors, for browsers that predate it
      ctx.body = DOCS_HTML;
      return;
    }
    return next();
  };
}
