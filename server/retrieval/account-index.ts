import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

import type { IndexContents } from './repo.js';
import { dot } from './vectors.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

const M = 16;
const EF_CONSTRUCTION = 200;
/** Search breadth: recall@10 0.991 vs exact at 100k × 512-d, ~2.4 ms (bench/hnsw-recall.bench.ts; 96 gave 0.936). */
export const EF_SEARCH = 300;
const INITIAL_CAPACITY = 256;
/** Labels a search takes from the graph: EF_SEARCH, all it found (asking for fewer does not make it cheaper). */
const SCORED_LABELS = EF_SEARCH;

/** A query's similarity to an item's own vector and to its best alternate question's. */
export type LabelSimilarity = { own?: number; question?: number };

/** One query's dense side: the nearest items, and any item's similarities (./fusion.ts: fuseApproximate). */
export type DenseSearch = {
  items: number[];
  /** Within DENSE_ERROR of the exact similarities. */
  similarity(itemId: number): LabelSimilarity;
  exactSimilarity(itemId: number): LabelSimilarity;
};

/** What a saved index was built from: if the database no longer matches it, the index is rebuilt. */
export type IndexFingerprint = { embedder: string; dimensions: number; count: number; checksum: string };

/**
 * One account's HNSW graph (cosine). Labels are KB item ids, or alternate-question labels (./types.ts) that
 * belong to an item; updates replace a label in place and deletes mark it (the slot stays until the next
 * rebuild); capacity doubles as needed, live. Search answers per item: the best of its vectors.
 */
export class AccountIndex {
  // At 100 000 items every per-label object counts: an item's own label is its id and owns itself, so only
  // alternate questions (few) get entries of their own.
  /** Live alternate-question labels → their item; items → their live alternate-question labels. */
  private readonly questionOwner = new Map<number, number>();
  private readonly questionsOf = new Map<number, number[]>();
  /** Live labels → a digest of the text their vector was computed from, where this process embedded it. */
  private readonly textDigests = new Map<number, number>();
  /** Labels in the graph marked deleted (re-adding one must unmark it). */
  private readonly deleted = new Set<number>();

  private constructor(
    private readonly hnsw: Hnsw,
    readonly dimensions: number,
    /** Live labels → the version (vector updated_at) they were indexed at. */
    private readonly live = new Map<number, string>(),
  ) {
    hnsw.setEf(EF_SEARCH);
  }

