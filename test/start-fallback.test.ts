import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

// `npm start` where no Electron window can open (no binary here, and no display in this environment):
// it must say why in one line and serve the headless server, then drain and exit 0 on SIGTERM.
const root = path.resolve(import.meta.dirname, '..');
const READY_WAIT_MS = 30_000;

beforeAll(() => {
  if (fs.existsSync(path.join(root, 'dist', 'server', 'serve.js'))) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  expect(build.status, 'npm run build failed').toBe(0);
}, 180_000);

let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dataDir) await fsp.rm(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startScript(extraEnv: Record<string, string> = {}) {
  dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nova-start-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NOVA_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    NOVA_SECRET_STORE: 'file',
    ...extraEnv,
  };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DATABASE_URL']) delete env[name];
  child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  return { url: `http://127.0.0.1:${port}`, output: () => stdout, exited };
}

async function waitForHealth(url: string, exited: Promise<number | null>) {
  let stopped = false;
  void exited.then(() => (stopped = true));
  const deadline = Date.now() + READY_WAIT_MS;
  while (!stopped && Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return (await res.json()) as Record<string, unknown>;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(stopped ? 'the process exited before it was healthy' : 'not healthy in time');
}

describe('npm start without a usable Electron', () => {
  it('says why in one line, serves the headless server on PORT with its data in NOVA_DATA_DIR, and exits 0 on SIGTERM', async () => {
    const run = await startScript();
    const health = await waitForHealth(run.url, run.exited);
    expect(health).toMatchObject({ status: 'ok', database: 'sqlite', secret_store: 'file' });

    const [firstLine] = run.output().split('\n');
    expect(firstLine).toMatch(/^Nova Chat: desktop app unavailable \((.+)\); starting the headless server instead\.$/);
    expect(firstLine).toMatch(/Electron (package is not installed|binary was not downloaded|binary cannot run)|no display|root/);
    expect(fs.readdirSync(dataDir!).some((f) => f.endsWith('.sqlite') || f.endsWith('.db') || f.endsWith('.sqlite3'))).toBe(true);

    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('NOVA_HEADLESS=1 picks the headless server even where a desktop could run', async () => {
    const run = await startScript({ NOVA_HEADLESS: '1' });
    await waitForHealth(run.url, run.exited);
    expect(run.output().split('\n')[0]).toBe(
      'Nova Chat: desktop app unavailable (NOVA_HEADLESS=1 is set); starting the headless server instead.',
    );
    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
