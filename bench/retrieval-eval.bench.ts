/**
 * Retrieval quality on test/fixtures/faq-eval.json: hit@1 and MRR for lexical alone, dense alone and
 * the fusions, per embedder; searches the fusion weights; calibrates the match threshold.
 * `npm run bench -- retrieval-eval` or `npx tsx bench/retrieval-eval.bench.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fusionFor } from '../server/retrieval/calibration.js';
import type { EmbedderSpec } from '../server/retrieval/types.js';
import { MODELS_DIR } from '../server/paths.js';
import { onPostgres } from '../test/helpers/database.js';
import {
  calibrateThreshold,
  collectSignals,
  denseOnly,
  lexicalOnly,
  loadEvalSet,
  quality,
  rrf,
  weighted,
  weightedMinMax,
} from './lib/retrieval-eval.js';

const set = loadEvalSet();
console.log(`machine: ${os.cpus().length}× ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}`);
console.log(
  `eval set: ${set.items.length} items, ${set.questions.length} answerable questions, ${set.unanswerable.length} out-of-KB questions\n`,
);

// The bundled USE at both precisions the build makes: float32 (vectors equal to the TF.js model's) and int8.
const specs: EmbedderSpec[] = [
  { kind: 'use', precision: 'float32' },
  { kind: 'use', precision: 'int8' },
];
const modelsDir = process.env.NOVA_MODELS_DIR ?? MODELS_DIR;
for (const entry of fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir) : []) {
  if (fs.existsSync(path.join(modelsDir, entry, 'config.json'))) specs.push({ kind: 'transformers', model: entry, modelsDir });
}

const FUSION = fusionFor(onPostgres ? 'postgres' : 'sqlite');
const pct = (x: number) => (100 * x).toFixed(1).padStart(5) + '%';
for (const spec of specs) {
  const { embedderId, signals } = await collectSignals(spec);
  console.log(`--- embedder ${embedderId}`);
  const rows: [string, ReturnType<typeof quality>][] = [
    [onPostgres ? 'lexical (ts_rank)' : 'lexical (FTS5 bm25)', quality(signals, lexicalOnly)],
    ['dense', quality(signals, denseOnly)],
    ['RRF k=60', quality(signals, rrf)],
  ];
  let bestMinMax = { w: 0, q: { hit1: -1, mrr: 0 } };
  for (let w = 0.3; w <= 0.951; w += 0.05) {
    const q = quality(signals, weightedMinMax(w));
    if (q.hit1 > bestMinMax.q.hit1 || (q.hit1 === bestMinMax.q.hit1 && q.mrr > bestMinMax.q.mrr)) bestMinMax = { w, q };
  }
  rows.push([`weighted, min-max norm (best w=${bestMinMax.w.toFixed(2)})`, bestMinMax.q]);
  const grid: { w: number; scale: number; q: ReturnType<typeof quality> }[] = [];
  for (let w = 0.1; w <= 0.951; w += 0.05) {
    for (const scale of [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 4, 8, 12, 16, 24, 32])
      grid.push({ w: Number(w.toFixed(2)), scale, q: quality(signals, weighted({ denseWeight: w, lexicalScale: scale })) });
  }
  grid.sort((a, b) => b.q.hit1 - a.q.hit1 || b.q.mrr - a.q.mrr);
  const best = grid[0]!;
  rows.push([`weighted, saturating norm (best w=${best.w}, scale=${best.scale})`, best.q]);
  rows.push([
    `weighted, saturating norm (shipped w=${FUSION.denseWeight}, scale=${FUSION.lexicalScale})`,
    quality(signals, weighted(FUSION)),
  ]);
  for (const [name, q] of rows) console.log(`${name.padEnd(58)} hit@1 ${pct(q.hit1)}   MRR ${q.mrr.toFixed(3)}`);
  console.log(
    'top of the grid:',
    grid
      .slice(0, 5)
      .map((g) => `w=${g.w} s=${g.scale} → ${pct(g.q.hit1)}/${g.q.mrr.toFixed(3)}`)
      .join('; '),
  );
  for (const [name, ranker] of [
    ['dense', denseOnly],
    [`best fusion`, weighted({ denseWeight: best.w, lexicalScale: best.scale })],
    ['shipped fusion', weighted(FUSION)],
  ] as const) {
    const c = calibrateThreshold(signals, ranker);
    console.log(
      `threshold (${name}): ${c.threshold.toFixed(3)}: answerable at/above ${pct(c.inKbAbove)}, out-of-KB below ${pct(c.outKbBelow)}`,
    );
  }
  console.log();
}
