import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './ports.js';

// The built main process (dist/main/main.js, what Electron loads) run under Node with a stand-in for the
// `electron` module: proves the bundle loads as ESM with its real dependencies, starts the embedded server in
// the data dir, points a secured window at the console, and drains and exits 0 on SIGTERM.
const root = path.resolve(import.meta.dirname, '..');
const standIn = path.join(root, 'main', 'testing', 'electron-stand-in');
const mainBundle = path.join(root, 'dist', 'main', 'main.js');

beforeAll(() => {
  if (fs.existsSync(mainBundle)) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  expect(build.status, 'npm run build failed').toBe(0);
}, 180_000);

let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) await fsp.rm(dataDir, { recursive: true, force: true });
});

async function untilHealthy(url: string, exited: () => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 30_000;
  while (!exited() && Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return (await res.json()) as Record<string, unknown>;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the desktop main process did not become healthy');
}

describe('built desktop main process', () => {
  it('serves the console to a sandboxed window, logs to the data dir, and drains on SIGTERM', async () => {
    dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nova-desktop-bundle-'));
    const port = await freePort('127.0.0.1');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_PATH: standIn,
      NOVA_DATA_DIR: path.join(dataDir, 'fresh'),
      PORT: String(port),
      NOVA_SECRET_STORE: 'file',
    };
    delete env.DATABASE_URL;
    child = spawn(process.execPath, [mainBundle], { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.resume();
    const exitCode = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    let exited = false;
    void exitCode.then(() => (exited = true));

    const url = `http://127.0.0.1:${port}`;
    expect(await untilHealthy(url, () => exited)).toMatchObject({ status: 'ok', secret_store: 'file' });
    const reports = () => stdout.split('\n').filter((l) => l.startsWith('stand-in: '));
    for (let i = 0; i < 100 && !reports().some((l) => l.startsWith('stand-in: loadURL')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(reports()).toEqual(
      expect.arrayContaining([
        'stand-in: window contextIsolation=true nodeIntegration=false sandbox=true',
        'stand-in: csp installed',
        `stand-in: loadURL ${url}/app/`,
        `stand-in: tray ${JSON.stringify(`Nova Chat Desktop\nRunning at ${url}`)}`,
      ]),
    );

    child.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    expect(reports().at(-1)).toBe('stand-in: exit 0');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const log = await fsp.readFile(path.join(dataDir, 'fresh', 'logs', 'desktop.log'), 'utf8');
    expect(log).toContain('server listening');
    expect(log).toContain('server stopped');
    expect(fs.existsSync(path.join(dataDir, 'fresh', 'desktop-settings.json'))).toBe(true);
    if (process.platform !== 'win32') expect((await fsp.stat(path.join(dataDir, 'fresh'))).mode & 0o777).toBe(0o700);
  });
});
