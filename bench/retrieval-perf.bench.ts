/**
 * Retrieval performance with the default embedder (USE Lite int8, in its worker thread):
 *  1. in process: RSS with the model loaded; bulk import rate with real embeddings (indexItems, 200-item
 *     batches); search latency while that import runs;
 *  2. a KB of BENCH_ITEMS (default 100 000) items: real rows, vectors made from real USE embeddings of a
 *     sample mixed with noise (embedding 100k texts here would take minutes), index built from the DB;
 *  3. a restart in a fresh process (bench/lib/retrieval-restart.ts): start time, RSS idle after it, search
 *     p50/p99 and CPU per search (uncached query embedding + hybrid), HNSW recall@10 against exact search.
 * `npm run bench -- retrieval-perf`; BENCH_ITEMS=20000 for a quicker run; BENCH_DATA_DIR=/some/dir keeps the
 * large KB there and reuses it on the next run (skips step 2's two-minute HNSW build).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { loadEvalSet } from './lib/retrieval-eval.js';
import { machineLine, mb, percentile } from './lib/machine.js';
import { syntheticItem } from './lib/synthetic-kb.js';
import { countOf, nowIso } from '../server/db/knex.js';
import { vectorToBuffer, normalize } from '../server/retrieval/vectors.js';
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

// 2. A large KB: rows + vectors written straight to the database, index built from it on the first start.
const keptDir = process.env.BENCH_DATA_DIR;
const bigStore = keptDir ? await openTestStore(keptDir) : store;
const existing = await bigStore.db('accounts').where({ name: 'big' }).first('id');
let big = existing ? Number(existing.id) : 0;
const itemsThere = big ? countOf(await bigStore.db('kb_items').where({ account_id: big }).count().first()) : 0;
if (big && itemsThere === TOTAL) {
  console.log(`reusing the ${TOTAL}-item KB in ${keptDir}`);
} else {
  if (big) throw new Error(`${keptDir} holds a KB of ${itemsThere} items, not ${TOTAL}: remove it or change BENCH_ITEMS`);
  big = await createAccount(bigStore.db, 'big');
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
      bigStore.db,
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
    await bigStore.db.batchInsert('kb_item_vectors', vectorRows, 250);
  }
  console.log(`wrote ${TOTAL} items + vectors in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s`);
  const started = performance.now();
  service = await startRetrieval(bigStore.db, bigStore.dataDir, { embedder: shared, log });
  console.log(`first start, index built from the database: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await service.close(); // saves the index
}
await embedder.close();
if (bigStore !== store) await bigStore.close();
const bigDir = bigStore.dataDir;

// 3. Restart in a fresh process, as a server restart would, with the index files ready.
const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'lib/retrieval-restart.ts')], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_RESTART_DIR: bigDir, BENCH_ACCOUNT: String(big) },
});
await store.close();
if (child.status !== 0) throw new Error(`the restart process failed (${child.status})`);
console.log(machineLine());
