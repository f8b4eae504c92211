import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadEvalSet } from '../../bench/lib/retrieval-eval.js';
import type { HybridRetrieval } from './service.js';
import { createAccount, insertItems, openTestStore, startRetrieval } from './test-support.js';

/**
 * The shipped retrieval (default embedder, calibrated fusion and threshold) on the FAQ evaluation set,
 * through the real search path. Floors sit a little below the figures in bench/RESULTS.md
 * (SQLite: hit@1 75.2 %, answerable above threshold 78.5 %, out-of-KB below 72.7 %; PostgreSQL: 74.4 %, 70.2 %, 90.9 %).
 */
const set = loadEvalSet();
// The out-of-KB floor was measured on the set's first 22 unanswerable questions; the 18 near-topic ones added for
// issue 12 (test/fixtures/README.md) are harder and get their floor when issue 12 calibrates the answer bands.
const flooredUnanswerable = set.unanswerable.slice(0, 22);
let store: Awaited<ReturnType<typeof openTestStore>>;
let service: HybridRetrieval;
let accountId: number;
const idOf = new Map<string, number>();

beforeAll(async () => {
  store = await openTestStore();
  service = await startRetrieval(store.db, store.dataDir);
  accountId = await createAccount(store.db);
  const rows = await insertItems(
    store.db,
    accountId,
    set.items.map(({ title, content }) => ({ title, content })),
  );
  set.items.forEach((item, i) => idOf.set(item.key, rows[i]!.id));
  await service.indexItems(accountId, rows);
});
afterAll(async () => {
  await service.close();
  await store.close();
});

test('answerable questions: the right item comes first for at least 70 %', async () => {
  let hits = 0;
  let aboveThreshold = 0;
  // Concurrent searches: the embedding worker batches their queries.
  const tops = await Promise.all(set.questions.map(({ q }) => service.search(accountId, q, 5).then((hits) => hits[0])));
  for (const [i, { item }] of set.questions.entries()) {
    const top = tops[i];
    if (top?.itemId === idOf.get(item)) hits += 1;
    if ((top?.score ?? 0) >= service.matchThreshold) aboveThreshold += 1;
  }
  expect(hits / set.questions.length).toBeGreaterThanOrEqual(0.7);
  expect(aboveThreshold / set.questions.length).toBeGreaterThanOrEqual(0.68);
});

test('questions the KB cannot answer: at least 65 % score below the match threshold', async () => {
  let below = 0;
  const tops = await Promise.all(flooredUnanswerable.map(({ q }) => service.search(accountId, q, 5).then((hits) => hits[0])));
  for (const top of tops) {
    if ((top?.score ?? 0) < service.matchThreshold) below += 1;
  }
  expect(below / flooredUnanswerable.length).toBeGreaterThanOrEqual(0.65);
});