  static create(dimensions: number, capacity = INITIAL_CAPACITY): AccountIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex({ maxElements: Math.max(capacity, INITIAL_CAPACITY), m: M, efConstruction: EF_CONSTRUCTION });
    return new AccountIndex(hnsw, dimensions);
  }

  /**
   * Reads a saved graph; `versions` are the labels the database says are indexed (the file does not say which
   * labels are deleted). The index keeps `versions` as its own (no second map of every label at 100 000 items).
   */
  static async read(file: string, dimensions: number, { versions, owners }: IndexContents): Promise<AccountIndex> {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    await hnsw.readIndex(file);
    const index = new AccountIndex(hnsw, dimensions, versions);
    const inGraph = hnsw.getIdsList();
    for (const [label, itemId] of owners) index.own(label, itemId);
    let found = 0;
    // The file keeps deletion marks; marking again only matters for a label deleted after the save.
    for (const label of inGraph) {
      if (index.live.has(label)) {
        found += 1;
        continue;
      }
      index.deleted.add(label);
      try {
        index.hnsw.markDelete(label);
      } catch {
        /* already marked deleted in the file */
      }
    }
    if (found < versions.size) throw new Error(`saved index lacks ${versions.size - found} of the labels the database has`);
    return index;
  }

  get size(): number {
    return this.live.size;
  }

  has(label: number): boolean {
    return this.live.has(label);
  }

  /** The version (vector updated_at) a label was indexed at; undefined when not live. */
  versionOf(label: number): string | undefined {
    return this.live.get(label);
  }

  /** Whether the label's vector is known to come from exactly this text. */
  isCurrent(label: number, text: string): boolean {
    return this.live.has(label) && this.textDigests.get(label) === textDigest(text);
  }

  /** The live labels of an item: its own and its alternate questions'. */
  labelsOfItem(itemId: number): number[] {
    const questions = this.questionsOf.get(itemId) ?? [];
    return this.live.has(itemId) ? [itemId, ...questions] : [...questions];
  }

  /** What the graph holds: item id → version, for the saved fingerprint. */
  get versions(): ReadonlyMap<number, string> {
    return this.live;
  }

  upsert(id: number, vector: Float32Array, version: string, itemId = id, text?: string): void {
    const point = Array.from(vector);
    if (this.live.has(id) || this.deleted.delete(id)) {
      if (!this.live.has(id)) this.hnsw.unmarkDelete(id);
      this.hnsw.addPoint(point, id); // same label: hnswlib replaces the vector
    } else {
      if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements())
        this.hnsw.resizeIndex(Math.max(INITIAL_CAPACITY, this.hnsw.getMaxElements() * 2)); // an empty saved index loads with none
      this.hnsw.addPoint(point, id);
    }
    this.live.set(id, version);
    this.own(id, itemId);
    if (text === undefined) this.textDigests.delete(id);
    else this.textDigests.set(id, textDigest(text));
  }

  remove(id: number): void {
    if (!this.live.delete(id)) return;
    this.hnsw.markDelete(id);
    this.deleted.add(id);
    this.textDigests.delete(id);
    this.disown(id);
  }

  /** Removes an item's own vector and its questions'. */
  removeItem(itemId: number): void {
    for (const label of this.labelsOfItem(itemId)) this.remove(label);
  }

  /**
   * The items of the nearest vectors by cosine similarity, nearest first, each once (from the first 2·k labels,
   * since several may be one item's questions), and scorers of any item against the same query (unit length).
   * Reading a stored vector copies 512 numbers out of the native index (≈ 35 µs), so `similarity` takes the
   * similarities the graph search computed on its way for the SCORED_LABELS labels it returns (float32 sums,
   * within DENSE_ERROR of the exact ones) and reads only the vectors it did not reach; `exactSimilarity` reads
   * every vector of the item, once per search.
   */
  nearest(vector: Float32Array, k: number): DenseSearch {
    const n = Math.min(k * 2, this.live.size);
    if (n === 0) return { items: [], similarity: () => ({}), exactSimilarity: () => ({}) };
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(vector), Math.min(Math.max(n, SCORED_LABELS), this.live.size));
    const reached = new Map(neighbors.map((label, i) => [label, 1 - distances[i]!]));
    const exact = new Map<number, number>();
    const exactOf = (label: number) => {
      let sum = exact.get(label);
      if (sum === undefined) exact.set(label, (sum = dot(this.hnsw.getPoint(label), vector))); // stored normalised (cosine space)
      return sum;
    };
    return {
      items: [...new Set(neighbors.slice(0, n).map((label) => this.questionOwner.get(label) ?? label))].slice(0, k),
      similarity: (itemId) => this.bestOf(itemId, (label) => reached.get(label) ?? exactOf(label)),
      exactSimilarity: (itemId) => this.bestOf(itemId, exactOf),
    };
  }

  /** Nearest vectors as (label, similarity), for tests and benches of the graph itself. */
  search(vector: Float32Array, k: number): { id: number; similarity: number }[] {
    const n = Math.min(k, this.live.size);
    if (n === 0) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(vector), n);
    return neighbors.map((id, i) => ({ id, similarity: 1 - distances[i]! }));
  }

  /** Search breadth (recall vs time; see bench/hnsw-recall.bench.ts). */
  setEf(ef: number): void {
    this.hnsw.setEf(ef);
  }

  /**
   * Cosine similarity of a query vector (unit length) to an item's own vector and to the best of its
   * alternate questions'; each undefined when the item has no such vector.
   */
  similarity(itemId: number, query: Float32Array): LabelSimilarity {
    return this.bestOf(itemId, (label) => dot(this.hnsw.getPoint(label), query)); // stored normalised (cosine space)
  }

  private bestOf(itemId: number, similarityOf: (label: number) => number): LabelSimilarity {
    const result: LabelSimilarity = {};
    for (const label of this.labelsOfItem(itemId)) {
      const sum = similarityOf(label);
      if (label === itemId) result.own = sum;
      else if (result.question === undefined || sum > result.question) result.question = sum;
    }
    return result;
  }

  private own(label: number, itemId: number): void {
    if (label === itemId || this.questionOwner.get(label) === itemId) return;
    this.disown(label);
    this.questionOwner.set(label, itemId);
    const questions = this.questionsOf.get(itemId);
    if (questions) questions.push(label);
    else this.questionsOf.set(itemId, [label]);
  }

  private disown(label: number): void {
    const itemId = this.questionOwner.get(label);
    if (itemId === undefined) return;
    this.questionOwner.delete(label);
    const rest = this.questionsOf.get(itemId)!.filter((l) => l !== label);
    if (rest.length) this.questionsOf.set(itemId, rest);
    else this.questionsOf.delete(itemId);
  }

  async write(file: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await this.hnsw.writeIndex(temp);
    await fs.chmod(temp, 0o600); // hnswlib writes with the umask's mode; vectors say much about the KB
    await fs.rename(temp, file);
  }
}

/** 48 bits of a text's SHA-256: tells an unchanged text from an edited one without keeping every text. */
function textDigest(text: string): number {
  return createHash('sha256').update(text).digest().readUIntBE(0, 6);
}
