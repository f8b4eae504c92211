/**
 * Widget message POST → stored + pushed to a connected console WebSocket, on a real server process:
 *  1. latency at 200 concurrent visitors sending at a human pace (open loop, fixed aggregate rates), each on a
 *     keep-alive connection of its own, as each visitor's browser holds one;
 *  2. sustained messages/s with 200 visitors posting back to back (closed loop, saturation), then the
 *     human pace again on the warmed-up server;
 *  3. server RSS with 10 000 idle widget WebSockets;
 *  4. the storage path alone (addMessage in process, no HTTP): one commit per message vs the group commit;
 *  5. the floor: a bare JSON POST in its own process under the same load, on Koa and on Node's http alone.
 * Each message phase also prints the server's CPU per message in user space and in the kernel, and its SQLite
 * statements' part (timed inside the server: bench/lib/statement-timer.ts).
 * Loopback only, bounded loops. `npm run bench -- conversations` or `npx tsx bench/conversations.bench.ts`.
 * Env: BENCH_SECONDS (per phase, default 10), BENCH_IDLE_SOCKETS (default 10000), DATABASE_URL (PostgreSQL instead of SQLite),
 * BENCH_CPU_PROF (a folder: the server process writes a V8 CPU profile there; `bench/profile-summary.ts` reads it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { addMessage } from '../server/conversations/service.js';
import { startServer } from '../server/index.js';
import { benchAgent, ownConnection, request } from './lib/http-request.js';
import { machineLine, percentile } from './lib/machine.js';
import type { StatementTimes } from './lib/statement-timer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const VISITORS = 200;
const IDLE_SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server process; `nextLine` waits for its next line on stdout (the conversation server's statement times). */
type ServerProcess = { url: string; child: ChildProcess; nextLine: () => Promise<string> };

async function startServerProcess(script = 'bench/lib/conversation-server.ts'): Promise<ServerProcess> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, script)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const rl = readline.createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`server exited with ${code}`));
      child.once('exit', exited);
      rl.once('line', (line) => {
        child.off('exit', exited);
        resolve(line);
      });
    });
  const line = await nextLine();
  return { url: (JSON.parse(line) as { url: string }).url, child, nextLine };
}

/** SQLite's part of each message between two readings of the conversation server's statement times. */
function sqliteShare(before: StatementTimes, after: StatementTimes, messages: number): string {
  const each = (key: keyof StatementTimes) => ((after[key] - before[key]) / messages).toFixed(2);
  return `SQLite statements ${each('cpuMs')} ms CPU (COMMIT ${each('commitCpuMs')}; ${each('wallMs')} ms wall, ${each('statements')} statements)`;
}

/** The conversation server's SQLite statement times so far (it prints them on SIGUSR2); null on PostgreSQL. */
async function sqliteTimes(server: ServerProcess): Promise<StatementTimes | null> {
  if (process.env.DATABASE_URL) return null;
  const line = server.nextLine();
  server.child.kill('SIGUSR2');
  return (JSON.parse(await line) as { sqlite: StatementTimes }).sqlite;
}

/**
 * CPU seconds the process has used, in user space and in the kernel (USER_HZ is 100/s on Linux): contention-proof
 * cost per message when the cores are shared.
 */
const cpuSplit = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
};

/** CPU seconds used between two `cpuSplit` readings: in all, in user space, in the kernel. */
const cpuBetween = (before: ReturnType<typeof cpuSplit>, after: ReturnType<typeof cpuSplit>) => {
  const user = after.user - before.user;
  const sys = after.sys - before.sys;
  return { total: user + sys, user, sys };
};

/** CPU seconds by thread kind (main, libuv's pool, V8's helpers, workers…): where a message's CPU goes. */
function cpuByThread(pid: number): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const kind = tid === String(pid) ? 'main' : name.replace(/[\d-]+$/, '').trim() || name;
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      byKind.set(kind, (byKind.get(kind) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return byKind;
}

const threadShares = (before: Map<string, number>, after: Map<string, number>, messages: number) =>
  [...after]
    .map(([kind, s]) => [kind, s - (before.get(kind) ?? 0)] as const)
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, s]) => `${kind} ${((s * 1000) / messages).toFixed(2)}`)
    .join(', ');

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const rssMb = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** A widget visitor: its conversation, and a connection of its own, as each visitor's browser has. */
type Visitor = { id: number; token: string; agent: http.Agent };

