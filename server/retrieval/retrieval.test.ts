import fs from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { HybridRetrieval } from './service.js';
import { createAccount, insertItems, insertQuestions, openTestStore, startRetrieval, workerEmbedder } from './test-support.js';
import type { Embedder } from './types.js';
import { dot, normalize, vectorToBuffer } from './vectors.js';

const FAQ = [
  { title: 'How long does delivery take?', content: 'Standard delivery takes 3 to 5 business days after the order ships.' },
  { title: 'What is your return policy?', content: 'Unused items can be returned within 30 days of delivery for a full refund.' },
  { title: 'Which payment methods do you accept?', content: 'We accept Visa, Mastercard, PayPal and Apple Pay.' },
  { title: 'What are your store opening hours?', content: 'Monday to Friday 9 am to 6 pm, Saturday 10 am to 5 pm, closed on Sundays.' },
];

/** The real USE worker embedder, counting how many texts it was asked to embed. */
class CountingEmbedder implements Embedder {
  texts = 0;
  failing = false;
  /** While set, background ('bulk') batches wait for it, each first calling `onHeld`. */
  bulkGate: { onHeld(): void; release: Promise<void> } | undefined;
  constructor(private readonly inner: Embedder) {}
  get id() {
    return this.inner.id;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  async embed(texts: string[], priority?: 'query' | 'bulk') {
    if (this.failing) throw new Error('model unavailable');
    this.texts += texts.length;
    const vectors = await this.inner.embed(texts, priority);
    if (priority === 'bulk' && this.bulkGate) {
      this.bulkGate.onHeld();
      await this.bulkGate.release;
    }
    return vectors;
  }
  close() {
    return this.inner.close();
  }
}

let store: Awaited<ReturnType<typeof openTestStore>>;
let embedder: CountingEmbedder;
const services: HybridRetrieval[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  embedder = new CountingEmbedder(workerEmbedder());
});
afterAll(() => embedder.close());

async function start() {
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(`${JSON.parse(line).msg} ${line}`) });
  // Closing a service closes its embedder: hand each one a view that leaves the shared worker running.
  const shared: Embedder = {
    id: embedder.id,
    dimensions: embedder.dimensions,
    embed: (t, p) => embedder.embed(t, p),
    close: async () => {},
  };
  const service = await startRetrieval(store.db, store.dataDir, { embedder: shared, log });
  services.push(service);
  return service;
}

async function restart(service: HybridRetrieval) {
  await service.close();
  services.splice(services.indexOf(service), 1);
  logLines.length = 0;
  return start();
}

/** Rewrites an item's row as the KB's update does (the caller re-indexes it); returns the new text. */
async function rewriteAsGiftWrapping(id: number) {
  const changed = {
    id,
    title: 'Do you offer gift wrapping?',
    content: 'Gift wrapping in recycled paper costs $4 per item.',
    category: null,
    tags: [],
    questions: [],
  };
  await store.db('kb_items').where({ id }).update({ title: changed.title, content: changed.content });
  return changed;
}

const topIds = async (service: HybridRetrieval, accountId: number, q: string, k = 3) =>
  (await service.search(accountId, q, k)).map((h) => h.itemId);

