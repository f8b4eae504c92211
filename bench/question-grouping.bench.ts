/**
 * How well the AI report groups near-duplicate questions (server/ai-agent/grouping.ts), with the default embedder
 * at several similarity thresholds:
 * - test/fixtures/question-groups.json: 20 questions in 3 light rewordings each; a pair is right when both are the
 *   same question. Recall: pairs of one question grouped together; precision: right pairs among those grouped.
 * - the paraphrases of the tuning eval sets A (shop) and B (dental), which must not merge questions about different
 *   items: pair precision there (their same-item paraphrases share no words on purpose: recall is not the point).
 * `npx tsx bench/question-grouping.bench.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { groupQuestions } from '../server/ai-agent/grouping.js';
import { PROJECT_ROOT } from '../server/paths.js';
import { workerEmbedder } from '../server/retrieval/test-support.js';
import { TUNING_SETS } from './lib/eval-sets.js';
import { loadEvalSet } from './lib/retrieval-eval.js';
import { machineLine } from './lib/machine.js';

const THRESHOLDS = [0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85];
const embedder = workerEmbedder();
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Pairs grouped together that are right and wrong, and the right pairs there are, for questions labelled by `labels`. */
async function pairFigures(texts: string[], labels: string[]) {
  const vectors = await embedder.embed(texts, 'query');
  // The conversation id stands for the question's index, so each group lists which questions it holds.
  const asked = texts.map((text, i) => ({ text, vector: vectors[i]!, conversationId: i }));
  let possible = 0;
  for (let a = 0; a < labels.length; a++) for (let b = a + 1; b < labels.length; b++) if (labels[a] === labels[b]) possible++;
  return THRESHOLDS.map((threshold) => {
    let right = 0;
    let wrong = 0;
    for (const group of groupQuestions(asked, threshold)) {
      const members = group.conversationIds.map((i) => labels[i]!);
      for (let a = 0; a < members.length; a++)
        for (let b = a + 1; b < members.length; b++)
          if (members[a] === members[b]) right++;
          else wrong++;
    }
    return { threshold, right, wrong, possible };
  });
}

console.log(machineLine());
console.log(`embedder ${embedder.id}`);
try {
  const fixture = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/question-groups.json'), 'utf8')) as {
    groups: string[][];
  };
  const dups = await pairFigures(
    fixture.groups.flat(),
    fixture.groups.flatMap((g, i) => g.map(() => String(i))),
  );
  const sets: { name: string; figures: Awaited<ReturnType<typeof pairFigures>> }[] = [];
  for (const name of TUNING_SETS) {
    const set = loadEvalSet(name);
    sets.push({
      name,
      figures: await pairFigures(
        set.questions.map((q) => q.q),
        set.questions.map((q) => q.item),
      ),
    });
  }
  console.log(
    `| threshold | near-duplicates: recall | precision | ${sets.map((s) => `${s.name}: wrong merges (precision)`).join(' | ')} |`,
  );
  console.log(`| ---: | ---: | ---: | ${sets.map(() => '---:').join(' | ')} |`);
  dups.forEach((d, i) => {
    const other = sets.map(({ figures }) => {
      const f = figures[i]!;
      return `${f.wrong} (${f.right + f.wrong ? pct(f.right / (f.right + f.wrong)) : '—'})`;
    });
    console.log(
      `| ${d.threshold} | ${pct(d.right / d.possible)} | ${d.right + d.wrong ? pct(d.right / (d.right + d.wrong)) : '—'} | ${other.join(' | ')} |`,
    );
  });
} finally {
  await embedder.close();
}
