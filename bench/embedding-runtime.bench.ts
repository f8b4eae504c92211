/**
 * The bundled Universal Sentence Encoder Lite on its runtimes, side by side in one run on the same texts
 * (BENCH_TEXTS FAQ-length items, default 600):
 *  1. TF.js (WASM+SIMD, one thread, the runtime the product used before) — the reference speed;
 *  2. onnxruntime, float32 and int8, on one thread and on every core, in this thread;
 *  3. the product's import path: indexItems (SQLite + HNSW) through the embedding worker, 200-item batches;
 *  4. query embedding latency through the worker, idle and while an import runs;
 *  5. RSS of a fresh process with each runtime loaded and used;
 *  6. ranking quality, float32 against int8, on every FAQ eval set (hit@1 and MRR of dense alone and of
 *     the shipped fusion; the sealed set's aggregate figures only, as its README asks).
 * CPU is user + system time of the whole process per item: the figure that does not depend on how busy
 * the neighbours are. TF.js runs once before and once after the rest; its mean is the reference.
 * `npm run bench -- embedding-runtime`.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { UseEmbedder } from '../server/retrieval/embedders/use.js';
import { createAccount, insertItems, openTestStore, startRetrieval, workerEmbedder } from '../server/retrieval/test-support.js';
import { TfjsUseReference } from '../server/retrieval/testing/use-tfjs.js';
import { machineLine, mb, percentile } from './lib/machine.js';
import { calibrationFor } from '../server/retrieval/calibration.js';
import { shippedSynonyms } from '../server/retrieval/synonyms.js';
import { CachedEmbeddings } from './lib/embedding-cache.js';
import { FAQ_EVAL_SETS, loadEvalSet, type FaqEvalSetName } from './lib/eval-sets.js';
import { quality, questionsOf, rankSet } from './lib/retrieval-eval.js';
import { syntheticItem } from './lib/synthetic-kb.js';

const COUNT = Number(process.env.BENCH_TEXTS ?? 600);
const here = fileURLToPath(import.meta.url);

// 5. RSS, measured in a child process per runtime (this one will hold all of them).
if (process.argv[2] === '--rss') {
  const texts = Array.from({ length: COUNT }, (_, i) => embedText(i));
  if (process.argv[3] === 'no model') {
    // The baseline: the same modules loaded, nothing embedded.
  } else if (process.argv[3] === 'tfjs') {
    const reference = await TfjsUseReference.load();
    for (let i = 0; i < texts.length; i += 32) await reference.embed(texts.slice(i, i + 32));
  } else {
    const embedder = workerEmbedder();
    await embedder.embed(texts);
    await embedder.embed(['where is my parcel?'], 'query');
  }
  process.stdout.write(String(process.memoryUsage().rss));
  process.exit(0);
}

function embedText(i: number): string {
  const item = syntheticItem(i);
  return `${item.title}\n${item.content}`;
}

type Figure = { itemsPerSecond: number; cpuMsPerItem: number };
async function measure(run: () => Promise<unknown>): Promise<Figure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { itemsPerSecond: COUNT / seconds, cpuMsPerItem: (used.user + used.system) / 1000 / COUNT };
}
const show = (f: Figure) => `${f.itemsPerSecond.toFixed(0).padStart(5)} items/s, ${f.cpuMsPerItem.toFixed(2)} ms CPU/item`;

console.log(machineLine());
const texts = Array.from({ length: COUNT }, (_, i) => embedText(i));
console.log(`${COUNT} FAQ-length texts, ${(texts.reduce((n, t) => n + t.length, 0) / COUNT).toFixed(0)} characters on average\n`);

async function tfjsRun(): Promise<Figure> {
  const reference = await TfjsUseReference.load();
  await reference.embed(texts.slice(0, 8));
  const figure = await measure(async () => {
    for (let i = 0; i < texts.length; i += 32) await reference.embed(texts.slice(i, i + 32));
  });
  reference.close();
  return figure;
}

// 1. The reference, before.
const tfjsBefore = await tfjsRun();
console.log(`TF.js WASM, 1 thread (before):          ${show(tfjsBefore)}`);

// 2. onnxruntime in this thread.
const threadsAll = Math.min(4, os.availableParallelism());
for (const precision of ['float32', 'int8'] as const) {
  for (const threads of [...new Set([1, threadsAll])]) {
    const embedder = await UseEmbedder.load(precision, { threads });
    await embedder.embed(texts.slice(0, 8));
    const figure = await measure(async () => {
      for (let i = 0; i < texts.length; i += 16) await embedder.embed(texts.slice(i, i + 16));
    });
    console.log(`onnxruntime ${precision.padEnd(7)}, ${threads} thread${threads > 1 ? 's' : ' '}:      ${show(figure)}`);
  }
}

// 3. The product's import path: rows in SQLite, embeddings in the worker, vectors stored and indexed.
const store = await openTestStore();
const embedder = workerEmbedder();
const service = await startRetrieval(store.db, store.dataDir, { embedder, log: pino({ level: 'warn' }) });
const account = await createAccount(store.db);
await service.search(account, 'warm up the model', 1);
const imported = await measure(async () => {
  for (let i = 0; i < COUNT; i += 200) {
    const rows = await insertItems(
      store.db,
      account,
      Array.from({ length: Math.min(200, COUNT - i) }, (_, j) => syntheticItem(i + j)),
    );
    await service.indexItems(account, rows);
  }
});
console.log(`import (indexItems, ${embedder.id} worker):  ${show(imported)}`);

// 4. Query embeddings through the worker: idle, then while a bulk import keeps it busy.
const questions = loadEvalSet().questions.map((q) => q.q);
async function queryLatencies(tag: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const [i, q] of questions.entries()) {
    const started = performance.now();
    await embedder.embed([`${q} ${tag}${i}`], 'query');
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}
const idle = await queryLatencies('idle');
let busy = true;
const bulk = (async () => {
  for (let round = 0; busy; round++) await embedder.embed(texts.map((t) => `${t} ${round}`).slice(0, 160), 'bulk');
})();
const duringImport = await queryLatencies('busy');
busy = false;
await bulk;
const ms = (xs: number[], p: number) => `${percentile(xs, p).toFixed(1)} ms`;
console.log(`query embedding, idle (${idle.length} queries):    p50 ${ms(idle, 50)}, p99 ${ms(idle, 99)}`);
console.log(`query embedding, during bulk embedding: p50 ${ms(duringImport, 50)}, p99 ${ms(duringImport, 99)}`);
await service.close();
await embedder.close();
await store.close();

// 1 again: the reference after, so a change in the machine's load shows.
const tfjsAfter = await tfjsRun();
console.log(`TF.js WASM, 1 thread (after):           ${show(tfjsAfter)}`);
const reference = (tfjsBefore.itemsPerSecond + tfjsAfter.itemsPerSecond) / 2;
console.log(
  `\nimport / TF.js single-thread: ${(imported.itemsPerSecond / reference).toFixed(1)}× (target ≥ 2.5×); CPU per item ${(
    (tfjsBefore.cpuMsPerItem + tfjsAfter.cpuMsPerItem) /
    2 /
    imported.cpuMsPerItem
  ).toFixed(1)}× less`,
);

// 5. RSS of a fresh process with each runtime loaded and used.
for (const runtime of ['no model', 'tfjs', 'onnxruntime'] as const) {
  const child = spawnSync(process.execPath, [...process.execArgv, here, '--rss', runtime], { encoding: 'utf8', cwd: path.dirname(here) });
  if (child.status !== 0) throw new Error(`RSS probe for ${runtime} failed: ${child.stderr}`);
  const what = runtime === 'no model' ? 'with the same modules and no model' : `that embedded ${COUNT} texts with ${runtime}`;
  console.log(`RSS of a process ${what}: ${mb(Number(child.stdout))}`);
}

// 6. Ranking quality of the two precisions on every eval set.
console.log('\nranking (answerable questions), dense alone and the shipped hybrid ranking:');
const calibration = calibrationFor('use-lite');
for (const name of Object.keys(FAQ_EVAL_SETS) as FaqEvalSetName[]) {
  const set = loadEvalSet(name, { openSealed: true });
  for (const precision of ['float32', 'int8'] as const) {
    const model = workerEmbedder({ kind: 'use', precision });
    const embeddings = new CachedEmbeddings(model);
    const rank = (denseWeight?: number) =>
      rankSet(set, questionsOf(set), embeddings, {
        calibration: denseWeight === undefined ? calibration : { ...calibration, fusion: { ...calibration.fusion, denseWeight } },
        synonyms: shippedSynonyms(),
      });
    const [dense, fused] = [quality(await rank(1)), quality(await rank())];
    await model.close();
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `  ${name.padEnd(9)} ${precision.padEnd(7)}: dense hit@1 ${pct(dense.hit1)}, MRR ${dense.mrr.toFixed(3)}; fusion hit@1 ${pct(fused.hit1)}, MRR ${fused.mrr.toFixed(3)}`,
    );
  }
}
console.log(machineLine());
