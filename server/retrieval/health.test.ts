import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { writeTinyBert } from './testing/tiny-bert.js';

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-models-'));
  await writeTinyBert(modelsDir, 'tiny-bert', 16);
});
afterAll(() => fs.rm(modelsDir, { recursive: true, force: true }));

test('/health names the default embedder', async () => {
  const t = await TestServer.start();
  try {
    const res = await t.get('/health');
    expect(res.status).toBe(200);
    expect(res.body.embedder).toEqual({ id: 'use-lite-int8', dimensions: 512, indexed: 0, pending: 0, reembedding: null });
  } finally {
    await t.close();
  }
});

test('NOVA_EMBEDDER=transformers with NOVA_EMBEDDING_MODEL picks the model from NOVA_MODELS_DIR', async () => {
  const t = await TestServer.start({
    env: { NOVA_EMBEDDER: 'transformers', NOVA_EMBEDDING_MODEL: 'tiny-bert', NOVA_MODELS_DIR: modelsDir },
  });
  try {
    expect((await t.get('/health')).body.embedder).toMatchObject({ id: 'transformers:tiny-bert', dimensions: 16 });
  } finally {
    await t.close();
  }
});

test('a configured model that is missing falls back to the bundled embedder instead of failing to start', async () => {
  const t = await TestServer.start({
    env: { NOVA_EMBEDDER: 'transformers', NOVA_EMBEDDING_MODEL: 'not-there', NOVA_MODELS_DIR: modelsDir },
  });
  try {
    expect((await t.get('/health')).body.embedder).toMatchObject({ id: 'use-lite-int8', dimensions: 512 });
  } finally {
    await t.close();
  }
});