describe('retrieval service', () => {
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    embedder.failing = false;
    embedder.bulkGate = undefined;
  });
  afterAll(() => store.close());

  test('the default USE embedder gives unit vectors whose similarity follows meaning', async () => {
    const [forgot, reset, canada] = await embedder.embed([
      'I forgot my login password',
      'How do I reset my password?',
      'Do you ship to Canada?',
    ]);
    expect(forgot).toHaveLength(512);
    expect(Math.sqrt(dot(forgot!, forgot!))).toBeCloseTo(1, 4);
    expect(dot(forgot!, reset!)).toBeGreaterThan(dot(forgot!, canada!) + 0.1);
  });

  test('a paraphrase with no word in common finds its item (dense), a keyword finds it too (lexical)', async () => {
    const service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    await service.indexItems(account, items);
    const [delivery, returns, payment] = items;
    expect((await topIds(service, account, 'when will my parcel get here'))[0]).toBe(delivery!.id);
    expect((await topIds(service, account, 'can I send something back'))[0]).toBe(returns!.id);
    const [hit] = await service.search(account, 'paypal', 1);
    expect(hit).toMatchObject({ itemId: payment!.id });
    expect(hit!.lexical).toBeGreaterThan(0);
    expect(hit!.score).toBeGreaterThan(service.matchThreshold);
    await service.reconcileNow(); // settles the count the start-up reconcile may have taken mid-insert
    expect(service.status()).toMatchObject({ embedder: { id: 'use-lite-int8', dimensions: 512 }, pending: 0 });
  });

  test('the index is saved and loaded on restart without rebuilding or re-embedding', async () => {
    let service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    await service.indexItems(account, items);
    service = await restart(service);
    const embeddedBefore = embedder.texts;
    expect(logLines.some((l) => l.includes('rebuilding'))).toBe(false);
    expect((await topIds(service, account, 'do you take apple pay'))[0]).toBe(items[2]!.id);
    expect(embedder.texts - embeddedBefore).toBe(1); // the query only
  });

  test('a KB of several pages of vector rows restarts from its saved index, items and alternate questions alike', async () => {
    const account = await createAccount(store.db);
    // 2 500 items with vectors of their own (stored as the import would; random, so they match nothing asked here).
    const filler = await insertItems(
      store.db,
      account,
      Array.from({ length: 2500 }, (_, i) => ({ title: `Spare part ${i}`, content: `Part ${i} fits the older models.` })),
    );
    const vectorRows = filler.map((item) => ({
      item_id: item.id,
      account_id: account,
      embedder: embedder.id,
      dimensions: embedder.dimensions,
      vector: vectorToBuffer(normalize(Float32Array.from({ length: embedder.dimensions }, () => Math.random() - 0.5))),
      updated_at: new Date().toISOString(),
    }));
    await store.db.batchInsert('kb_item_vectors', vectorRows, 250);
    let service = await start();
    const items = await insertItems(store.db, account, FAQ);
    const hours = await insertQuestions(store.db, account, items[3]!, ['Can I come by on a bank holiday?']);
    await service.indexItems(account, [...items.slice(0, 3), hours]);
    service = await restart(service);
    const embeddedBefore = embedder.texts;
    expect(logLines.filter((l) => l.includes('rebuilding'))).toEqual([]);
    expect((await topIds(service, account, 'do you take apple pay'))[0]).toBe(items[2]!.id);
    const [holiday] = await service.search(account, 'are you open on public holidays', 1);
    expect(holiday).toMatchObject({ itemId: hours.id });
    expect(holiday!.dense).toBeGreaterThan(0.3);
    expect(embedder.texts - embeddedBefore).toBe(2); // the queries only
  });

  test('a deleted index file is rebuilt from the vectors in the database, without re-embedding', async () => {
    let service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    await service.indexItems(account, items);
    await service.close();
    services.splice(0);
    await fs.rm(path.join(store.dataDir, 'vectors', `account-${account}.hnsw`));
    const embeddedBefore = embedder.texts;
    service = await start();
    expect(logLines.some((l) => l.includes('rebuilding vector index'))).toBe(true);
    const [hit] = await service.search(account, 'what time do you close on saturday', 1);
    expect(hit).toMatchObject({ itemId: items[3]!.id });
    expect(hit!.dense).toBeGreaterThan(0.3);
    expect(embedder.texts - embeddedBefore).toBe(1);
    // The rebuilt index was saved: the next start loads it.
    service = await restart(service);
    expect(logLines.some((l) => l.includes('rebuilding'))).toBe(false);
  });

  test('an account never sees another account’s items, lexically or densely', async () => {
    const service = await start();
    const a = await createAccount(store.db, 'A');
    const b = await createAccount(store.db, 'B');
    const aItems = await insertItems(store.db, a, FAQ);
    const bItems = await insertItems(store.db, b, [{ title: 'Do you sell gift cards?', content: 'Digital gift cards from $10 to $500.' }]);
    await service.indexItems(a, aItems);
    await service.indexItems(b, bItems);
    const bIds = new Set(bItems.map((i) => i.id));
    for (const q of ['delivery return policy paypal opening hours', 'when will my parcel arrive', 'gift card']) {
      const aHits = await topIds(service, a, q, 10);
      expect(aHits.some((id) => bIds.has(id))).toBe(false);
      const bHits = await topIds(service, b, q, 10);
      expect(bHits.every((id) => bIds.has(id))).toBe(true);
    }
  });

  test('a deleted item leaves the results, and stays out after a restart', async () => {
    let service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    await service.indexItems(account, items);
    const returns = items[1]!;
    expect(await topIds(service, account, 'return policy refund', 4)).toContain(returns.id);
    await store.db('kb_items').where({ id: returns.id }).delete();
    await service.removeItems(account, [returns.id]);
    expect(await topIds(service, account, 'return policy refund', 4)).not.toContain(returns.id);
    service = await restart(service);
    expect(await topIds(service, account, 'can I send it back for my money', 4)).not.toContain(returns.id);
    expect(logLines.filter((l) => l.includes('rebuilding'))).toEqual([]);
  });

  test('after a restart the lexical index is built in the background, and writes made meanwhile stay as written', async () => {
    let service = await start();
    const account = await createAccount(store.db);
    const parts = Array.from({ length: 3000 }, (_, i) => ({
      title: `Spare part ${i}`,
      content: `Part number ${i} fits the older models.`,
    }));
    const rows = await insertItems(store.db, account, parts); // several pages of rows for the build to read
    embedder.failing = true; // lexical results only, and no background embedding of the 3 000 items
    service = await restart(service);
    const [removed, rewritten] = rows.slice(-2);
    // As if both writes committed after the build read their page of rows: it must not put the old text back.
    await service.indexItems(account, [{ ...rewritten!, title: 'Gift wrapping', content: 'We wrap presents in recycled paper.' }]);
    await service.removeItems(account, [removed!.id]);
    expect(await topIds(service, account, 'gift wrapping')).toEqual([rewritten!.id]);
    expect(await topIds(service, account, 'spare part 2999')).not.toContain(rewritten!.id);
    expect(await topIds(service, account, 'part number 2998')).not.toContain(removed!.id);
    expect(await topIds(service, account, 'spare part 17', 1)).toEqual([rows[17]!.id]);
  });

  test('an updated item is found by its new text, not its old one', async () => {
    const service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    await service.indexItems(account, items);
    const hours = items[3]!;
    await service.indexItems(account, [await rewriteAsGiftWrapping(hours.id)]);
    expect((await topIds(service, account, 'can you wrap it as a present'))[0]).toBe(hours.id);
    const [openingHit] = await service.search(account, 'are you open on sunday', 1);
    expect(openingHit?.itemId !== hours.id || openingHit.score < service.matchThreshold).toBe(true);
    expect(service.status().indexed).toBeGreaterThanOrEqual(4);
  });

  test("a background embed of an item's old text never replaces the vector of its new text", async () => {
    let service = await start();
    const account = await createAccount(store.db);
    let release!: () => void;
    const held = new Promise<void>((onHeld) => {
      embedder.bulkGate = { onHeld, release: new Promise<void>((r) => (release = r)) };
    });
    const [hours] = await insertItems(store.db, account, [FAQ[3]!]); // not indexed: left to the reconcile
    const reconciling = service.reconcileNow();
    await held; // the reconcile has embedded the opening-hours text and waits to store it
    await service.indexItems(account, [await rewriteAsGiftWrapping(hours!.id)]);
    release();
    await reconciling;
    for (const round of ['running', 'restarted']) {
      const [wrapping] = await service.search(account, 'can you wrap it as a present', 1);
      expect(wrapping, round).toMatchObject({ itemId: hours!.id });
      expect(wrapping!.dense, round).toBeGreaterThan(0.3);
      const [opening] = await service.search(account, 'are you open on sunday', 1);
      expect(opening!.score, round).toBeLessThan(service.matchThreshold);
      if (round === 'running') service = await restart(service);
    }
  });

  test('an item rewritten while the embedder is down loses its old meaning at once and gets the new one from the reconcile', async () => {
    const service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    await service.indexItems(account, items);
    const hours = items[3]!;
    const changed = await rewriteAsGiftWrapping(hours.id);
    await store.db('kb_item_vectors').where({ item_id: hours.id }).delete(); // as the KB's update transaction does
    const openingDense = async () =>
      (await service.search(account, 'are you open on sunday', 4)).find((h) => h.itemId === hours.id)?.dense ?? 0;
    expect(await openingDense()).toBeGreaterThan(0.3); // the old vector; the query's vector is now cached
    embedder.failing = true;
    await service.indexItems(account, [changed]);
    expect(await openingDense()).toBe(0);
    embedder.failing = false;
    await service.reconcileNow();
    const [wrapping] = await service.search(account, 'can you wrap it as a present', 1);
    expect(wrapping).toMatchObject({ itemId: hours.id });
    expect(wrapping!.dense).toBeGreaterThan(0.3);
  });

  test('items whose embedding failed are found lexically, then embedded by the background reconcile', async () => {
    const service = await start();
    const account = await createAccount(store.db);
    const items = await insertItems(store.db, account, FAQ);
    embedder.failing = true;
    await service.indexItems(account, items); // resolves: the items are committed, search falls back to lexical
    expect(service.status().pending).toBe(4);
    const [lexicalHit] = await service.search(account, 'opening hours', 1);
    expect(lexicalHit).toMatchObject({ itemId: items[3]!.id, dense: 0 });
    embedder.failing = false;
    await service.reconcileNow();
    expect(service.status().pending).toBe(0);
    const [denseHit] = await service.search(account, 'what time do you close on saturday', 1);
    expect(denseHit).toMatchObject({ itemId: items[3]!.id });
    expect(denseHit!.dense).toBeGreaterThan(0.3);
  });
});
