// Cold start to healthy and idle memory of the headless server (`node dist/server/serve.js`).
// Cold: a fresh data dir (migrations, secret generation). Warm: the same dir again.
// Usage: node bench/startup.bench.mjs [runs=5]   (needs `node scripts/build.mjs` first)
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serveJs = path.join(root, 'dist', 'server', 'serve.js');
const runs = Number(process.argv[2] ?? 5);
const IDLE_MS = 5_000;

if (!fs.existsSync(serveJs)) {
  console.error('dist/server/serve.js is missing: run `node scripts/build.mjs` first.');
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(url, child, deadlineMs = 60_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error('server did not become healthy in time');
}

/** Resident set size in MiB, from /proc on Linux or `ps` elsewhere. */
function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } catch {
    return Number(execSync(`ps -o rss= -p ${pid}`).toString().trim()) / 1024;
  }
}

/** One start: spawn, time until /health answers 200, optionally idle and read RSS, then SIGTERM. */
async function startOnce(dataDir, measureIdle) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [serveJs], {
    env: {
      ...process.env,
      NOVA_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      NOVA_SECRET_STORE: 'file',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitHealthy(`http://127.0.0.1:${port}`, child);
    const ms = performance.now() - started;
    let rss;
    if (measureIdle) {
      await sleep(IDLE_MS);
      rss = rssMiB(child.pid);
    }
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`SIGTERM exit code ${code}`);
    return { ms, rss };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs, unit, digits = 0) =>
  `median ${median(xs).toFixed(digits)} ${unit} (min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)}, n=${xs.length})`;

const cold = [];
const warm = [];
const rss = [];
for (let i = 0; i < runs; i++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-'));
  try {
    cold.push((await startOnce(dataDir, false)).ms);
    const again = await startOnce(dataDir, true);
    warm.push(again.ms);
    rss.push(again.rss);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`;
const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
console.log(
  `machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${memory}, node ${process.version}, ${os.platform()} ${os.release()}`,
);
console.log(`load average during the run (1/5/15 min): ${load}`);
console.log(`cold start to healthy (fresh data dir, SQLite): ${fmt(cold, 'ms')}`);
console.log(`warm start to healthy (existing data dir):      ${fmt(warm, 'ms')}`);
console.log(`RSS at idle (${IDLE_MS / 1000} s after healthy):          ${fmt(rss, 'MiB', 1)}`);
