import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { isPostgres } from '../db/knex.js';
import { LeaderLease } from '../db/leader-lease.js';
import type { BandParams } from './bands.js';
import { AccountIndex, type IndexFingerprint } from './account-index.js';
import type { Calibration } from './calibration.js';
import { fuseApproximate, itemSimilarity, type Candidate } from './fusion.js';
import { accountsWithItems, countItems, findItemsByIds, itemPages } from '../kb/repo.js';
import { LexicalIndex, type LexicalDocument, type Synonyms } from './lexical-index.js';
import {
  changesAfter,
  checksumOf,
  latestChange,
  pruneChanges,
  recordChanges,
  vectorsOfItems,
  deleteVectors,
  embedText,
  hasForeignVectors,
  storeVectors,
  storedVectors,
  unembeddedLabels,
  unembeddedTexts,
  vectorVersions,
  type EmbeddedText,
} from './repo.js';
import { questionLabel, type Embedder, type IndexableItem, type RetrievalService, type RetrievalStatus, type SearchHit } from './types.js';

const LEXICAL_CANDIDATES = 30;
const DENSE_CANDIDATES = 30;
const MAX_K = 50;
const SAVE_DELAY_MS = 1000;
/** The folder of the data dir the index files live in (owner-only, like everything there: see data-dir.ts). */
export const VECTORS_DIR = 'vectors';
const RECONCILE_BATCH = 64;
const RECONCILE_INTERVAL_MS = 60_000;
const RETRY_DELAY_MS = 10_000;
/** Rows per read while building a lexical index (≈ 15 ms of indexing between reads, so requests go on meanwhile). */
const LEXICAL_BUILD_PAGE = 500;
const LEXICAL_BUILD_ATTEMPTS = 3;
/** Renewed by every batch the holder embeds; a crashed holder's lease is taken over after this. */
const RECONCILE_LEASE_MS = 3 * RECONCILE_INTERVAL_MS;

export type RetrievalOptions = {
  db: Knex;
  log: Logger;
  /** Index files go to `<dataDir>/vectors/`. */
  dataDir: string;
  embedder: Embedder;
  calibration: Calibration;
  /** Query expansion (./synonyms.ts); none when absent. */
  synonyms?: Synonyms;
  /**
   * How often to reload the items other servers on the same database changed (kb_index_changes). Default:
   * every second on PostgreSQL, where several servers may share the database; never on SQLite (one process).
   */
  syncIntervalMs?: number;
};

const DEFAULT_SYNC_INTERVAL_MS = 1000;
/** Changes are re-read this far back in ids: a transaction that took an id earlier may commit later. */
const SYNC_LOOKBACK = 1000;
const SYNC_BATCH = 2000;
/** Change rows older than this are deleted (every server has long seen them). */
const CHANGE_RETENTION_MS = 3600_000;

/** An item's lexical document: category and tags together form its `meta` field. */
export const lexicalDocument = (item: IndexableItem): LexicalDocument => ({
  title: item.title,
  content: item.content,
  meta: [item.category, ...item.tags].filter(Boolean).join(' '),
  questions: item.questions.map((q) => q.question),
});

/**
 * Hybrid retrieval over per-account indexes kept in this process: HNSW over the vectors of items and of
 * their alternate questions, and BM25F over their text. The database is the source of truth: vectors are
 * stored there first, the index files under <dataDir>/vectors/ are a cache checked against it on start,
 * and the lexical indexes are rebuilt from the rows after start, in the background (searches of an account
 * wait for its own).
 */