async function createVisitors(base: string, websiteToken: string, n: number): Promise<Visitor[]> {
  const visitors: Visitor[] = new Array(n);
  await pool(
    Array.from({ length: n }, (_, i) => i),
    50,
    async (i) => {
      const res = await request(base, 'POST', `/api/v1/widget/conversations?website_token=${websiteToken}`, {
        contact: { name: `Visitor ${i}`, email: `visitor${i}@bench.example` },
        message: 'hello',
      });
      if (res.status !== 201) throw new Error(`create conversation: ${res.status} ${JSON.stringify(res.body)}`);
      visitors[i] = { id: res.body.id, token: res.body.conversation_token, agent: ownConnection() };
    },
  );
  return visitors;
}

/** One message: ms until its 201, until its event reached the console, until both. */
type Sample = { http: number; pushed: number; both: number };

/** Each message's send time, resolved when its event reaches the console socket. */
class PushTracker {
  private readonly pending = new Map<string, (at: number) => void>();
  received = 0;
  constructor(socket: WebSocket) {
    socket.on('message', (raw) => {
      const event = JSON.parse(raw.toString());
      if (event.type !== 'message_created') return;
      this.received += 1;
      this.pending.get(event.data.message.content)?.(performance.now());
    });
  }
  expect(content: string): Promise<number> {
    return new Promise((resolve) =>
      this.pending.set(content, (at) => {
        this.pending.delete(content);
        resolve(at);
      }),
    );
  }
}

async function sendOne(base: string, websiteToken: string, v: Visitor, content: string, tracker: PushTracker) {
  const started = performance.now();
  const pushed = tracker.expect(content);
  const res = await request(
    base,
    'POST',
    `/api/v1/widget/messages?website_token=${websiteToken}`,
    { conversation_id: v.id, content },
    { 'x-conversation-token': v.token },
    v.agent,
  );
  const answered = performance.now();
  if (res.status !== 201) throw new Error(`post message: ${res.status} ${JSON.stringify(res.body)}`);
  const pushedAt = await pushed;
  return { http: answered - started, pushed: pushedAt - started, both: Math.max(answered, pushedAt) - started };
}

