/**
 * HNSW recall@10 against exact search for several search breadths (ef) on the same vectors, and the
 * search time per query. Vectors: BENCH_ITEMS (default 100 000) mixes of real USE embeddings, as in
 * retrieval-perf.bench.ts. `npm run bench -- hnsw-recall`.
 */
import { AccountIndex } from '../server/retrieval/account-index.js';
import { workerEmbedder } from '../server/retrieval/test-support.js';
import { dot, normalize } from '../server/retrieval/vectors.js';
import { loadEvalSet } from './lib/retrieval-eval.js';
import { machineLine } from './lib/machine.js';

const TOTAL = Number(process.env.BENCH_ITEMS ?? 100_000);
const SAMPLE = 1000;
console.log(machineLine());
const set = loadEvalSet();
const embedder = workerEmbedder();
const sample = await embedder.embed(
  Array.from(
    { length: SAMPLE },
    (_, i) => `${set.items[i % set.items.length]!.title} ${i}\n${set.items[(i * 7) % set.items.length]!.content}`,
  ),
);
const queries = await embedder.embed([...set.questions.map((q) => q.q), ...set.unanswerable.map((u) => u.q)].slice(0, 100), 'query');
await embedder.close();

let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const vectors: Float32Array[] = [];
for (let n = 0; n < TOTAL; n++) {
  const [a, b, c] = [sample[n % SAMPLE]!, sample[Math.floor(n / SAMPLE) % SAMPLE]!, sample[(n * 7919) % SAMPLE]!];
  vectors.push(normalize(a.map((x, d) => x + 0.6 * b[d]! + 0.4 * c[d]! + 0.05 * random())));
}
let started = performance.now();
const index = AccountIndex.create(512, TOTAL);
vectors.forEach((v, i) => index.upsert(i + 1, v, 'v'));
console.log(`built ${TOTAL} × 512-d in ${((performance.now() - started) / 1000).toFixed(0)} s`);

const exact = queries.map((q) =>
  vectors
    .map((v, i) => ({ id: i + 1, s: dot(q, v) }))
    .sort((x, y) => y.s - x.s)
    .slice(0, 10)
    .map((e) => e.id),
);
for (const ef of [64, 96, 128, 200, 300, 400]) {
  index.setEf(ef);
  let found = 0;
  started = performance.now();
  queries.forEach((q, qi) => {
    const approx = new Set(index.search(q, 10).map((h) => h.id));
    found += exact[qi]!.filter((id) => approx.has(id)).length;
  });
  const ms = (performance.now() - started) / queries.length;
  console.log(`ef ${String(ef).padStart(3)}: recall@10 ${(found / (queries.length * 10)).toFixed(3)}, ${ms.toFixed(2)} ms per search`);
}
console.log(machineLine());