export class HybridRetrieval implements RetrievalService {
  readonly matchThreshold: number;
  readonly bands: BandParams;
  private readonly indexes = new Map<number, AccountIndex>();
  private readonly lexical = new Map<number, LexicalIndex>();
  /** Lexical indexes being built from the rows; items written meanwhile (`touched`) are left to those writes. */
  private readonly lexicalBuilds = new Map<number, { touched: Set<number>; ready: Promise<void> }>();
  private lexicalBuilt: Promise<void> = Promise.resolve();
  private readonly locks = new Map<number, Promise<unknown>>();
  private readonly dirty = new Set<number>();
  private readonly queryCache = new LRUCache<string, Float32Array>({ max: 2000 });
  private readonly vectorsDir: string;
  private saveTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: { timer: NodeJS.Timeout; due: number } | undefined;
  private reconciling: Promise<void> | undefined;
  /** Labels (items, questions) known to lack a current vector (as of the last reconcile, minus those stored since). */
  private readonly pending = new Set<number>();
  private reembedding: { done: number; total: number } | null = null;
  private sync:
    | { timer?: NodeJS.Timeout; running?: Promise<void>; queued?: boolean; seenUpTo: number; applied: Set<number>; pruned: number }
    | undefined;
  /**
   * Which server of the database runs the background embedding (leftovers, re-embedding after a model
   * change), so each text is embedded once; the others learn of its vectors through the index sync.
   */
  private readonly reconcileLease: LeaderLease;
  private closed = false;

  constructor(private readonly options: RetrievalOptions) {
    this.matchThreshold = options.calibration.matchThreshold;
    this.bands = options.calibration.bands;
    this.vectorsDir = path.join(options.dataDir, VECTORS_DIR);
    this.reconcileLease = new LeaderLease(options.db, 'retrieval-reconcile', RECONCILE_LEASE_MS);
  }

  private get syncIntervalMs(): number | undefined {
    return 'syncIntervalMs' in this.options
      ? this.options.syncIntervalMs
      : isPostgres(this.options.db)
        ? DEFAULT_SYNC_INTERVAL_MS
        : undefined;
  }

  private get embedder(): Embedder {
    return this.options.embedder;
  }

