import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { connectDatabase } from '../db/knex.js';
import type { HybridRetrieval } from './service.js';
import { createAccount, insertItems, insertQuestions, openTestStore, startRetrieval, workerEmbedder } from './test-support.js';
import type { Embedder } from './types.js';

/**
 * Two servers on one PostgreSQL database, each with its indexes in process: what one writes, the other
 * finds after reloading the changed items (syncNow, which each runs every second), without re-embedding.
 */
describe.skipIf(!onPostgres)('several servers on one PostgreSQL', () => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let otherDb: Knex;
  let otherDir: string;
  let a: HybridRetrieval;
  let b: HybridRetrieval;
  const model = workerEmbedder();
  let embedded = 0;
  const shared: Embedder = {
    id: model.id,
    dimensions: model.dimensions,
    embed: (texts, priority) => ((embedded += texts.length), model.embed(texts, priority)),
    close: async () => {},
  };

  beforeAll(async () => {
    store = await openTestStore();
    otherDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-node-b-'));
    otherDb = connectDatabase({ dataDir: otherDir, databaseUrl: store.databaseUrl });
    // Syncing by hand, so the test says when the other server looks.
    a = await startRetrieval(store.db, store.dataDir, { embedder: shared, syncIntervalMs: 3_600_000 });
    b = await startRetrieval(otherDb, otherDir, { embedder: shared, syncIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await otherDb?.destroy();
    await fs.rm(otherDir, { recursive: true, force: true });
    await store?.close();
    await model.close();
  });

  test('items, alternate questions and deletions written through one server are found through the other', async () => {
    const account = await createAccount(store.db);
    const [returns, hours] = await insertItems(store.db, account, [
      { title: 'What is your return policy?', content: 'Unused items can be returned within 30 days for a refund.', tags: ['returns'] },
      { title: 'When are you open?', content: 'Monday to Friday 9 am to 6 pm, closed on Sundays.' },
    ]);
    await a.indexItems(account, [returns!, hours!]);
    expect(await b.search(account, 'refund', 2)).toEqual([]);

    await b.syncNow();
    const before = embedded;
    const [hit] = await b.search(account, 'can I send it back for my money', 1);
    expect(hit).toMatchObject({ itemId: returns!.id });
    expect(hit!.dense).toBeGreaterThan(0.3); // the vector A stored, not one B made
    expect(embedded - before).toBe(1); // the query only

    const withQuestion = await insertQuestions(store.db, account, hours!, ['is the shop shut on bank holidays']);
    await a.indexItems(account, [withQuestion]);
    await b.syncNow();
    expect((await b.search(account, 'shut on bank holidays', 1))[0]?.itemId).toBe(hours!.id);

    await store.db('kb_items').where({ id: returns!.id }).delete();
    await a.removeItems(account, [returns!.id]);
    await b.syncNow();
    expect((await b.search(account, 'return policy refund', 2)).map((h) => h.itemId)).not.toContain(returns!.id);
  });
});
