import fs from 'node:fs/promises';
import path from 'node:path';
import send from 'koa-send';
import type { Next } from 'koa';
import { AppError, notFound } from '../errors.js';
import type { AppContext } from '../http/route.js';
import { PUBLIC_DIR, RENDERER_DIR } from '../paths.js';

/**
 * The console's policy: its own scripts only (Vite emits no inline script), its own API and realtime
 * socket ('self' covers ws: on the same host), and no framing by another site (the JWT sits in
 * localStorage, so a framed console is a clickjacking target). Inline styles stay allowed because the
 * component library writes style attributes and its CSS variables into a <style> element.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The file under `root` that a URL path (as sent, %-encoded) names, or null when it names nothing
 * there: `..`/`.` segments, backslashes, NUL or a bad %-escape. Decided from the string alone, before
 * anything touches the disk, so no request can learn whether a path outside the folder exists.
 */
export function fileUnder(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (!segments.length || segments.some((segment) => segment === '.' || segment === '..')) return null;
  return path.join(root, ...segments);
}

const isFile = (file: string) =>
  fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );

/** koa-send with its errors (400 bad path, 403, 404) turned into the API's JSON 404. */
async function sendFile(ctx: AppContext, root: string, urlPath: string): Promise<void> {
  try {
    await send(ctx, urlPath, { root });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status && status < 500) throw notFound('File');
    throw err;
  }
  if (ctx.body === undefined) throw notFound('File'); // koa-send skips dotfiles without a word
}

/**
 * Built browser files: the widget scripts and the docs bundle at the root (dist/public), and the
 * admin console at /app (dist/renderer) with index.html answering every client-side route.
 */
export function staticFiles() {
  return async (ctx: AppContext, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/app' || ctx.path.startsWith('/app/')) return serveConsole(ctx, ctx.path.slice('/app'.length));
    if (ctx.path.startsWith('/nc-api/') || ctx.path.startsWith('/api/')) return next();
    const file = fileUnder(PUBLIC_DIR, ctx.path);
    if (file && (await isFile(file))) {
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('Access-Control-Allow-Origin', '*'); // scripts are embedded by any bound website
      return sendFile(ctx, PUBLIC_DIR, ctx.path);
    }
    return next(); // docs, or the API's JSON 404
  };
}

async function serveConsole(ctx: AppContext, rest: string) {
  ctx.set('Content-Security-Policy', CONSOLE_CSP);
  ctx.set('X-Frame-Options', 'SAMEORIGIN');
  if (rest !== '' && rest !== '/') {
    const file = fileUnder(RENDERER_DIR, rest);
    if (!file) throw notFound('File');
    if (await isFile(file)) {
      // Vite puts a content hash in asset names, so they can be cached for good.
      if (rest.startsWith('/assets/')) ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      return sendFile(ctx, RENDERER_DIR, rest);
    }
    // A missing script or stylesheet is a 404; any other path is a page of the client-side router.
    if (rest.startsWith('/assets/')) throw notFound('File');
  }
  if (!(await isFile(path.join(RENDERER_DIR, 'index.html'))))
    throw new AppError(503, 'console_not_built', 'The admin console has not been built: run `npm run build`.');
  ctx.set('Cache-Control', 'no-cache');
  return sendFile(ctx, RENDERER_DIR, '/index.html');
}
