import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import { createPostgresDatabase, onPostgres } from '../../test/helpers/database.js';
import { connectDatabase, isPostgres, nowIso } from '../db/knex.js';
import * as accounts from '../db/migrations/001_accounts.js';
import * as knowledgeBase from '../db/migrations/002_knowledge_base.js';
import * as retrieval from '../db/migrations/003_retrieval.js';
import { bandsFor, fusionFor, matchThresholdFor } from './calibration.js';
import { describeEmbedder } from './embedders/describe.js';
import { HybridRetrieval } from './service.js';
import type { Embedder, EmbedderSpec } from './types.js';
import { WorkerEmbedder } from './worker-embedder.js';

/** Only the migrations retrieval stands on, so its tests and benches do not depend on other modules. */
const retrievalMigrations: Record<string, Knex.Migration> = {
  '001_accounts': accounts,
  '002_knowledge_base': knowledgeBase,
  '003_retrieval': retrieval,
};

/** A data dir with a migrated database (SQLite, or PostgreSQL in the Postgres pass). */
export async function openTestStore(): Promise<{ db: Knex; dataDir: string; close(): Promise<void> }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-retrieval-'));
  const pgDatabase = onPostgres ? await createPostgresDatabase() : undefined;
  const db = connectDatabase({ dataDir, databaseUrl: pgDatabase?.url });
  await db.migrate.latest({
    migrationSource: {
      getMigrations: async () => Object.keys(retrievalMigrations),
      getMigrationName: (name: string) => name,
      getMigration: async (name: string) => retrievalMigrations[name]!,
    },
  });
  return {
    db,
    dataDir,
    close: async () => {
      await db.destroy();
      await pgDatabase?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createAccount(db: Knex, name = 'Shop'): Promise<number> {
  const [row] = await db('accounts').insert({ name, plan: 'business', created_at: nowIso() }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** Inserts KB rows the way the KB API does (the FTS triggers index them lexically). */
export async function insertItems(db: Knex, accountId: number, items: { title: string; content: string }[]) {
  const now = nowIso();
  const rows: { id: number; title: string; content: string }[] = [];
  for (let i = 0; i < items.length; i += 200) {
    const batch = items.slice(i, i + 200).map((it) => ({ account_id: accountId, ...it, tags: '[]', created_at: now, updated_at: now }));
    rows.push(...(await db('kb_items').insert(batch).returning(['id', 'title', 'content'])));
  }
  return rows.map((r) => ({ id: Number(r.id), title: r.title, content: r.content }));
}

export function workerEmbedder(spec: EmbedderSpec = { kind: 'use' }): WorkerEmbedder {
  const { id, dimensions } = describeEmbedder(spec);
  return new WorkerEmbedder(spec, id, dimensions);
}

export async function startRetrieval(
  db: Knex,
  dataDir: string,
  { embedder = workerEmbedder(), log = pino({ level: 'silent' }) }: { embedder?: Embedder; log?: Logger } = {},
): Promise<HybridRetrieval> {
  const backend = isPostgres(db) ? 'postgres' : 'sqlite';
  const service = new HybridRetrieval({
    db,
    dataDir,
    log,
    embedder,
    fusion: fusionFor(backend),
    matchThreshold: matchThresholdFor(embedder.id, backend),
    bands: bandsFor(embedder.id, backend),
  });
  await service.start();
  return service;
}
