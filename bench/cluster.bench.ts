/**
 * Several servers on one PostgreSQL (issue 11), on real server processes (`node dist/server/serve.js`, as
 * test/cluster.test.ts starts them; `npm run build` first):
 *  1. widget messages/s and latency (HTTP 201 and the push to an agent's console socket, whichever is later)
 *     with 1, 2 and 3 servers, visitors spread over the servers round robin, the console on the first server
 *     (so with several servers most messages cross from one to another through LISTEN/NOTIFY);
 *  2. how long after a KB item's write through the first server it is ranked first through the last one.
 * Every server runs on this machine, so they share its cores with the database and this load generator: the
 * figures show what the cluster costs, not what several machines would add.
 * `npm run bench -- cluster` or `npx tsx bench/cluster.bench.ts`. Env: TEST_DATABASE_URL (a PostgreSQL user that
 * may create databases; skipped without it), BENCH_SECONDS (per configuration, default 10), BENCH_VISITORS (default 60).
 */
import WebSocket from 'ws';
import { ClusterNode, newSecretKey } from '../test/helpers/cluster.js';
import { createPostgresDatabase } from '../test/helpers/database.js';
import { benchAgent, request } from './lib/http-request.js';
import { machineLine, percentile } from './lib/machine.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const VISITORS = Number(process.env.BENCH_VISITORS ?? 60);
const SEARCH_SAMPLES = 5;
const NODE_ENV = {
  LOG_LEVEL: 'info',
  NOVA_SIGNUPS_PER_ADDRESS: '1000',
  NOVA_WIDGET_CONVERSATIONS_PER_IP: '100000',
  NOVA_WIDGET_MESSAGES_PER_MINUTE: '100000',
  NOVA_REALTIME_MAX_PER_ADDRESS: '100000',
};

async function must(base: string, method: string, urlPath: string, body?: unknown, headers?: Record<string, string>) {
  const res = await request(base, method, urlPath, body, headers);
  if (res.status >= 300) throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Resolves each message's push time when its event reaches the console socket. */
class PushTracker {
  private readonly pending = new Map<string, (at: number) => void>();
  constructor(socket: WebSocket) {
    socket.on('message', (raw) => {
      const event = JSON.parse(raw.toString());
      if (event.type === 'message_created') this.pending.get(event.data.message.content)?.(performance.now());
    });
  }
  expect(content: string): Promise<number> {
    return new Promise((resolve) => this.pending.set(content, (at) => (this.pending.delete(content), resolve(at))));
  }
}

async function openConsole(base: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/realtime?access_token=${token}`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return socket;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function cluster(size: number) {
  const database = await createPostgresDatabase();
  const key = newSecretKey();
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < size; i += 1) nodes.push(await ClusterNode.start(database.url, key, NODE_ENV));
    const first = nodes[0]!.url;
    const last = nodes.at(-1)!.url;
    const owner = await must(first, 'POST', '/nc-api/v1/accounts', { name: 'Bench', email: 'owner@bench.example', password: 'MyPass123!' });
    const site = await must(
      first,
      'POST',
      '/nc-api/v1/account/bind-domain',
      { website_url: 'https://bench.example' },
      { authorization: `Bearer ${owner.token}` },
    );
    const socket = await openConsole(first, owner.token);
    const tracker = new PushTracker(socket);
    const visitors = await Promise.all(
      Array.from({ length: VISITORS }, async (_, i) => {
        const base = nodes[i % size]!.url;
        const created = await must(base, 'POST', `/api/v1/widget/conversations?website_token=${site.website_token}`, {
          contact: { name: `Visitor ${i}` },
          message: 'hello',
        });
        return { base, id: created.id as number, token: created.conversation_token as string };
      }),
    );

    // 1. Visitors posting back to back for SECONDS, each through its own server.
    const samples: number[] = [];
    let seq = 0;
    const started = performance.now();
    const until = started + SECONDS * 1000;
    await Promise.all(
      visitors.map(async (v) => {
        while (performance.now() < until) {
          const content = `m${seq++}`;
          const sent = performance.now();
          const pushed = tracker.expect(content);
          await must(
            v.base,
            'POST',
            `/api/v1/widget/messages?website_token=${site.website_token}`,
            { conversation_id: v.id, content },
            { 'x-conversation-token': v.token },
          );
          const answered = performance.now();
          samples.push(Math.max(answered, await pushed) - sent);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    samples.sort((a, b) => a - b);
    console.log(
      `${size} server${size > 1 ? 's' : ' '}  ${String(samples.length).padStart(6)} msgs  ${(samples.length / elapsed).toFixed(0).padStart(5)} msg/s  ` +
        `stored+pushed p50 ${fmt(percentile(samples, 50))}  p99 ${fmt(percentile(samples, 99))}  max ${fmt(samples.at(-1)!)}  (${VISITORS} visitors)`,
    );
    socket.close();

    // 2. A KB item written through the first server, searched through the last one until it ranks first.
    if (size > 1) {
      const delays: number[] = [];
      const auth = { authorization: `Bearer ${owner.token}` };
      await must(
        first,
        'POST',
        '/nc-api/v1/knowledge_base/items',
        { title: 'Opening hours', content: 'Monday to Friday, 9 am to 6 pm.' },
        auth,
      );
      for (let i = 0; i < SEARCH_SAMPLES; i += 1) {
        const word = `zebracode${i}x${Date.now()}`;
        const item = await must(
          first,
          'POST',
          '/nc-api/v1/knowledge_base/items',
          { title: `Voucher ${word}`, content: `The voucher code ${word} gives 10 % off.` },
          auth,
        );
        const written = performance.now();
        for (;;) {
          const found = await must(last, 'GET', `/nc-api/v1/knowledge_base/search?q=${word}`, undefined, auth);
          if (found.data[0]?.item.id === item.id) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        delays.push(performance.now() - written);
      }
      delays.sort((a, b) => a - b);
      console.log(
        `         item written on server 1, ranked first on server ${size}: median ${fmt(percentile(delays, 50))}, max ${fmt(delays.at(-1)!)} (${SEARCH_SAMPLES} items)`,
      );
    }
  } finally {
    for (const node of nodes) await node.stop();
    await database.drop();
  }
}

if (!process.env.TEST_DATABASE_URL) {
  console.log('cluster bench skipped: TEST_DATABASE_URL is not set (a PostgreSQL user that may create databases)');
} else {
  console.log(machineLine());
  for (const size of [1, 2, 3]) await cluster(size);
  console.log(machineLine());
}
benchAgent.destroy();
