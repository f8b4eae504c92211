import fs from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

const M = 16;
const EF_CONSTRUCTION = 200;
/** Search breadth: recall@10 0.991 vs exact at 100k × 512-d, ~2.4 ms (bench/hnsw-recall.bench.ts; 96 gave 0.936). */
export const EF_SEARCH = 300;
const INITIAL_CAPACITY = 256;

/** What a saved index was built from: if the database no longer matches it, the index is rebuilt. */
export type IndexFingerprint = { embedder: string; dimensions: number; count: number; checksum: string };

/**
 * One account's HNSW graph (cosine). Labels are KB item ids, so updates replace a label in place
 * and deletes mark it (the slot stays until the next rebuild); capacity doubles as needed, live.
 */
export class AccountIndex {
  /** Live labels → the version (vector updated_at) they were indexed at. */
  private readonly live = new Map<number, string>();
  /** Labels present in the graph, deleted or not (re-adding a deleted one must unmark it). */
  private readonly known = new Set<number>();

  private constructor(
    private readonly hnsw: Hnsw,
    readonly dimensions: number,
  ) {
    hnsw.setEf(EF_SEARCH);
  }

  static create(dimensions: number, capacity = INITIAL_CAPACITY): AccountIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex({ maxElements: Math.max(capacity, INITIAL_CAPACITY), m: M, efConstruction: EF_CONSTRUCTION });
    return new AccountIndex(hnsw, dimensions);
  }

  /** Reads a saved graph; `versions` are the items the database says are indexed (the file does not say which labels are deleted). */
  static async read(file: string, dimensions: number, versions: Map<number, string>): Promise<AccountIndex> {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    await hnsw.readIndex(file);
    const index = new AccountIndex(hnsw, dimensions);
    for (const label of hnsw.getIdsList()) index.known.add(label);
    for (const [id, version] of versions) {
      if (!index.known.has(id)) throw new Error(`saved index lacks item ${id}`);
      index.live.set(id, version);
    }
    // The file keeps deletion marks; marking again only matters for a label deleted after the save.
    for (const label of index.known) {
      if (index.live.has(label)) continue;
      try {
        index.hnsw.markDelete(label);
      } catch {
        /* already marked deleted in the file */
      }
    }
    return index;
  }

  get size(): number {
    return this.live.size;
  }

  has(id: number): boolean {
    return this.live.has(id);
  }

  /** What the graph holds: item id → version, for the saved fingerprint. */
  get versions(): ReadonlyMap<number, string> {
    return this.live;
  }

  upsert(id: number, vector: Float32Array, version: string): void {
    const point = Array.from(vector);
    if (this.known.has(id)) {
      if (!this.live.has(id)) this.hnsw.unmarkDelete(id);
      this.hnsw.addPoint(point, id); // same label: hnswlib replaces the vector
    } else {
      if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) this.hnsw.resizeIndex(this.hnsw.getMaxElements() * 2);
      this.hnsw.addPoint(point, id);
      this.known.add(id);
    }
    this.live.set(id, version);
  }

  remove(id: number): void {
    if (!this.live.delete(id)) return;
    this.hnsw.markDelete(id);
  }

  /** Nearest items by cosine similarity (1 = same direction), best first. */
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

  /** Cosine similarity of one indexed item to a query vector (unit length); undefined when not indexed. */
  similarity(id: number, query: Float32Array): number | undefined {
    if (!this.live.has(id)) return undefined;
    const point = this.hnsw.getPoint(id); // stored normalised in the cosine space
    let sum = 0;
    for (let i = 0; i < point.length; i++) sum += point[i]! * query[i]!;
    return sum;
  }

  async write(file: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await this.hnsw.writeIndex(temp);
    await fs.rename(temp, file);
  }
}