function summarise(label: string, samples: Sample[], seconds: number, cpu: number, threads: string) {
  const both = samples.map((s) => s.both).sort((a, b) => a - b);
  const httpOnly = samples.map((s) => s.http).sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} ${String(samples.length).padStart(6)} msgs  ${(samples.length / seconds).toFixed(0).padStart(5)} msg/s  ` +
      `stored+pushed p50 ${fmt(percentile(both, 50))}  p99 ${fmt(percentile(both, 99))}  max ${fmt(both.at(-1)!)}  (HTTP 201 p99 ${fmt(percentile(httpOnly, 99))}, max ${fmt(httpOnly.at(-1)!)}); ` +
      `server CPU ${((cpu * 1000) / samples.length).toFixed(2)} ms/msg (by thread: ${threads}), load avg ${load()}`,
  );
}

/** 200 visitors, each sending after a random pause (mean `meanGapMs`) for `seconds`: an open loop at a human pace. */
async function paced(base: string, websiteToken: string, visitors: Visitor[], tracker: PushTracker, meanGapMs: number, seconds: number) {
  const samples: Sample[] = [];
  const until = performance.now() + seconds * 1000;
  let seq = 0;
  await Promise.all(
    visitors.map(async (v) => {
      await sleep(Math.random() * meanGapMs);
      while (performance.now() < until) {
        const wait = sleep(-Math.log(1 - Math.random()) * meanGapMs);
        samples.push(await sendOne(base, websiteToken, v, `p${seq++}`, tracker));
        await wait;
      }
    }),
  );
  return samples;
}

/** 200 visitors posting back to back for `seconds`: the sustained rate the server can store and push. */
async function saturated(base: string, websiteToken: string, visitors: Visitor[], tracker: PushTracker, seconds: number) {
  const samples: Sample[] = [];
  const until = performance.now() + seconds * 1000;
  let seq = 0;
  await Promise.all(
    visitors.map(async (v) => {
      while (performance.now() < until) samples.push(await sendOne(base, websiteToken, v, `s${seq++}`, tracker));
    }),
  );
  return samples;
}

/**
 * The machine's floor: a bare JSON POST under the same open loop (200 clients, one request per ~1 s each) and back
 * to back, on Koa (bench/lib/bare-koa-server.ts) and on Node's http alone (bench/lib/bare-node-server.ts): its CPU
 * per request is what HTTP alone costs here, loopback client included.
 */
async function bareFloor(name: string, script: string) {
  const { url, child } = await startServerProcess(script);
  try {
    const pid = child.pid!;
    await request(url, 'POST', '/', { content: 'warm-up' });
    const run = async (label: string, gapMs: number | null) => {
      const cpu = cpuSplit(pid);
      const until = performance.now() + SECONDS * 1000;
      let count = 0;
      await Promise.all(
        Array.from({ length: VISITORS }, async (_, v) => {
          // A connection per client, as the message phases' visitors have.
          const agent = ownConnection();
          if (gapMs) await sleep(Math.random() * gapMs);
          while (performance.now() < until) {
            const wait = gapMs ? sleep(-Math.log(1 - Math.random()) * gapMs) : null;
            const res = await request(url, 'POST', '/', { conversation_id: v, content: `f${count}` }, {}, agent);
            if (res.status !== 201) throw new Error(`bare ${name}: ${res.status}`);
            count += 1;
            await wait;
          }
          agent.destroy();
        }),
      );
      const used = cpuBetween(cpu, cpuSplit(pid));
      const perRequest = (seconds: number) => ((seconds * 1000) / count).toFixed(3);
      console.log(
        `${label.padEnd(44)} ${String(count).padStart(6)} reqs  ${(count / SECONDS).toFixed(0).padStart(5)} req/s  ` +
          `server CPU ${perRequest(used.total)} ms/req (user space ${perRequest(used.user)}, kernel ${perRequest(used.sys)}), ` +
          `load avg ${load()}`,
      );
    };
    await run(`bare ${name} JSON POST, ${VISITORS} clients, one per ~1000 ms`, 1000);
    await run(`bare ${name} JSON POST, ${VISITORS} clients back to back`, null);
  } finally {
    child.kill('SIGTERM');
  }
}

async function idleSockets(base: string, websiteToken: string, pid: number) {
  const visitors = await createVisitors(base, websiteToken, IDLE_SOCKETS);
  await sleep(2000);
  const before = rssMb(pid);
  const wsBase = base.replace(/^http/, 'ws');
  const sockets: WebSocket[] = [];
  const started = performance.now();
  await pool(visitors, 200, async (v) => {
    const ws = new WebSocket(`${wsBase}/realtime?website_token=${websiteToken}&conversation_token=${v.token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    sockets.push(ws);
  });
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(5000);
  const after = rssMb(pid);
  const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  console.log(
    `${open} idle widget WebSockets (opened in ${openSeconds.toFixed(1)} s): server RSS ${after.toFixed(0)} MB ` +
      `(${before.toFixed(0)} MB before them, ${(((after - before) * 1024) / open).toFixed(1)} KB per socket)`,
  );
  for (const s of sockets) s.terminate();
}

