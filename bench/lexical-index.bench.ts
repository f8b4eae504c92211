/**
 * The in-process lexical side at 100 000 items (server/retrieval/lexical-index.ts): time and heap to build
 * the index from rows, search latency with and without WordNet expansion (the expansion's own cost), the
 * synonym table's load time and heap, and an update/remove mix. Items are synthetic FAQ texts
 * (bench/lib/synthetic-kb.ts) with a category, tags and, for one in ten, two alternate questions.
 * `npx tsx bench/lexical-index.bench.ts [items=100000]`.
 */
import { calibrationFor } from '../server/retrieval/calibration.js';
import { LexicalIndex } from '../server/retrieval/lexical-index.js';
import { lexicalDocument } from '../server/retrieval/service.js';
import { shippedSynonyms } from '../server/retrieval/synonyms.js';
import { loadEvalSet } from './lib/eval-sets.js';
import { machineLine, mb, percentile } from './lib/machine.js';
import { syntheticItem } from './lib/synthetic-kb.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const params = calibrationFor('use-lite').lexical;
const heap = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed;
};
const timed = <T>(fn: () => T): [T, number] => {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
};

console.log(machineLine());
const heapBefore = heap();
const [synonyms, loadMs] = timed(() => {
  const table = shippedSynonyms();
  table.of('warranti'); // reads the file
  return table;
});
const heapSynonyms = heap();
console.log(`synonym table: loaded in ${loadMs.toFixed(0)} ms, heap ${mb(heapSynonyms - heapBefore)}`);

const docs = Array.from({ length: COUNT }, (_, i) => {
  const { title, content } = syntheticItem(i);
  return lexicalDocument({
    id: i + 1,
    title,
    content,
    category: ['Shipping', 'Returns', 'Payments', 'Store', 'Account'][i % 5]!,
    tags: [`tag${i % 40}`, 'faq'],
    questions:
      i % 10 === 0
        ? [
            { id: 2 * i, question: `Question about item ${i}?` },
            { id: 2 * i + 1, question: title.toLowerCase() },
          ]
        : [],
  });
});
const heapDocs = heap();
const index = new LexicalIndex();
const [, buildMs] = timed(() => docs.forEach((doc, i) => index.upsert(i + 1, doc)));
const heapIndex = heap();
console.log(
  `build from ${COUNT} rows: ${(buildMs / 1000).toFixed(2)} s (${((buildMs * 1000) / COUNT).toFixed(1)} µs per item), heap ${mb(heapIndex - heapDocs)}`,
);

const questions = [...loadEvalSet('shop').questions, ...loadEvalSet('dental').questions].map((q) => q.q);
const dense = Array.from({ length: 30 }, (_, i) => 1 + ((i * 3331) % COUNT));
for (const [name, expand] of [
  ['without expansion', undefined],
  ['with WordNet expansion', synonyms],
] as const) {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) times.push(timed(() => index.search(q, 30, params, expand, dense))[1]);
  }
  times.sort((a, b) => a - b);
  console.log(
    `search ${name} (${times.length} eval questions, 30 dense candidates scored too): p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`,
  );
}
const expansion: number[] = [];
for (const q of questions) {
  const [, ms] = timed(() => {
    for (const term of q.toLowerCase().split(/\W+/)) for (const s of synonyms.of(term)) index.hasTerm(s);
  });
  expansion.push(ms);
}
expansion.sort((a, b) => a - b);
// The slowest questions, each searched 5 times: the fastest of the 5 is the cost without scheduling noise.
const slowest = questions
  .map((q) => ({ q, ms: Math.min(...Array.from({ length: 5 }, () => timed(() => index.search(q, 30, params, synonyms, dense))[1])) }))
  .sort((a, b) => b.ms - a.ms);
console.log(`slowest question, best of 5 runs: ${slowest[0]!.ms.toFixed(1)} ms (${slowest[0]!.q.split(' ').length} words)`);
console.log(`the expansion lookup alone: p50 ${percentile(expansion, 50).toFixed(3)} ms, p99 ${percentile(expansion, 99).toFixed(3)} ms`);

const [, churnMs] = timed(() => {
  for (let i = 0; i < 10_000; i++) {
    const id = 1 + ((i * 7919) % COUNT);
    if (i % 2) index.upsert(id, docs[id - 1]!);
    else index.remove(id);
  }
});
console.log(`10 000 updates/removals: ${((churnMs * 1000) / 10_000).toFixed(1)} µs each; heap now ${mb(heap() - heapDocs)}`);
