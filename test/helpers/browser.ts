import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** What the tests that drive the console and the widget in a real Chromium share. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDist = path.join(root, 'dist', 'renderer', 'index.html');

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });

/** Rebuilds the console when its sources are newer than the build the server serves. */
export function ensureConsoleBuilt(): void {
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const full = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }, 0);
  const builtAt = fs.existsSync(rendererDist) ? fs.statSync(rendererDist).mtimeMs : 0;
  if (builtAt > newest(path.join(root, 'renderer'))) return;
  // In its own process with NODE_ENV=production: under the test runner's NODE_ENV=test the React plugin
  // would compile for React's development runtime, which the production bundle lacks.
  // Old hashed assets stay: other tests (the desktop CSP check) may be reading the console meanwhile.
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', 'renderer', '--emptyOutDir', 'false', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the console failed');
}

/** Bundles the widget scripts the server serves from dist/public from the current sources. */
export function buildWidgetScripts(): void {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-widget.mjs')], { cwd: root, stdio: 'pipe' });
  if (built.status !== 0) throw new Error(`building the widget failed: ${built.stderr}`);
}

/** A website on its own loopback origin (bind `origin` to an account), serving the page last given to `serve`. */
export async function hostSite(): Promise<{ origin: string; serve: (html: string) => string; close: () => Promise<void> }> {
  let page = '';
  const host = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  return {
    origin,
    serve: (html) => ((page = html), `${origin}/`),
    close: () => new Promise((resolve) => host.close(() => resolve())),
  };
}
