import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { connectDatabase } from '../db/knex.js';
import { PostgresNotifications } from '../db/notifications.js';
import { INDEX_CHANGES_CHANNEL } from './repo.js';
import type { HybridRetrieval } from './service.js';
import { createAccount, insertItems, insertQuestions, openTestStore, startRetrieval, workerEmbedder } from './test-support.js';
import { writeTinyBert } from './testing/tiny-bert.js';
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
  let upgraded = false;
  afterAll(async () => {
    if (!upgraded) await a?.close();
    if (!upgraded) await b?.close();
    await otherDb?.destroy();
    await fs.rm(otherDir, { recursive: true, force: true });
    await store?.close();
    if (!upgraded) await model.close();
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

  test('a server told of a change on the PostgreSQL channel reloads it without waiting for its poll', async () => {
    const notifications = new PostgresNotifications(store.databaseUrl!, pino({ level: 'silent' }));
    notifications.listen(INDEX_CHANGES_CHANNEL, { onNotification: () => b.syncSoon(), onListening: () => b.syncSoon() });
    await notifications.start();
    try {
      const account = await createAccount(store.db);
      const [voucher] = await insertItems(store.db, account, [{ title: 'Spring voucher', content: 'The code BLOSSOM gives 10 % off.' }]);
      await a.indexItems(account, [voucher!]);
      // B polls once an hour in this test: only the notification can bring the item in.
      await vi.waitFor(async () => expect((await b.search(account, 'blossom', 1))[0]?.itemId).toBe(voucher!.id), { timeout: 10_000 });
    } finally {
      await notifications.stop();
    }
  });

  test('after an embedder change, the servers re-embed each text once between them, and both end with the new vectors', async () => {
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, [
      { title: 'How do I track my parcel?', content: 'We email a tracking link when the order ships.' },
      { title: 'Are you open on Sunday?', content: 'The store is closed on Sundays.' },
      { title: 'Do you accept PayPal?', content: 'Yes, PayPal and all major cards.' },
    ]);
    await a.indexItems(account, items);
    const modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-models-'));
    await writeTinyBert(modelsDir, 'tiny-bert', 16);
    const tiny = workerEmbedder({ kind: 'transformers', model: 'tiny-bert', modelsDir });
    let reembedded = 0;
    const counted: Embedder = {
      id: tiny.id,
      dimensions: tiny.dimensions,
      embed: (texts, priority) => ((reembedded += texts.length), tiny.embed(texts, priority)),
      close: async () => {},
    };
    // The upgrade: both servers stop, then start again at once with the new model, each starting its
    // background re-embedding right away.
    upgraded = true;
    await a.close();
    await b.close();
    await model.close();
    const [a2, b2] = await Promise.all([
      startRetrieval(store.db, store.dataDir, { embedder: counted, syncIntervalMs: 3_600_000 }),
      startRetrieval(otherDb, otherDir, { embedder: counted, syncIntervalMs: 3_600_000 }),
    ]);
    try {
      // Every text of the KB (items and alternate questions) lacks a vector of the new model.
      const texts = a2.status().reembedding!.total;
      expect(texts).toBeGreaterThanOrEqual(items.length);
      expect(b2.status().reembedding).toEqual({ done: 0, total: texts });
      await Promise.all([a2.reconcileNow(), b2.reconcileNow()]);
      await Promise.all([a2.syncNow(), b2.syncNow()]);
      // The server that did not embed sees the work done at its next look.
      await Promise.all([a2.reconcileNow(), b2.reconcileNow()]);
      expect(reembedded).toBe(texts);
      for (const server of [a2, b2]) {
        expect(server.status()).toMatchObject({ embedder: { id: tiny.id }, pending: 0, reembedding: null });
        expect(server.status().indexed).toBe(texts);
        const [hit] = await server.search(account, 'How do I track my parcel?', 1);
        expect(hit).toMatchObject({ itemId: items[0]!.id });
        expect(hit!.dense).toBeGreaterThan(0);
      }
    } finally {
      await a2.close();
      await b2.close();
      await tiny.close();
      await fs.rm(modelsDir, { recursive: true, force: true });
    }
  });
});
