/**
 * Retrieval quality and reply-band calibration on the FAQ eval sets (test/fixtures/README.md): A (shop) and
 * B (dental) are the tuning sets, C (invoicing) is sealed and only its aggregates are printed, once the
 * parameters are chosen. Prints: what each ranking lead gives on A and B; cross-validated figures
 * (parameters chosen on A evaluated on B and back, and 5-fold over the questions of both); the shipped
 * retrieval through the real service on this run's database (NOVA_TEST_DATABASE=postgres for PostgreSQL)
 * with its bands, with one alternate question per item added, and on C.
 * `npm run bench -- retrieval-eval` or `npx tsx bench/retrieval-eval.bench.ts` (`-- --tuning`: without C).
 */
import type { BandParams } from '../server/retrieval/bands.js';
import { calibrationFor, type Calibration } from '../server/retrieval/calibration.js';
import { shippedSynonyms } from '../server/retrieval/synonyms.js';
import { workerEmbedder } from '../server/retrieval/test-support.js';
import type { IndexableItem } from '../server/retrieval/types.js';
import { onPostgres } from '../test/helpers/database.js';
import { CachedEmbeddings } from './lib/embedding-cache.js';
import { loadEvalSet, type EvalSet } from './lib/eval-sets.js';
import { machineLine } from './lib/machine.js';
import {
  bandOutcome,
  calibrateBands,
  calibrateThreshold,
  folds,
  quality,
  questionsOf,
  rankSet,
  searchThroughService,
  type EvalQuestion,
  type RankOptions,
  type Ranked,
} from './lib/retrieval-eval.js';

const embedder = workerEmbedder();
const cache = new CachedEmbeddings(embedder);
const shipped = calibrationFor(embedder.id);
const synonyms = shippedSynonyms();
const tuning = [loadEvalSet('shop'), loadEvalSet('dental')];
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const figures = (r: Ranked[]) => {
  const q = quality(r);
  return `hit@1 ${pct(q.hit1)}  hit@3 ${pct(q.hit3)}  MRR ${q.mrr.toFixed(3)}`;
};

console.log(machineLine());
for (const set of tuning)
  console.log(`set ${set.name}: ${set.items.length} items, ${set.questions.length} paraphrases, ${set.unanswerable.length} unanswerable`);

// --- Leads, each measured alone against the shipped ranking (in process, the production pieces).
const withLexical = (changes: Partial<Calibration['lexical']>): Calibration => ({
  ...shipped,
  lexical: { ...shipped.lexical, ...changes },
});
const fields = shipped.lexical.fieldWeights;
const titleAndContent = (item: IndexableItem) => `${item.title}\n${item.content}`;
const leads: [string, RankOptions][] = [
  [
    'dense only, title + content',
    { calibration: { ...shipped, fusion: { ...shipped.fusion, denseWeight: 1 } }, denseText: titleAndContent },
  ],
  [
    'dense only, title + content + category/tags (shipped text)',
    { calibration: { ...shipped, fusion: { ...shipped.fusion, denseWeight: 1 } } },
  ],
  [
    'BM25F only, title + content',
    { calibration: { ...withLexical({ fieldWeights: { ...fields, meta: 0 } }), fusion: { ...shipped.fusion, denseWeight: 0 } } },
  ],
  ['BM25F only, + category/tags', { calibration: { ...shipped, fusion: { ...shipped.fusion, denseWeight: 0 } } }],
  [
    'BM25F only, + category/tags + WordNet synonyms',
    { calibration: { ...shipped, fusion: { ...shipped.fusion, denseWeight: 0 } }, synonyms },
  ],
  ['fused, no synonyms', { calibration: shipped }],
  ['fused, title counted twice (title boost)', { calibration: withLexical({ fieldWeights: { ...fields, title: 2 } }), synonyms }],
  ['fused, dense of title + content only', { calibration: shipped, synonyms, denseText: titleAndContent }],
  ['reciprocal rank fusion (k = 60) instead of weighted', { calibration: shipped, synonyms, rrf: true }],
  ['shipped: weighted fusion, synonyms, category/tags', { calibration: shipped, synonyms }],
];
console.log('\nleads (answerable questions; A | B):');
for (const [name, options] of leads) {
  const ranked = await Promise.all(tuning.map((set) => rankSet(set, questionsOf(set), cache, options)));
  console.log(`  ${name.padEnd(62)} ${ranked.map(figures).join(' | ')}`);
}

