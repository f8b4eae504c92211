/**
 * Retrieval performance with the default embedder (USE, in its worker thread), in process:
 *  1. RSS with the model loaded; bulk import rate with real embeddings (indexItems, 200-item batches);
 *     search latency while that import runs;
 *  2. a KB of BENCH_ITEMS (default 100 000) items: real rows (FTS5), vectors made from real USE embeddings
 *     of a sample mixed with noise (embedding 100k texts here would take ~30 min), index built from the DB;
 *  3. restart with that index ready; search p50/p99 (uncached query embedding + hybrid);
 *  4. HNSW recall@10 against exact search on the same vectors; RSS at the end.
 * `npm run bench -- retrieval-perf`; BENCH_ITEMS=20000 for a quicker run.
 */
import pino from 'pino';
import { loadEvalSet } from './lib/retrieval-eval.js';
import { machineLine, mb, percentile } from './lib/machine.js';
import { syntheticItem } from './lib/synthetic-kb.js';
import { nowIso } from '../server/db/knex.js';
import { vectorToBuffer, normalize, dot } from '../server/retrieval/vectors.js';
import { storedVectors } from '../server/retrieval/repo.js';
import { createAccount, insertItems, openTestStore, startRetrieval, workerEmbedder } from '../server/retrieval/test-support.js';
import type { HybridRetrieval } from '../server/retrieval/service.js';
import type { Embedder } from '../server/retrieval/types.js';

const TOTAL = Number(process.env.BENCH_ITEMS ?? 100_000);
const IMPORT_ITEMS = Number(process.env.BENCH_IMPORT_ITEMS ?? 1000);
const set = loadEvalSet();
const questions = [...set.questions.map((q) => q.q), ...set.unanswerable.map((u) => u.q)];
const log = pino({ level: 'warn' });
console.log(machineLine());

const store = await openTestStore();
const embedder = workerEmbedder();
const shared: Embedder = { id: embedder.id, dimensions: embedder.dimensions, embed: (t, p) => embedder.embed(t, p), close: async () => {} };

// 1. Model RSS, bulk import rate, search during import.
let service: HybridRetrieval = await startRetrieval(store.db, store.dataDir, { embedder: shared, log });
const importAccount = await createAccount(store.db, 'import');
await service.search(importAccount, 'warm up the model', 1);
console.log(`RSS with the model loaded (empty KB): ${mb(process.memoryUsage().rss)}`);

