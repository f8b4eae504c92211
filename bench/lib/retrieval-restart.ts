/**
 * The restart half of bench/retrieval-perf.bench.ts, in a fresh process so its RSS is what a restarted server
 * holds: opens BENCH_RESTART_DIR (a data dir with a large KB and its saved index), starts retrieval, then
 * measures RSS idle (5 s and 60 s after the first search, then after a full GC), search latency and CPU per search
 * on account BENCH_ACCOUNT, and HNSW recall@10.
 */
import pino from 'pino';
import { loadEvalSet } from './retrieval-eval.js';
import { mb, percentile } from './machine.js';
import { connectDatabase } from '../../server/db/knex.js';
import { storedVectors } from '../../server/retrieval/repo.js';
import { startRetrieval, workerEmbedder } from '../../server/retrieval/test-support.js';
import { dot } from '../../server/retrieval/vectors.js';

const dataDir = process.env.BENCH_RESTART_DIR!;
const accountId = Number(process.env.BENCH_ACCOUNT);
const set = loadEvalSet();
const questions = [...set.questions.map((q) => q.q), ...set.unanswerable.map((u) => u.q)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const rssBefore = process.memoryUsage().rss;
const db = connectDatabase({ dataDir });
const embedder = workerEmbedder();
let started = performance.now();
const cpu = process.cpuUsage();
const service = await startRetrieval(db, dataDir, { embedder, log: pino({ level: 'warn' }) });
const startMs = performance.now() - started;
const startCpu = cpuMs(cpu);
await service.search(accountId, 'when will my order arrive', 5); // loads the model, as the first customer would
const firstSearchMs = performance.now() - started;
console.log(
  `restart with the index ready: retrieval started in ${(startMs / 1000).toFixed(2)} s (CPU ${(startCpu / 1000).toFixed(2)} s), ` +
    `first search answered ${(firstSearchMs / 1000).toFixed(2)} s after the start began`,
);
/** RSS and what V8 knows of it: the JS heap (used of committed), memory outside it (typed arrays among it). */
const memoryLine = () => {
  const m = process.memoryUsage();
  return `${mb(m.rss)} (JS heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, external ${mb(m.external)} of which array buffers ${mb(m.arrayBuffers)})`;
};
await sleep(5000);
console.log(`RSS idle 5 s after the restart (model loaded + index + SQLite): ${memoryLine()}; process before retrieval: ${mb(rssBefore)}`);
// V8 gives back the heap the start grew (the lexical build's garbage) only when its memory reducer runs, some
// tens of seconds into an idle spell; what the restarted server then holds is the figure that lasts.
await sleep(55_000);
console.log(`RSS idle 60 s after the restart: ${memoryLine()}`);
// What the server holds live (the bench's parent runs this process with --expose-gc; the server never collects by hand).
(globalThis as { gc?: () => void }).gc?.();
await sleep(1000);
console.log(`RSS after a full GC (bench only): ${memoryLine()}`);

const timed = async (texts: string[]) => {
  const latencies: number[] = [];
  const since = process.cpuUsage();
  for (const text of texts) {
    const t = performance.now();
    await service.search(accountId, text, 5);
    latencies.push(performance.now() - t);
  }
  const perSearch = cpuMs(since) / texts.length;
  latencies.sort((a, b) => a - b);
  return `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, CPU ${perSearch.toFixed(2)} ms per search`;
};
// Never cached: every search embeds its query.
const uncached = [0, 1].flatMap((round) => questions.map((q, i) => `${q} ${round}-${i}`));
console.log(`search (query embedding + hybrid), ${uncached.length} queries: ${await timed(uncached)}`);
console.log(`  of which retrieval with a cached query embedding: ${await timed(questions)}`);
console.log(`RSS after those searches (what the server holds in use): ${memoryLine()}`);
const embedOnly: number[] = [];
for (const [i, q] of questions.entries()) {
  started = performance.now();
  await embedder.embed([`${q} e${i}`], 'query');
  embedOnly.push(performance.now() - started);
}
embedOnly.sort((a, b) => a - b);
console.log(`  query embedding alone: p50 ${percentile(embedOnly, 50).toFixed(1)} ms, p99 ${percentile(embedOnly, 99).toFixed(1)} ms`);

// Recall@10 of the HNSW index against exact search over the same vectors (read back from the database).
const queryVectors = await embedder.embed(questions.slice(0, 100), 'query');
const index = (service as unknown as { indexes: Map<number, { search(v: Float32Array, k: number): { id: number }[] }> }).indexes.get(
  accountId,
)!;
const exactTop = queryVectors.map(() => [] as { id: number; s: number }[]);
let total = 0;
for await (const page of storedVectors(db, accountId, embedder.id)) {
  for (const { itemId, vector } of page) {
    total += 1;
    queryVectors.forEach((q, qi) => {
      const top = exactTop[qi]!;
      const s = dot(q, vector);
      if (top.length < 10 || s > top[top.length - 1]!.s) {
        top.push({ id: itemId, s });
        top.sort((x, y) => y.s - x.s);
        if (top.length > 10) top.pop();
      }
    });
  }
}
let found = 0;
queryVectors.forEach((q, qi) => {
  const approx = new Set(index.search(q, 10).map((h) => h.id));
  found += exactTop[qi]!.filter((e) => approx.has(e.id)).length;
});
console.log(
  `HNSW recall@10 vs exact (${queryVectors.length} queries, ${total} vectors): ${(found / (queryVectors.length * 10)).toFixed(3)}`,
);
console.log(`RSS at the end (with the bench's exact search over every stored vector): ${mb(process.memoryUsage().rss)}`);
await service.close();
await db.destroy();
