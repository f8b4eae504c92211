// Webhook outbox drain rate: a backlog of N deliveries committed at once, delivered to a receiver on
// loopback (answers 200 at once, keep-alive), until every row is marked succeeded in the database.
// Usage: npx tsx bench/webhook-outbox.bench.ts [deliveries=5000] [concurrencies=8,32,64]; BENCH_DATABASE_URL=postgres://… for PostgreSQL.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { countOf } from '../server/db/knex.js';
import type { PresentedConversation } from '../server/conversations/presenter.js';
import { recordEvent } from '../server/events/record.js';
import { startServer } from '../server/index.js';

const N = Number(process.argv[2] ?? 5000);
const CONCURRENCY = process.argv[3] ? process.argv[3].split(',').map(Number) : [8, 32, 64];

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

async function startReceiver() {
  let received = 0;
  let onCount: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      onCount?.();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: () => received,
    untilReceived: (n: number) =>
      new Promise<void>((resolve) => {
        onCount = () => received >= n && resolve();
        onCount();
      }),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function run(concurrency: number) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-bench-outbox-'));
  const server = await startServer({
    env: {},
    port: 0,
    dataDir,
    databaseUrl: process.env.BENCH_DATABASE_URL,
    secretStore: 'file',
    logLevel: 'silent',
    webhookConcurrency: concurrency,
    webhookAllowedNetworks: ['127.0.0.0/8'], // the receiver listens on loopback
  });
  const receiver = await startReceiver();
  const api = async (method: string, urlPath: string, body: unknown, token?: string) => {
    const res = await fetch(server.url + urlPath, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as any;
  };
  try {
    const account = await api('POST', '/nc-api/v1/accounts', {
      name: 'Bench',
      email: `bench${concurrency}@example.com`,
      password: 'MyPass123!',
    });
    const token = account.token as string;
    const domain = await api('POST', '/nc-api/v1/account/bind-domain', { website_url: 'https://bench.example' }, token);
    await api('POST', '/nc-api/v1/webhooks', { url: receiver.url, events: ['message_created'] }, token);
    const conversation = await api('POST', `/api/v1/widget/conversations?website_token=${domain.website_token}`, {
      contact: { name: 'John', email: 'john@example.com' },
      message: 'I need help with my order',
    });
    // The conversation's own first message is a delivery too: wait for it, then count from there.
    await receiver.untilReceived(1);
    const before = receiver.received();

    const { deps } = server;
    // Only what the payload's contact comes from: the measured cost is the outbox's, not the conversation's size.
    const conversationData = {
      id: conversation.id,
      status: 'open',
      contact: { id: 1, name: 'John', email: 'john@example.com' },
    } as unknown as PresentedConversation;
    const enqueueStarted = performance.now();
    await deps.db.transaction(async (trx) => {
      for (let i = 0; i < N; i++)
        await recordEvent(deps, trx, {
          account_id: account.account.id,
          conversation_id: conversation.id,
          type: 'message_created',
          payload: {
            message: {
              id: i,
              conversation_id: conversation.id,
              content: `Message number ${i}: where is my order #12345? It was due yesterday.`,
              message_type: 'incoming',
              content_type: 'text',
              content_attributes: {},
              private: false,
              sender: { type: 'contact', id: 1, name: 'John' },
              attachments: [],
              created_at: new Date().toISOString(),
            },
            conversation: conversationData,
          },
        });
    });
    const committed = performance.now();
    const cpuBefore = process.cpuUsage();
    await receiver.untilReceived(before + N);
    const allReceived = performance.now();
    // Drained = every row marked succeeded (the attempt log written), not just sent.
    for (;;) {
      const pending = countOf(await deps.db('webhook_deliveries').where('status', '!=', 'succeeded').count({ n: '*' }).first());
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const drained = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    const drainSeconds = (drained - committed) / 1000;
    return {
      concurrency,
      enqueueMs: committed - enqueueStarted,
      receivedPerSecond: N / ((allReceived - committed) / 1000),
      drainedPerSecond: N / drainSeconds,
      drainSeconds,
      duplicates: receiver.received() - before - N,
      // Whole process (server, SQLite threads and the in-process receiver): a load-independent cost.
      cpuMsPerDelivery: (cpu.user + cpu.system) / 1000 / N,
    };
  } finally {
    await receiver.close();
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

console.log(`machine: ${machine()}`);
console.log(
  `database: ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite (WAL, one connection)'}; backlog: ${N} deliveries of message_created`,
);
let best = 0;
for (const concurrency of CONCURRENCY) {
  const r = await run(concurrency);
  best = Math.max(best, r.drainedPerSecond);
  console.log(
    `concurrency ${String(r.concurrency).padStart(2)}: enqueue ${r.enqueueMs.toFixed(0)} ms (one transaction), ` +
      `received ${r.receivedPerSecond.toFixed(0)}/s, drained (all rows succeeded) ${r.drainedPerSecond.toFixed(0)}/s in ${r.drainSeconds.toFixed(2)} s` +
      `; CPU ${r.cpuMsPerDelivery.toFixed(2)} ms/delivery (→ ${(1000 / r.cpuMsPerDelivery).toFixed(0)}/s per busy core)` +
      (r.duplicates ? `, ${r.duplicates} duplicate(s)` : ''),
  );
}
// Not an exit code: on a shared, overloaded CPU the wall-clock rate says more about the neighbours than about the outbox.
console.log(
  `target ≥ 500 deliveries/s: ${best >= 500 ? 'met' : 'NOT met'} (best ${best.toFixed(0)}/s; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')})`,
);
process.exit(0);