  /** Loads (or rebuilds) every account's index, then starts the background reconcile. */
  async start(): Promise<void> {
    await fsp.mkdir(this.vectorsDir, { recursive: true, mode: 0o700 });
    const accounts = new Set(await accountsWithItems(this.options.db));
    for (const file of await fsp.readdir(this.vectorsDir)) {
      const match = /^account-(\d+)\.json$/.exec(file);
      if (match) accounts.add(Number(match[1]));
    }
    for (const accountId of accounts) this.indexes.set(accountId, await this.loadIndex(accountId));
    this.startLexicalBuilds([...accounts]);
    await this.refreshPending();
    if (this.pending.size > 0 && (await hasForeignVectors(this.options.db, this.embedder.id))) {
      this.reembedding = { done: 0, total: this.pending.size };
      this.options.log.info({ embedder: this.embedder.id, items: this.pending.size }, 'embedder changed: re-embedding in the background');
    }
    this.scheduleReconcile(0);
    if (this.syncIntervalMs) {
      // What is committed now is in the indexes just built; the lookback re-reads a little of it, harmlessly.
      this.sync = { seenUpTo: await latestChange(this.options.db), applied: new Set(), pruned: Date.now() };
      this.scheduleSync();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconcileTimer?.timer);
    clearTimeout(this.sync?.timer);
    await this.sync?.running;
    clearTimeout(this.saveTimer);
    await this.reconciling;
    await this.lexicalBuilt;
    await this.reconcileLease
      .release()
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'releasing the reconcile lease failed'));
    await this.flushSaves();
    await this.embedder.close();
  }

  async indexItems(accountId: number, items: IndexableItem[]): Promise<void> {
    if (items.length === 0) return;
    for (const item of items) this.lexicalWrite(accountId, item.id, item);
    if (this.sync)
      await recordChanges(
        this.options.db,
        accountId,
        items.map((item) => item.id),
      );
    const index = this.indexes.get(accountId);
    const due: EmbeddedText[] = [];
    const gone: number[] = [];
    for (const item of items) {
      const text = embedText(item);
      if (!index?.isCurrent(item.id, text)) due.push({ label: item.id, itemId: item.id, text, vector: EMPTY });
      const listed = new Set(item.questions.map((q) => questionLabel(q.id)));
      for (const q of item.questions) {
        const label = questionLabel(q.id);
        if (!index?.has(label)) due.push({ label, itemId: item.id, questionId: q.id, text: q.question, vector: EMPTY });
      }
      for (const label of index?.labelsOfItem(item.id) ?? []) if (label !== item.id && !listed.has(label)) gone.push(label);
    }
    if (gone.length) {
      await this.withIndex(accountId, async (idx) => gone.forEach((label) => idx.remove(label)));
      this.markDirty(accountId);
    }
    if (due.length === 0) return;
    let vectors: Float32Array[];
    try {
      vectors = await this.embedder.embed(
        due.map((d) => d.text),
        due.length <= 8 ? 'query' : 'bulk',
      );
    } catch (error) {
      // The items are committed and found lexically; the reconcile embeds them later.
      this.options.log.warn(
        { err: error, account_id: accountId, texts: due.length },
        'embedding failed; texts left for the background reconcile',
      );
      for (const d of due) this.pending.add(d.label);
      // A rewritten item's old vector no longer describes it: until the reconcile embeds it, lexical finds it.
      await this.withIndex(accountId, async (idx) => due.forEach((d) => idx.remove(d.label)));
      this.markDirty(accountId);
      this.scheduleReconcile(RETRY_DELAY_MS);
      return;
    }
    await this.store(
      accountId,
      due.map((d, i) => ({ ...d, vector: vectors[i]! })),
    );
  }

  async removeItems(accountId: number, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.lexicalWrite(accountId, id, undefined);
    if (this.sync) await recordChanges(this.options.db, accountId, ids);
    await this.withIndex(accountId, async (index) => {
      await deleteVectors(this.options.db, accountId, ids);
      for (const id of ids) index.removeItem(id);
    });
    this.markDirty(accountId);
  }

  async search(accountId: number, query: string, k: number): Promise<SearchHit[]> {
    const text = query.trim();
    if (!text) return [];
    const limit = Math.max(1, Math.min(MAX_K, Math.floor(k)));
    const vector = await this.queryVector(text).catch((error: unknown) => {
      this.options.log.warn({ err: error }, 'query embedding failed; lexical results only');
      return undefined;
    });
    const index = this.indexes.get(accountId);
    const { calibration, synonyms } = this.options;
    const dense = vector && index ? index.nearest(vector, Math.max(limit, DENSE_CANDIDATES)) : undefined;
    const nearest = dense?.items ?? [];
    await this.lexicalBuilds.get(accountId)?.ready;
    const lexical = this.lexical.get(accountId)?.search(text, LEXICAL_CANDIDATES, calibration.lexical, synonyms, nearest);
    const ids = new Set([...nearest, ...(lexical?.scoreOf.keys() ?? [])]);
    const candidate = (id: number, exact: boolean): Candidate => ({
      id,
      dense: dense && itemSimilarity(exact ? dense.exactSimilarity(id) : dense.similarity(id), calibration.fusion),
      lexical: lexical?.scoreOf.get(id),
    });
    return fuseApproximate(
      [...ids].map((id) => candidate(id, false)),
      calibration.fusion,
      limit,
      (id) => candidate(id, true),
    );
  }

  async embedQueries(texts: string[]): Promise<Float32Array[]> {
    const keys = texts.map((text) => text.trim().toLowerCase());
    const found = new Map<string, Float32Array>();
    for (const key of keys) {
      const cached = this.queryCache.get(key);
      if (cached) found.set(key, cached);
    }
    const missing = [...new Set(keys.filter((key) => !found.has(key)))];
    if (missing.length) {
      const vectors = await this.embedder.embed(missing, 'bulk');
      missing.forEach((key, i) => {
        found.set(key, vectors[i]!);
        this.queryCache.set(key, vectors[i]!);
      });
    }
    return keys.map((key) => found.get(key)!);
  }

  status(): RetrievalStatus {
    let indexed = 0;
    for (const index of this.indexes.values()) indexed += index.size;
    return {
      embedder: { id: this.embedder.id, dimensions: this.embedder.dimensions },
      indexed,
      pending: this.pending.size,
      reembedding: this.reembedding && { ...this.reembedding },
    };
  }

  /** Embeds every committed item that has no current vector; resolves when none is left (or embedding fails). */
  async reconcileNow(): Promise<void> {
    while (this.reconciling) await this.reconciling;
    clearTimeout(this.reconcileTimer?.timer);
    this.reconcileTimer = undefined;
    let completed = false;
    this.reconciling = this.reconcile()
      .then((done) => void (completed = done))
      .finally(() => {
        this.reconciling = undefined;
        this.scheduleReconcile(completed ? RECONCILE_INTERVAL_MS : RETRY_DELAY_MS);
      });
    await this.reconciling;
  }

  /** False when embedding failed and a retry is due. */
  private async reconcile(): Promise<boolean> {
    const { db, log } = this.options;
    while (!this.closed) {
      // Another server embeds: this one only follows the progress (its index gets the vectors through the sync).
      if (!(await this.reconcileLease.tryHold())) break;
      const batch = await unembeddedTexts(db, this.embedder.id, RECONCILE_BATCH);
      if (batch.length === 0) break;
      let vectors: Float32Array[];
      try {
        vectors = await this.embedder.embed(
          batch.map((t) => t.text),
          'bulk',
        );
      } catch (error) {
        log.warn({ err: error }, 'background embedding failed; retrying later');
        return false;
      }
      const byAccount = new Map<number, EmbeddedText[]>();
      batch.forEach(({ accountId, ...text }, i) => {
        const list = byAccount.get(accountId) ?? [];
        list.push({ ...text, vector: vectors[i]! });
        byAccount.set(accountId, list);
      });
      for (const [accountId, list] of byAccount) await this.store(accountId, list);
      if (this.reembedding) this.reembedding.done = Math.min(this.reembedding.total, this.reembedding.done + batch.length);
    }
    await this.refreshPending();
    if (this.reembedding) this.reembedding.done = Math.max(this.reembedding.done, this.reembedding.total - this.pending.size);
    if (this.pending.size === 0 && this.reembedding) {
      log.info({ embedder: this.embedder.id, texts: this.reembedding.total }, 're-embedding finished');
      this.reembedding = null;
    }
    return true;
  }

  /** Runs the reconcile after `delayMs` (an earlier request wins over a later one). */
  private scheduleReconcile(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.closed || this.reconciling || (this.reconcileTimer && this.reconcileTimer.due <= due)) return;
    clearTimeout(this.reconcileTimer?.timer);
    const timer = setTimeout(() => {
      this.reconcileTimer = undefined;
      void this.reconcileNow().catch((error: unknown) => this.options.log.error({ err: error }, 'reconcile failed'));
    }, delayMs);
    timer.unref();
    this.reconcileTimer = { timer, due };
  }

  /** Stores vectors, then puts them in the index, under the account's lock so a concurrent delete cannot be undone. */
  private async store(accountId: number, vectors: EmbeddedText[]): Promise<void> {
    await this.withIndex(accountId, async (index) => {
      const stored = await storeVectors(this.options.db, accountId, this.embedder, vectors);
      const textOf = new Map(vectors.map((v) => [v.label, v.text]));
      for (const s of stored) {
        index.upsert(s.label, s.vector, s.version, s.itemId, textOf.get(s.label));
        this.pending.delete(s.label);
      }
    });
    this.markDirty(accountId);
  }

  private async refreshPending(): Promise<void> {
    const labels = await unembeddedLabels(this.options.db, this.embedder.id);
    this.pending.clear();
    for (const label of labels) this.pending.add(label);
  }

  private async queryVector(text: string): Promise<Float32Array> {
    const key = text.toLowerCase();
    const cached = this.queryCache.get(key);
    if (cached) return cached;
    const [vector] = await this.embedder.embed([text], 'query');
    this.queryCache.set(key, vector!);
    return vector!;
  }

  /** Reloads the items other servers changed since the last look (idempotent: an item is read as it is now). */
  async syncNow(): Promise<void> {
    const sync = this.sync;
    if (!sync) return;
    while (sync.running) await sync.running;
    sync.running = (async () => {
      for (;;) {
        const changes = (await changesAfter(this.options.db, sync.seenUpTo - SYNC_LOOKBACK, SYNC_BATCH)).filter(
          (c) => !sync.applied.has(c.id),
        );
        if (changes.length === 0) break;
        const byAccount = new Map<number, Set<number>>();
        for (const c of changes) {
          const ids = byAccount.get(c.accountId) ?? new Set();
          byAccount.set(c.accountId, ids.add(c.itemId));
          sync.applied.add(c.id);
          sync.seenUpTo = Math.max(sync.seenUpTo, c.id);
        }
        for (const [accountId, ids] of byAccount) await this.reloadItems(accountId, [...ids]);
      }
      for (const id of sync.applied) if (id <= sync.seenUpTo - SYNC_LOOKBACK) sync.applied.delete(id);
      if (Date.now() - sync.pruned > CHANGE_RETENTION_MS / 4) {
        sync.pruned = Date.now();
        await pruneChanges(this.options.db, new Date(Date.now() - CHANGE_RETENTION_MS).toISOString());
      }
    })().finally(() => (sync.running = undefined));
    await sync.running;
  }

  /**
   * Another server announced index changes (server/wiring.ts relays the notification): reloads them now
   * rather than at the next poll. Announcements arriving during a reload make one more reload after it.
   */
  syncSoon(): void {
    const sync = this.sync;
    if (!sync || this.closed || sync.queued) return;
    sync.queued = true;
    void (async () => {
      while (sync.running) await sync.running;
      sync.queued = false;
      await this.syncNow();
    })().catch((error: unknown) => this.options.log.warn({ err: error }, 'reloading items changed by other servers failed'));
  }

  private scheduleSync(): void {
    if (this.closed || !this.sync) return;
    this.sync.timer = setTimeout(() => {
      void this.syncNow()
        .catch((error: unknown) => this.options.log.warn({ err: error }, 'reloading items changed by other servers failed'))
        .finally(() => this.scheduleSync());
    }, this.syncIntervalMs);
    this.sync.timer.unref();
  }

  /** Makes both indexes hold these items as the database has them now: text, questions and stored vectors. */
  private async reloadItems(accountId: number, ids: number[]): Promise<void> {
    const { db } = this.options;
    // Read under the account's lock: vectors this server stores meanwhile (`store`) are then either read
    // here or put in the index after this, never removed again by a read that predates them.
    await this.withIndex(accountId, async (index) => {
      const items = await findItemsByIds(db, accountId, ids);
      const vectors = await vectorsOfItems(db, accountId, this.embedder.id, ids);
      const present = new Set(items.map((item) => item.id));
      for (const item of items) this.lexicalWrite(accountId, item.id, item);
      for (const id of ids) if (!present.has(id)) this.lexicalWrite(accountId, id, undefined);
      const stored = new Set(vectors.map((v) => v.label));
      for (const id of ids) for (const label of [...index.labelsOfItem(id)]) if (!stored.has(label)) index.remove(label);
      for (const v of vectors) {
        if (index.versionOf(v.label) !== v.version) index.upsert(v.label, v.vector, v.version, v.itemId);
        this.pending.delete(v.label);
      }
    });
    this.markDirty(accountId);
  }

  private lexicalIndex(accountId: number): LexicalIndex {
    let index = this.lexical.get(accountId);
    if (!index) this.lexical.set(accountId, (index = new LexicalIndex()));
    return index;
  }

  /** Puts an item as committed now (undefined: deleted) in the account's lexical index. */
  private lexicalWrite(accountId: number, itemId: number, item: IndexableItem | undefined): void {
    this.lexicalBuilds.get(accountId)?.touched.add(itemId);
    if (item) this.lexicalIndex(accountId).upsert(itemId, lexicalDocument(item));
    else this.lexical.get(accountId)?.remove(itemId);
  }

  /**
   * Builds the accounts' lexical indexes from their rows, one account after another, while the server already
   * runs (≈ 30 µs an item: seconds at 100 000 items). Writes meanwhile go to the same index; an item they
   * touched is skipped by the build, whose page of rows may have been read before that write committed.
   */
  private startLexicalBuilds(accounts: number[]): void {
    let previous = Promise.resolve();
    for (const accountId of accounts) {
      const build = { touched: new Set<number>(), ready: Promise.resolve() };
      build.ready = previous.then(() => this.buildLexicalIndex(accountId, build.touched));
      this.lexicalBuilds.set(accountId, build);
      void build.ready.then(() => this.lexicalBuilds.delete(accountId));
      previous = build.ready;
    }
    this.lexicalBuilt = previous;
  }

  private async buildLexicalIndex(accountId: number, touched: ReadonlySet<number>): Promise<void> {
    const index = this.lexicalIndex(accountId);
    for (let attempt = 1; !this.closed && attempt <= LEXICAL_BUILD_ATTEMPTS; attempt++) {
      try {
        index.load(await countItems(this.options.db, accountId));
        for await (const page of itemPages(this.options.db, accountId, LEXICAL_BUILD_PAGE)) {
          if (this.closed) return;
          for (const item of page) if (!touched.has(item.id)) index.upsert(item.id, lexicalDocument(item));
        }
        index.repack();
        return;
      } catch (error) {
        if (this.closed) return;
        // Searches of the account wait for this; after the last attempt they get what it holds (and every write since).
        this.options.log.error({ err: error, account_id: accountId, attempt }, 'building the lexical index failed');
        if (attempt < LEXICAL_BUILD_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  /** Runs `fn` on the account's index with other writers to it (and its saving) held off. */
  private async withIndex<T>(accountId: number, fn: (index: AccountIndex) => Promise<T>): Promise<T> {
    const previous = this.locks.get(accountId) ?? Promise.resolve();
    const run = previous.then(() => {
      let index = this.indexes.get(accountId);
      if (!index) this.indexes.set(accountId, (index = AccountIndex.create(this.embedder.dimensions)));
      return fn(index);
    });
    const settled = run.catch(() => undefined);
    this.locks.set(accountId, settled);
    void settled.then(() => {
      if (this.locks.get(accountId) === settled) this.locks.delete(accountId);
    });
    return run;
  }

  private markDirty(accountId: number): void {
    this.dirty.add(accountId);
    if (this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.flushSaves().catch((error: unknown) => this.options.log.error({ err: error }, 'saving a vector index failed'));
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private async flushSaves(): Promise<void> {
    const accounts = [...this.dirty];
    this.dirty.clear();
    for (const accountId of accounts) {
      await this.withIndex(accountId, async (index) => {
        await index.write(this.indexFile(accountId));
        const meta: IndexFingerprint = {
          embedder: this.embedder.id,
          dimensions: index.dimensions,
          count: index.size,
          checksum: checksumOf(index.versions),
        };
        await fsp.writeFile(this.metaFile(accountId), JSON.stringify(meta), { mode: 0o600 });
      });
    }
  }

  /** The saved index when it matches the database's vectors exactly; otherwise rebuilt from them. */
  private async loadIndex(accountId: number): Promise<AccountIndex> {
    const { db, log } = this.options;
    const contents = await vectorVersions(db, accountId, this.embedder.id);
    const { versions } = contents;
    const meta = readMeta(this.metaFile(accountId));
    const fresh =
      meta &&
      fs.existsSync(this.indexFile(accountId)) &&
      meta.embedder === this.embedder.id &&
      meta.dimensions === this.embedder.dimensions &&
      meta.count === versions.size &&
      meta.checksum === checksumOf(versions);
    if (fresh) {
      try {
        return await AccountIndex.read(this.indexFile(accountId), this.embedder.dimensions, contents);
      } catch (error) {
        log.warn({ err: error, account_id: accountId }, 'vector index unreadable; rebuilding');
      }
    }
    log.info(
      { account_id: accountId, vectors: versions.size, reason: meta ? 'stale' : 'missing' },
      'rebuilding vector index from the database',
    );
    const index = AccountIndex.create(this.embedder.dimensions, versions.size);
    for await (const page of storedVectors(db, accountId, this.embedder.id)) {
      for (const v of page) index.upsert(v.label, v.vector, v.version, v.itemId);
    }
    this.dirty.add(accountId);
    this.markDirty(accountId);
    return index;
  }

  private indexFile(accountId: number): string {
    return path.join(this.vectorsDir, `account-${accountId}.hnsw`);
  }

  private metaFile(accountId: number): string {
    return path.join(this.vectorsDir, `account-${accountId}.json`);
  }
}

/** Placeholder until a text is embedded. */
const EMPTY = new Float32Array(0);

function readMeta(file: string): IndexFingerprint | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as IndexFingerprint;
  } catch {
    return undefined;
  }
}