console.log('\nalternate questions (alternates[0] of every item added; exact re-ask hit@1, other paraphrases; A | B):');
for (const [name, questionWeight] of [
  ["best of the item's vectors (max)", 1],
  ['a closer question pulls halfway (shipped)', shipped.fusion.questionWeight],
] as const) {
  const calibration = { ...shipped, fusion: { ...shipped.fusion, questionWeight } };
  const line = await Promise.all(
    tuning.map(async (set) => {
      const reask = quality(await rankSet(set, questionsOf(set, 'reasks'), cache, { calibration, synonyms, alternates: true }));
      const others = quality(await rankSet(set, questionsOf(set), cache, { calibration, synonyms, alternates: true }));
      return `re-ask ${pct(reask.hit1)}, paraphrases hit@1 ${pct(others.hit1)} hit@3 ${pct(others.hit3)}`;
    }),
  );
  console.log(`  ${name.padEnd(62)} ${line.join(' | ')}`);
}

// --- Cross-validation: choose the ranking parameters (and the bands) on some questions, measure on the others.
const grid: Calibration[] = [];
for (const denseWeight of [0.4, 0.5, 0.6])
  for (const synonymWeight of [0, 0.2, 0.35, 0.5])
    for (const b of [0.5, 0.75])
      for (const meta of [0.5, 1])
        grid.push({ ...withLexical({ b, synonymWeight, fieldWeights: { ...fields, meta } }), fusion: { ...shipped.fusion, denseWeight } });
const describe = (c: Calibration) =>
  `w ${c.fusion.denseWeight}, synonyms ${c.lexical.synonymWeight}, b ${c.lexical.b}, meta ${c.lexical.fieldWeights.meta}`;
const describeBands = (b: BandParams) => `answer ≥ ${b.answerScore} and margin ≥ ${b.answerMargin}, hand-off < ${b.handoffBelow}`;

/** Rankings of every grid point for some questions of a set: each question is ranked once per grid point, folds reuse it. */
const rankedByGrid = new Map<string, Map<string, Ranked>>();
const questionKey = (q: EvalQuestion) => `${q.expected}\u0000${q.q}`;
async function rank(set: EvalSet, calibration: Calibration, questions: EvalQuestion[]): Promise<Ranked[]> {
  const key = `${set.name}:${describe(calibration)}`;
  if (!rankedByGrid.has(key)) {
    const all = await rankSet(set, questionsOf(set), cache, { calibration, synonyms });
    rankedByGrid.set(key, new Map(all.map((r) => [questionKey(r.question), r])));
  }
  const ranked = rankedByGrid.get(key)!;
  return questions.map((q) => ({ ...ranked.get(questionKey(q))!, question: q }));
}
const score = (rs: Ranked[][]) => rs.map(quality).reduce((sum, q) => sum + q.hit1 + q.mrr, 0);
async function choose(parts: { set: EvalSet; questions: EvalQuestion[] }[]): Promise<Calibration> {
  let best = { calibration: grid[0]!, value: -1 };
  for (const calibration of grid) {
    const value = score(await Promise.all(parts.map((p) => rank(p.set, calibration, p.questions))));
    if (value > best.value) best = { calibration, value };
  }
  return best.calibration;
}
const bandLine = (r: Ranked[], bands: BandParams) => {
  const o = bandOutcome(r, bands);
  return (
    `answered right ${pct(o.answerable.right)}, wrong ${pct(o.answerable.wrong)}, reached ${pct(o.answerable.reached)}; ` +
    `near-topic unanswerable answered ${pct(o.nearTopic.answered)}`
  );
};

