import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeTinyBert } from './testing/tiny-bert.js';
import { createAccount, insertItems, openTestStore, startRetrieval, workerEmbedder } from './test-support.js';

let store: Awaited<ReturnType<typeof openTestStore>>;
let modelsDir: string;

beforeAll(async () => {
  store = await openTestStore();
  modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-models-'));
  await writeTinyBert(modelsDir, 'tiny-bert', 16);
});
afterAll(async () => {
  await store.close();
  await fs.rm(modelsDir, { recursive: true, force: true });
});

test('switching the embedder re-embeds every item in the background, with progress, searchable lexically meanwhile', async () => {
  const useService = await startRetrieval(store.db, store.dataDir);
  const account = await createAccount(store.db);
  const items = await insertItems(store.db, account, [
    { title: 'How do I track my parcel?', content: 'We email a tracking link when the order ships.' },
    { title: 'Are you open on Sunday?', content: 'The store is closed on Sundays.' },
    { title: 'Do you accept PayPal?', content: 'Yes, PayPal and all major cards.' },
  ]);
  await useService.indexItems(account, items);
  await useService.close();

  const service = await startRetrieval(store.db, store.dataDir, {
    embedder: workerEmbedder({ kind: 'transformers', model: 'tiny-bert', modelsDir }),
  });
  try {
    expect(service.status()).toEqual({
      embedder: { id: 'transformers:tiny-bert', dimensions: 16 },
      indexed: 0,
      pending: 3,
      reembedding: { done: 0, total: 3 },
    });
    // The 512-d USE vectors are not mixed into the 16-d index; the lexical side still answers.
    const [lexicalHit] = await service.search(account, 'paypal', 1);
    expect(lexicalHit?.itemId).toBe(items[2]!.id);

    await service.reconcileNow();
    expect(service.status()).toMatchObject({ indexed: 3, pending: 0, reembedding: null });
    const stored = await store.db('kb_item_vectors').where({ account_id: account }).select('embedder', 'dimensions');
    expect(stored).toEqual(Array(3).fill({ embedder: 'transformers:tiny-bert', dimensions: 16 }));
    const [hit] = await service.search(account, 'How do I track my parcel?', 1);
    expect(hit).toMatchObject({ itemId: items[0]!.id });
    expect(hit!.dense).toBeGreaterThan(0);
  } finally {
    await service.close();
  }
});

test('vectors of the float32 model (and of the TF.js runtime before it) are re-embedded by the int8 default on upgrade', async () => {
  const upgraded = await openTestStore();
  const float32 = await startRetrieval(upgraded.db, upgraded.dataDir, { embedder: workerEmbedder({ kind: 'use', precision: 'float32' }) });
  const account = await createAccount(upgraded.db);
  const items = await insertItems(upgraded.db, account, [
    { title: 'Can I change my delivery address?', content: 'Yes, until the parcel leaves our warehouse.' },
    { title: 'Do you gift wrap?', content: 'Gift wrapping is free at checkout.' },
  ]);
  await float32.indexItems(account, items);
  await float32.close();

  const service = await startRetrieval(upgraded.db, upgraded.dataDir);
  try {
    expect(service.status()).toMatchObject({ embedder: { id: 'use-lite-int8' }, reembedding: { done: 0, total: 2 } });
    await service.reconcileNow();
    expect(service.status()).toMatchObject({ indexed: 2, pending: 0, reembedding: null });
    const stored = await upgraded.db('kb_item_vectors').where({ account_id: account }).select('embedder');
    expect(stored).toEqual([{ embedder: 'use-lite-int8' }, { embedder: 'use-lite-int8' }]);
    const [hit] = await service.search(account, 'please wrap it as a present', 1);
    expect(hit).toMatchObject({ itemId: items[1]!.id });
  } finally {
    await service.close();
    await upgraded.close();
  }
});