/** addMessage straight on a server in this process: what the write path (store + event + publish) sustains by itself. */
async function storagePath() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-store-'));
  const server = await startServer({
    env: {},
    dataDir,
    port: 0,
    host: '127.0.0.1',
    secretStore: 'file',
    logLevel: 'silent',
    widgetConversationsPerIp: 1e6,
  });
  try {
    const base = server.url;
    const signUp = await request(base, 'POST', '/nc-api/v1/accounts', {
      name: 'Store',
      email: `store-${Date.now()}@bench.example`,
      password: 'BenchPass123!',
    });
    const bound = await request(
      base,
      'POST',
      '/nc-api/v1/account/bind-domain',
      { website_url: 'https://store.example' },
      { authorization: `Bearer ${signUp.body.token}` },
    );
    const visitors = await createVisitors(base, bound.body.website_token, VISITORS);
    const accountId = signUp.body.account.id as number;
    let published = 0;
    server.deps.bus.subscribe((e) => void (e.type === 'message_created' && published++));
    const sender = { type: 'contact' as const, id: null, name: 'Visitor' };
    const run = async (label: string, concurrency: number, total: number) => {
      published = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, w) => {
          while (next < total) {
            const i = next++;
            await addMessage(server.deps, accountId, visitors[(w + i) % visitors.length]!.id, {
              content: `m${i}`,
              message_type: 'incoming',
              sender,
            });
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      console.log(
        `${label.padEnd(44)} ${String(total).padStart(6)} msgs  ${(total / seconds).toFixed(0).padStart(5)} msg/s stored, ${published} published; ` +
          `CPU ${((used.user + used.system) / 1000 / total).toFixed(3)} ms/msg, load avg ${load()}`,
      );
    };
    await run('storage path, one commit per message', 1, 1000);
    await run(`storage path, ${VISITORS} writers (group commit)`, VISITORS, 20_000);
    // What the other modules' per-event work costs: the webhook outbox sink (its subscriptions are cached on SQLite).
    server.deps.eventSinks.length = 0;
    await run('  same, without the webhook outbox sink', VISITORS, 20_000);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(machineLine());
  console.log(
    `database: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite (WAL)'}; the server and this load generator share the same cores`,
  );
  console.log(`load average at start: ${load()}\n`);
  const server = await startServerProcess();
  const { url: base, child } = server;
  try {
    const signUp = await request(base, 'POST', '/nc-api/v1/accounts', {
      name: 'Bench',
      email: `bench-${Date.now()}@bench.example`,
      password: 'BenchPass123!',
    });
    const token = signUp.body.token as string;
    const bound = await request(
      base,
      'POST',
      '/nc-api/v1/account/bind-domain',
      { website_url: 'https://bench.example' },
      { authorization: `Bearer ${token}` },
    );
    const websiteToken = bound.body.website_token as string;
    const visitors = await createVisitors(base, websiteToken, VISITORS);
    const consoleSocket = new WebSocket(`${base.replace(/^http/, 'ws')}/realtime?access_token=${token}`);
    await new Promise((resolve) => consoleSocket.once('open', resolve));
    const tracker = new PushTracker(consoleSocket);

    await paced(base, websiteToken, visitors, tracker, 200, 2); // warm-up
    const pid = child.pid!;
    /** One phase: its samples and the server's CPU over it, by thread, user space against kernel, and SQLite's part. */
    const phase = async (label: string, run: () => Promise<Sample[]>) => {
      const sqlite = await sqliteTimes(server);
      const cpu = cpuSplit(pid);
      const threads = cpuByThread(pid);
      const samples = await run();
      const used = cpuBetween(cpu, cpuSplit(pid));
      const threadsAfter = cpuByThread(pid);
      const sqliteAfter = await sqliteTimes(server);
      summarise(label, samples, SECONDS, used.total, threadShares(threads, threadsAfter, samples.length));
      const perMessage = (seconds: number) => ((seconds * 1000) / samples.length).toFixed(2);
      const statements = sqlite && sqliteAfter ? `; ${sqliteShare(sqlite, sqliteAfter, samples.length)}` : '';
      console.log(`  per message: user space ${perMessage(used.user)} ms, kernel ${perMessage(used.sys)} ms${statements}`);
    };
    for (const gap of [1000, 200])
      await phase(`${VISITORS} visitors, one message per ~${gap} ms each`, () =>
        paced(base, websiteToken, visitors, tracker, gap, SECONDS),
      );
    await phase(`${VISITORS} visitors back to back (saturation)`, () => saturated(base, websiteToken, visitors, tracker, SECONDS));
    // The human pace again, once V8 has finished optimising the server's code (a server runs for days; the
    // first phase still pays for V8's compiler threads).
    await phase(`${VISITORS} visitors, one per ~1000 ms, warm server`, () => paced(base, websiteToken, visitors, tracker, 1000, SECONDS));
    console.log(`server RSS after the message phases: ${rssMb(child.pid!).toFixed(0)} MB`);
    consoleSocket.close();
    for (const v of visitors) v.agent.destroy();

    if (IDLE_SOCKETS > 0) await idleSockets(base, websiteToken, child.pid!);
  } finally {
    child.kill('SIGTERM');
  }
  await storagePath();
  await bareFloor('Koa', 'bench/lib/bare-koa-server.ts');
  await bareFloor('node:http', 'bench/lib/bare-node-server.ts');
  benchAgent.destroy();
}

await main();
