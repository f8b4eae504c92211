import fs from 'node:fs';
import path from 'node:path';
import send from 'koa-send';
import type { Next } from 'koa';
import type { AppContext } from '../http/route.js';
import { PUBLIC_DIR, RENDERER_DIR } from '../paths.js';

/**
 * Built browser files: the widget scripts and the docs bundle at the root (dist/public), and the
 * admin console at /app (dist/renderer) with index.html answering every client-side route.
 */
export function staticFiles() {
  return async (ctx: AppContext, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/app' || ctx.path.startsWith('/app/')) return serveConsole(ctx);
    const file = ctx.path.slice(1);
    if (file && !file.includes('..') && fs.existsSync(path.join(PUBLIC_DIR, file)) && !ctx.path.startsWith('/nc-api/')) {
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('Access-Control-Allow-Origin', '*'); // scripts are embedded by any bound website
      await send(ctx, file, { root: PUBLIC_DIR });
      return;
    }
    return next();
  };
}

async function serveConsole(ctx: AppContext) {
  const rel = ctx.path.replace(/^\/app\/?/, '');
  const isAsset = rel !== '' && fs.existsSync(path.join(RENDERER_DIR, rel)) && fs.statSync(path.join(RENDERER_DIR, rel)).isFile();
  if (isAsset) {
    // Vite puts a content hash in asset names, so they can be cached for good.
    if (rel.startsWith('assets/')) ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    await send(ctx, rel, { root: RENDERER_DIR });
    return;
  }
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    ctx.status = 503;
    ctx.type = 'text/plain';
    ctx.body = 'The admin console has not been built: run `npm run build`.';
    return;
  }
  ctx.set('Cache-Control', 'no-cache');
  await send(ctx, 'index.html', { root: RENDERER_DIR });
}