console.log('\ncross-validated:');
const [a, b] = tuning as [EvalSet, EvalSet];
for (const [train, test] of [
  [a, b],
  [b, a],
] as const) {
  const chosen = await choose([{ set: train, questions: questionsOf(train) }]);
  const trainRanked = await rank(train, chosen, questionsOf(train));
  const testRanked = await rank(test, chosen, questionsOf(test));
  const bands = calibrateBands([trainRanked]);
  console.log(`  chosen on ${train.name} (${describe(chosen)}; bands ${describeBands(bands)})`);
  console.log(`    → on ${test.name}: ${figures(testRanked)}; ${bandLine(testRanked, bands)}`);
}
const K = 5;
const pooled: Ranked[][] = [[], []];
const split = tuning.map((set) => folds(questionsOf(set), K));
for (let k = 0; k < K; k++) {
  const trainParts = tuning.map((set, s) => ({ set, questions: split[s]!.filter((_, i) => i !== k).flat() }));
  const chosen = await choose(trainParts);
  const bands = calibrateBands(await Promise.all(trainParts.map((p) => rank(p.set, chosen, p.questions))));
  for (const [s, set] of tuning.entries()) {
    const held = await rank(set, chosen, split[s]![k]!);
    pooled[s]!.push(...held.map((r) => ({ ...r, bands })));
  }
}
for (const [s, set] of tuning.entries()) {
  const held = pooled[s]! as (Ranked & { bands: BandParams })[];
  // Each held-out question is banded with the constants chosen without its fold.
  const outcomes = held.map((r) => bandOutcome([r], r.bands));
  const sum = (f: (o: ReturnType<typeof bandOutcome>) => number, group: (r: Ranked) => boolean) =>
    outcomes.filter((_, i) => group(held[i]!)).reduce((acc, o) => acc + f(o), 0) / (held.filter(group).length || 1);
  const answerable = (r: Ranked) => r.question.expected !== null;
  const near = (r: Ranked) => r.question.expected === null && r.question.nearTopic;
  console.log(
    `  ${K}-fold over A and B together, held-out questions of ${set.name}: ${figures(held)}; answered right ` +
      `${pct(sum((o) => o.answerable.right, answerable))}, wrong ${pct(sum((o) => o.answerable.wrong, answerable))}, reached ` +
      `${pct(sum((o) => o.answerable.reached, answerable))}; near-topic unanswerable answered ${pct(sum((o) => o.nearTopic.answered, near))}`,
  );
}
const chosenOnBoth = await choose(tuning.map((set) => ({ set, questions: questionsOf(set) })));
const bandsOnBoth = calibrateBands(await Promise.all(tuning.map((set) => rank(set, shipped, questionsOf(set)))));
console.log(`  chosen on A and B together: ${describe(chosenOnBoth)} (shipped: ${describe(shipped)})`);
console.log(`  bands chosen on A and B for the shipped ranking: ${describeBands(bandsOnBoth)} (shipped: ${describeBands(shipped.bands)})`);
console.log(
  `  match threshold chosen on A and B: ${calibrateThreshold(await Promise.all(tuning.map((set) => rank(set, shipped, questionsOf(set)))))} (shipped: ${shipped.matchThreshold})`,
);

// --- The shipped retrieval through the real service, on this run's database.
console.log(`\nshipped retrieval through HybridRetrieval on ${onPostgres ? 'PostgreSQL' : 'SQLite'} (${describeBands(shipped.bands)}):`);
const bandTable = (name: string, r: Ranked[]) => {
  const o = bandOutcome(r, shipped.bands);
  console.log(`  ${name}: ${figures(r)}`);
  console.log(
    `    answerable (${o.answerable.n}): answer right ${pct(o.answerable.right)}, answer wrong ${pct(o.answerable.wrong)}, ` +
      `choices with it ${pct(o.answerable.choiceRight)}, choices without ${pct(o.answerable.choiceMissed)}, hand-off ` +
      `${pct(o.answerable.handoff)} → reached ${pct(o.answerable.reached)}`,
  );
  console.log(
    `    unanswerable (${o.unanswerable.n}): answered ${pct(o.unanswerable.answered)}, choices ${pct(o.unanswerable.choices)}, ` +
      `hand-off ${pct(o.unanswerable.handoff)}; near-topic (${o.nearTopic.n}): answered ${pct(o.nearTopic.answered)}, ` +
      `choices ${pct(o.nearTopic.choices)}, hand-off ${pct(o.nearTopic.handoff)}`,
  );
};
const learning = async (set: EvalSet) => {
  const reasks = questionsOf(set, 'reasks');
  const paraphrases = questionsOf(set);
  const ranked = await searchThroughService(set, [...reasks, ...paraphrases], { embedder, alternates: true });
  const reask = quality(ranked.slice(0, reasks.length));
  const others = ranked.slice(reasks.length);
  console.log(
    `    with alternates[0] of every item as an alternate question: its exact re-ask first ${pct(reask.hit1)}; ` +
      `the other paraphrases ${figures(others)}`,
  );
};
for (const set of tuning) {
  bandTable(set.name, await searchThroughService(set, questionsOf(set), { embedder }));
  await learning(set);
}
// The sealed set: run once the parameters are chosen; aggregates only (test/fixtures/README.md). `--tuning`
// leaves it out, for the runs that choose them.
if (!process.argv.includes('--tuning')) {
  const sealed = loadEvalSet('invoicing', { openSealed: true });
  bandTable(`${sealed.name} (sealed)`, await searchThroughService(sealed, questionsOf(sealed), { embedder }));
  await learning(sealed);
}
await embedder.close();