const duringImport: number[] = [];
let importing = true;
const prober = (async () => {
  let n = 0;
  while (importing) {
    const started = performance.now();
    await service.search(importAccount, `${questions[n++ % questions.length]} ${n}`, 5);
    duringImport.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const importStarted = performance.now();
for (let i = 0; i < IMPORT_ITEMS; i += 200) {
  const rows = await insertItems(
    store.db,
    importAccount,
    Array.from({ length: Math.min(200, IMPORT_ITEMS - i) }, (_, j) => syntheticItem(i + j)),
  );
  await service.indexItems(importAccount, rows);
}
const importSeconds = (performance.now() - importStarted) / 1000;
importing = false;
await prober;
duringImport.sort((a, b) => a - b);
console.log(
  `bulk import with embeddings: ${IMPORT_ITEMS} items in ${importSeconds.toFixed(1)} s = ${(IMPORT_ITEMS / importSeconds).toFixed(0)} items/s`,
);
console.log(
  `search during the import (${duringImport.length} searches): p50 ${percentile(duringImport, 50).toFixed(0)} ms, p99 ${percentile(duringImport, 99).toFixed(0)} ms, max ${duringImport.at(-1)!.toFixed(0)} ms`,
);
await service.close();
if (TOTAL === 0) {
  // BENCH_ITEMS=0: the import figures only.
  await embedder.close();
  await store.close();
  process.exit(0);
}

// 2. A large KB: rows + vectors written straight to the database, index built from it on start.
const big = await createAccount(store.db, 'big');
const SAMPLE = 1000;
const sampleVectors = await embedder.embed(
  Array.from({ length: SAMPLE }, (_, i) => {
    const it = syntheticItem(i);
    return `${it.title}\n${it.content}`;
  }),
);
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const fillStarted = performance.now();
for (let i = 0; i < TOTAL; i += 1000) {
  const n = Math.min(1000, TOTAL - i);
  const rows = await insertItems(
    store.db,
    big,
    Array.from({ length: n }, (_, j) => syntheticItem(i + j)),
  );
  const now = nowIso();
  const vectorRows = rows.map((row, j) => {
    // A real embedding mixed with two others (a distinct triple per item) and jittered: clustered like
    // real FAQ vectors, without exact duplicates that would make "the" 10 nearest neighbours a tie.
    const n = i + j;
    const a = sampleVectors[n % SAMPLE]!;
    const b = sampleVectors[Math.floor(n / SAMPLE) % SAMPLE]!;
    const c = sampleVectors[(n * 7919) % SAMPLE]!;
    const v = normalize(a.map((x, d) => x + 0.6 * b[d]! + 0.4 * c[d]! + 0.05 * random()));
    return { item_id: row.id, account_id: big, embedder: embedder.id, dimensions: 512, vector: vectorToBuffer(v), updated_at: now };
  });
  await store.db.batchInsert('kb_item_vectors', vectorRows, 250);
}
console.log(`wrote ${TOTAL} items + vectors in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s`);

let started = performance.now();
service = await startRetrieval(store.db, store.dataDir, { embedder: shared, log });
console.log(`first start, index built from the database: ${((performance.now() - started) / 1000).toFixed(1)} s`);
await service.close(); // saves the index

// 3. Restart with the index ready, then search.
started = performance.now();
service = await startRetrieval(store.db, store.dataDir, { embedder: shared, log });
console.log(`restart with a ${TOTAL}-item index ready: ${((performance.now() - started) / 1000).toFixed(2)} s`);

console.log(`RSS after the restart (model + ${TOTAL}-item index + SQLite): ${mb(process.memoryUsage().rss)}`);
const latencies: number[] = [];
const lexicalOnly: number[] = [];
for (let round = 0; round < 2; round++) {
  for (const [i, q] of questions.entries()) {
    const text = `${q} ${round}-${i}`; // never cached: every search embeds its query
    started = performance.now();
    await service.search(big, text, 5);
    latencies.push(performance.now() - started);
  }
}
latencies.sort((a, b) => a - b);
console.log(
  `search at ${TOTAL} items (query embedding + hybrid), ${latencies.length} queries: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
);
for (const q of questions) {
  started = performance.now();
  await service.search(big, q, 5); // cached embedding now: the retrieval part alone
  lexicalOnly.push(performance.now() - started);
}
lexicalOnly.sort((a, b) => a - b);
console.log(
  `  of which retrieval with a cached query embedding: p50 ${percentile(lexicalOnly, 50).toFixed(1)} ms, p99 ${percentile(lexicalOnly, 99).toFixed(1)} ms`,
);
const embedOnly: number[] = [];
for (const [i, q] of questions.entries()) {
  started = performance.now();
  await embedder.embed([`${q} e${i}`], 'query');
  embedOnly.push(performance.now() - started);
}
embedOnly.sort((a, b) => a - b);
console.log(`  query embedding alone: p50 ${percentile(embedOnly, 50).toFixed(1)} ms, p99 ${percentile(embedOnly, 99).toFixed(1)} ms`);

// 4. Recall@10 of the HNSW index against exact search over the same vectors.
const queryVectors = await embedder.embed(questions.slice(0, 100), 'query');
const index = (service as unknown as { indexes: Map<number, { search(v: Float32Array, k: number): { id: number }[] }> }).indexes.get(big)!;
// Exact top 10 per query by a full scan of the stored vectors (read back from the database).
const exactTop = queryVectors.map(() => [] as { id: number; s: number }[]);
for await (const page of storedVectors(store.db, big, embedder.id)) {
  for (const { itemId, vector } of page) {
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
  `HNSW recall@10 vs exact (${queryVectors.length} queries, ${TOTAL} vectors): ${(found / (queryVectors.length * 10)).toFixed(3)}`,
);
console.log(`RSS at the end (embedding worker started): ${mb(process.memoryUsage().rss)}`);
console.log(machineLine());

await service.close();
await embedder.close();
await store.close();
