import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import { createPostgresDatabase, onPostgres } from '../../test/helpers/database.js';
import { connectDatabase, nowIso } from '../db/knex.js';
import * as accounts from '../db/migrations/001_accounts.js';
import * as knowledgeBase from '../db/migrations/002_knowledge_base.js';
import * as retrieval from '../db/migrations/003_retrieval.js';
import * as kbQuestions from '../db/migrations/010_kb_questions.js';
import * as kbIndexChanges from '../db/migrations/012_kb_index_changes.js';
import * as leases from '../db/migrations/020_leases.js';
import { calibrationFor } from './calibration.js';
import { describeEmbedder } from './embedders/describe.js';
import { HybridRetrieval } from './service.js';
import { shippedSynonyms } from './synonyms.js';
import type { Embedder, EmbedderSpec, IndexableItem } from './types.js';
import { WorkerEmbedder } from './worker-embedder.js';

/** Only the migrations retrieval stands on, so its tests and benches do not depend on other modules. */
const retrievalMigrations: Record<string, Knex.Migration> = {
  '001_accounts': accounts,
  '002_knowledge_base': knowledgeBase,
  '003_retrieval': retrieval,
  '010_kb_questions': kbQuestions,
  '012_kb_index_changes': kbIndexChanges,
  '020_leases': leases,
};

/**
 * A data dir with a migrated database (SQLite, or PostgreSQL in the Postgres pass). `keptDir`: a SQLite data dir
 * to open (created if missing) and leave in place on close, for benches that reuse a large KB between runs.
 */
export async function openTestStore(
  keptDir?: string,
): Promise<{ db: Knex; dataDir: string; databaseUrl?: string; close(): Promise<void> }> {
  if (keptDir) await fs.mkdir(keptDir, { recursive: true, mode: 0o700 });
  const dataDir = keptDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'nova-retrieval-')));
  const pgDatabase = onPostgres && !keptDir ? await createPostgresDatabase() : undefined;
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
    databaseUrl: pgDatabase?.url,
    close: async () => {
      await db.destroy();
      await pgDatabase?.drop();
      if (!keptDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createAccount(db: Knex, name = 'Shop'): Promise<number> {
  const [row] = await db('accounts').insert({ name, plan: 'business', created_at: nowIso() }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** Inserts KB rows the way the KB API does; returns them as retrieval indexes them. */
export async function insertItems(
  db: Knex,
  accountId: number,
  items: { title: string; content: string; category?: string | null; tags?: string[] }[],
): Promise<IndexableItem[]> {
  const now = nowIso();
  const rows: IndexableItem[] = [];
  for (let i = 0; i < items.length; i += 200) {
    const batch = items.slice(i, i + 200).map((it) => ({
      account_id: accountId,
      title: it.title,
      content: it.content,
      category: it.category ?? null,
      tags: JSON.stringify(it.tags ?? []),
      created_at: now,
      updated_at: now,
    }));
    const inserted: { id: number; title: string; content: string; category: string | null; tags: string }[] = await db('kb_items')
      .insert(batch)
      .returning(['id', 'title', 'content', 'category', 'tags']);
    rows.push(...inserted.map((r) => ({ ...r, id: Number(r.id), tags: JSON.parse(r.tags) as string[], questions: [] })));
  }
  return rows;
}

/** Adds alternate questions to an item's rows; returns the item as retrieval indexes it. */
export async function insertQuestions(db: Knex, accountId: number, item: IndexableItem, questions: string[]): Promise<IndexableItem> {
  const now = nowIso();
  const rows: { id: number; question: string }[] = await db('kb_item_questions')
    .insert(
      questions.map((question) => ({
        account_id: accountId,
        item_id: item.id,
        question,
        normalized: question.toLowerCase(),
        source: 'manual',
        created_at: now,
      })),
    )
    .returning(['id', 'question']);
  return { ...item, questions: [...item.questions, ...rows.map((r) => ({ id: Number(r.id), question: r.question }))] };
}

export function workerEmbedder(spec: EmbedderSpec = { kind: 'use' }): WorkerEmbedder {
  const { id, dimensions } = describeEmbedder(spec);
  return new WorkerEmbedder(spec, id, dimensions);
}

export async function startRetrieval(
  db: Knex,
  dataDir: string,
  {
    embedder = workerEmbedder(),
    log = pino({ level: 'silent' }),
    syncIntervalMs,
  }: { embedder?: Embedder; log?: Logger; syncIntervalMs?: number } = {},
): Promise<HybridRetrieval> {
  const service = new HybridRetrieval({
    db,
    dataDir,
    log,
    embedder,
    ...(syncIntervalMs !== undefined ? { syncIntervalMs } : {}),
    calibration: calibrationFor(embedder.id),
    synonyms: shippedSynonyms(),
  });
  await service.start();
  return service;
}
