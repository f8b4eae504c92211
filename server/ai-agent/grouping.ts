import { dot } from '../retrieval/vectors.js';

/**
 * How close two questions' vectors (USE Lite, cosine) must be to count as the same question in the AI report.
 * Measured with bench/question-grouping.bench.ts (figures in bench/RESULTS.md): on near-duplicates
 * (test/fixtures/question-groups.json) 0.7 groups 65 % of the pairs at 87 % precision, and it merges fewer than
 * 10 of the ~7 000–10 000 pairs of paraphrases about different items in eval sets A and B; 0.65 merges 3× more
 * of those, 0.75 groups a third fewer near-duplicates.
 */
export const SAME_QUESTION_SIMILARITY = 0.7;

export type AskedQuestion = { text: string; vector: Float32Array; conversationId: number };
export type QuestionGroup = { question: string; count: number; conversationIds: number[] };

/** Case and spacing aside, the same words are the same question before any vector is compared. */
export const questionKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Near-duplicates together, largest group first: phrasings are taken most frequent first, and each joins the
 * group whose leading phrasing it is closest to (if close enough) or leads a new one. A group is named by its
 * most frequent phrasing.
 */
export function groupQuestions(asked: AskedQuestion[], threshold = SAME_QUESTION_SIMILARITY): QuestionGroup[] {
  const phrasings = new Map<string, { text: string; vector: Float32Array; conversations: number[] }>();
  for (const q of asked) {
    const key = questionKey(q.text);
    const entry = phrasings.get(key) ?? phrasings.set(key, { text: q.text.trim(), vector: q.vector, conversations: [] }).get(key)!;
    entry.conversations.push(q.conversationId);
  }
  const ordered = [...phrasings.values()].sort((a, b) => b.conversations.length - a.conversations.length);
  const groups: { leader: Float32Array; question: string; conversations: number[] }[] = [];
  for (const phrasing of ordered) {
    let best: (typeof groups)[number] | undefined;
    let bestSimilarity = threshold;
    for (const group of groups) {
      const similarity = dot(group.leader, phrasing.vector);
      if (similarity >= bestSimilarity) [best, bestSimilarity] = [group, similarity];
    }
    if (best) best.conversations.push(...phrasing.conversations);
    else groups.push({ leader: phrasing.vector, question: phrasing.text, conversations: [...phrasing.conversations] });
  }
  return groups
    .map((g) => ({ question: g.question, count: g.conversations.length, conversationIds: [...new Set(g.conversations)] }))
    .sort((a, b) => b.count - a.count);
}
