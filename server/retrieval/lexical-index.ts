import { analyze, queryTerms } from './terms.js';

/** The text of one KB item as the lexical index sees it: each field is scored with its own length normalisation. */
export type LexicalDocument = { title: string; content: string; meta: string; questions: string[] };

const FIELDS = ['title', 'content', 'meta', 'questions'] as const;
type Field = (typeof FIELDS)[number];

export type LexicalParams = {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation (0: none, 1: full), per field against that field's average length. */
  b: number;
  /** BM25F field weights: how much one occurrence in each field counts. */
  fieldWeights: Record<Field, number>;
  /** A KB word that is a WordNet synonym of a question word counts this much of a match on the word itself. */
  synonymWeight: number;
};

/** Term → its synonyms (index terms both sides), e.g. from ./synonyms.ts; only those the KB itself uses are searched. */
export type Synonyms = { of(term: string): readonly string[] };

export type LexicalHit = { id: number; score: number };

/** Per-field term counts saturate here (one byte each in the packed posting). */
const MAX_TF = 255;
/**
 * In a large KB, a term in more items than this (and than COMMON_SHARE of them) is "common": its postings are
 * not walked; it is scored only for the best items the rarer terms found and for the dense side's. Its weight is low
 * (low IDF), and walking 100 000 postings per query would cost most of the search budget. Small KBs (the
 * eval sets) never reach the cut, so their scores are exact.
 */
const COMMON_MIN_DF = 2000;
const COMMON_SHARE = 0.05;
/** How many of the rarer terms' best matches common terms are scored for. */
const COMMON_SCORED = 500;

/**
 * One account's in-process BM25F index over its KB items (title, content, category + tags, alternate
 * questions). The database holds the rows; this is a cache of them, rebuilt on start and updated on
 * every write, like the HNSW index, so scores are the same on SQLite and PostgreSQL.
 *
 * Scores are normalised per query into [0, 1]: the BM25F score over the score of a document holding every
 * question term infinitely often. A question whose words the KB lacks therefore scores low everywhere,
 * which is what the reply bands need.
 *
 * Layout (compact at 100 000 items): each item has a slot; per term, growable typed arrays of slots and
 * packed per-field counts; a removed item's slot stays in the postings (skipped) until a compaction.
 */
export class LexicalIndex {
  private readonly termIds = new Map<string, number>();
  private df = new Int32Array(1024);
  private postingSlots: Int32Array[] = [];
  private postingTfs: Uint32Array[] = [];
  private postingLengths: number[] = [];

  private slotItem = new Int32Array(256);
  private slotLengths = new Float32Array(256 * FIELDS.length);
  /** Per slot: [termId, packed counts, …] — what a removal or a compaction needs. */
  private slotTerms: (Uint32Array | null)[] = [];
  private slotCount = 0;
  private readonly slotOf = new Map<number, number>();
  private readonly lengthSums = new Float64Array(FIELDS.length);
  private scratch = new Float64Array(256);

  get size(): number {
    return this.slotOf.size;
  }

  has(itemId: number): boolean {
    return this.slotOf.has(itemId);
  }

  /** Whether the index uses this term (a synonym of a question word is searched only then). */
  hasTerm(term: string): boolean {
    const id = this.termIds.get(term);
    return id !== undefined && this.df[id]! > 0;
  }

  upsert(itemId: number, doc: LexicalDocument): void {
    this.remove(itemId);
    const counts = new Map<number, number>();
    const slot = this.newSlot(itemId);
    FIELDS.forEach((field, f) => {
      const terms = field === 'questions' ? doc.questions.flatMap(analyze) : analyze(doc[field]);
      this.slotLengths[slot * FIELDS.length + f] = terms.length;
      this.lengthSums[f]! += terms.length;
      for (const term of terms) {
        const id = this.termId(term);
        const packed = counts.get(id) ?? 0;
        if (((packed >>> (8 * f)) & 0xff) < MAX_TF) counts.set(id, packed + (1 << (8 * f)));
      }
    });
    // Sorted by term id, so scoring a common term for one item is a binary search.
    const forward = new Uint32Array(counts.size * 2);
    let i = 0;
    for (const [id, packed] of [...counts].sort((a, b) => a[0] - b[0])) {
      forward[i++] = id;
      forward[i++] = packed >>> 0;
      this.df[id]! += 1;
      this.addPosting(id, slot, packed >>> 0);
    }
    this.slotTerms[slot] = forward;
  }

  remove(itemId: number): void {
    const slot = this.slotOf.get(itemId);
    if (slot === undefined) return;
    this.slotOf.delete(itemId);
    const forward = this.slotTerms[slot]!;
    for (let i = 0; i < forward.length; i += 2) this.df[forward[i]!]! -= 1;
    FIELDS.forEach((_, f) => (this.lengthSums[f]! -= this.slotLengths[slot * FIELDS.length + f]!));
    this.slotTerms[slot] = null;
    this.slotItem[slot] = -1;
    if (this.slotCount > 1024 && this.slotOf.size < this.slotCount / 2) this.compact();
  }

  /**
   * The best `limit` items for a question, and the scores of `alsoScore` items (dense candidates) whether
   * or not they made that list; items that match nothing score 0.
   */
  search(
    query: string,
    limit: number,
    params: LexicalParams,
    synonyms?: Synonyms,
    alsoScore: Iterable<number> = [],
  ): { top: LexicalHit[]; scoreOf: Map<number, number> } {
    const terms = queryTerms(query);
    const scoreOf = new Map<number, number>();
    const live = this.slotOf.size;
    if (terms.length === 0 || live === 0) return { top: [], scoreOf };
    const idf = (df: number) => Math.log(1 + (live - df + 0.5) / (df + 0.5));
    const weighted: { id: number; weight: number }[] = [];
    const seen = new Set<string>();
    let best = 0;
    for (const term of terms) {
      const id = this.termIds.get(term);
      const df = id === undefined ? 0 : this.df[id]!;
      // Unknown words count against the match: a question about something the KB never mentions scores low.
      best += idf(df) * (params.k1 + 1);
      seen.add(term);
      if (df > 0) weighted.push({ id: id!, weight: 1 });
    }
    if (synonyms && params.synonymWeight > 0) {
      for (const term of terms) {
        for (const synonym of synonyms.of(term)) {
          if (seen.has(synonym)) continue;
          seen.add(synonym);
          const id = this.termIds.get(synonym);
          if (id !== undefined && this.df[id]! > 0) weighted.push({ id, weight: params.synonymWeight });
        }
      }
    }
    if (weighted.length === 0) return { top: [], scoreOf };

    const averages = FIELDS.map((_, f) => this.lengthSums[f]! / live || 1);
    const weights = FIELDS.map((field) => params.fieldWeights[field]);
    /** The BM25F contribution of one term (packed per-field counts) to one slot. */
    const contribution = (termIdf: number, packed: number, slot: number) => {
      let tf = 0;
      for (let f = 0; f < FIELDS.length; f++) {
        const count = (packed >>> (8 * f)) & 0xff;
        if (count === 0 || weights[f] === 0) continue;
        const length = this.slotLengths[slot * FIELDS.length + f]!;
        tf += (weights[f]! * count) / (1 - params.b + (params.b * length) / averages[f]!);
      }
      return tf === 0 ? 0 : (termIdf * tf * (params.k1 + 1)) / (params.k1 + tf);
    };
    const commonAbove = Math.max(COMMON_MIN_DF, COMMON_SHARE * live);
    weighted.sort((x, y) => this.df[x.id]! - this.df[y.id]!);
    // A question of common words only is scored for the dense candidates alone.
    const walked = weighted.filter((w) => this.df[w.id]! <= commonAbove);
    const common = weighted.slice(walked.length);

    const scores = this.scratch;
    const touched: number[] = [];
    for (const { id, weight } of walked) {
      const termIdf = idf(this.df[id]!) * weight;
      const slots = this.postingSlots[id]!;
      const tfs = this.postingTfs[id]!;
      for (let p = 0, n = this.postingLengths[id]!; p < n; p++) {
        const slot = slots[p]!;
        if (this.slotItem[slot] === -1) continue;
        const score = contribution(termIdf, tfs[p]!, slot);
        if (score === 0) continue;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += score;
      }
    }
    if (common.length) {
      // Common terms decide between close items, not which items are in the running: only the best of the
      // rarer terms' matches (and the dense candidates) get them added.
      const candidates = new Set(
        topHits(
          touched.map((slot) => ({ id: slot, score: scores[slot]! })),
          COMMON_SCORED,
        ).map((h) => h.id),
      );
      for (const itemId of alsoScore) {
        const slot = this.slotOf.get(itemId);
        if (slot !== undefined) candidates.add(slot);
      }
      for (const slot of candidates) {
        const forward = this.slotTerms[slot]!;
        for (const { id, weight } of common) {
          const packed = packedCount(forward, id);
          if (packed === 0) continue;
          const score = contribution(idf(this.df[id]!) * weight, packed, slot);
          if (score === 0) continue;
          if (scores[slot] === 0) touched.push(slot);
          scores[slot]! += score;
        }
      }
    }
    const hits: LexicalHit[] = touched.map((slot) => ({ id: this.slotItem[slot]!, score: Math.min(1, scores[slot]! / best) }));
    for (const itemId of alsoScore) {
      const slot = this.slotOf.get(itemId);
      if (slot !== undefined && scores[slot]! > 0) scoreOf.set(itemId, Math.min(1, scores[slot]! / best));
    }
    for (const slot of touched) scores[slot] = 0;
    const top = topHits(hits, limit);
    for (const hit of top) scoreOf.set(hit.id, hit.score);
    return { top, scoreOf };
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.termIds.size;
    this.termIds.set(term, id);
    if (id >= this.df.length) this.df = grow(this.df, this.df.length * 2);
    this.postingSlots.push(new Int32Array(2));
    this.postingTfs.push(new Uint32Array(2));
    this.postingLengths.push(0);
    return id;
  }

  private addPosting(termId: number, slot: number, packed: number): void {
    const n = this.postingLengths[termId]!;
    if (n === this.postingSlots[termId]!.length) {
      this.postingSlots[termId] = grow(this.postingSlots[termId]!, n * 2);
      this.postingTfs[termId] = grow(this.postingTfs[termId]!, n * 2);
    }
    this.postingSlots[termId]![n] = slot;
    this.postingTfs[termId]![n] = packed;
    this.postingLengths[termId] = n + 1;
  }

  private newSlot(itemId: number): number {
    const slot = this.slotCount++;
    if (slot >= this.slotItem.length) {
      const capacity = this.slotItem.length * 2;
      this.slotItem = grow(this.slotItem, capacity);
      this.slotLengths = grow(this.slotLengths, capacity * FIELDS.length);
      this.scratch = new Float64Array(capacity);
    }
    this.slotItem[slot] = itemId;
    this.slotTerms[slot] = null;
    this.slotOf.set(itemId, slot);
    return slot;
  }

  /** Drops removed items' slots: renumbers the live ones and rebuilds the postings from their term lists. */
  private compact(): void {
    const live = [...this.slotOf.entries()].sort((a, b) => a[1] - b[1]);
    const oldTerms = this.slotTerms;
    const oldLengths = this.slotLengths;
    this.slotItem = new Int32Array(Math.max(256, live.length * 2));
    this.slotLengths = new Float32Array(this.slotItem.length * FIELDS.length);
    this.scratch = new Float64Array(this.slotItem.length);
    this.slotTerms = [];
    this.slotCount = 0;
    this.slotOf.clear();
    this.postingLengths.fill(0);
    for (const [itemId, oldSlot] of live) {
      const slot = this.newSlot(itemId);
      this.slotLengths.set(oldLengths.subarray(oldSlot * FIELDS.length, (oldSlot + 1) * FIELDS.length), slot * FIELDS.length);
      const forward = oldTerms[oldSlot]!;
      this.slotTerms[slot] = forward;
      for (let i = 0; i < forward.length; i += 2) this.addPosting(forward[i]!, slot, forward[i + 1]!);
    }
  }
}

/** A term's packed counts in an item's sorted [termId, packed, …] list; 0 when absent. */
function packedCount(forward: Uint32Array, termId: number): number {
  let lo = 0;
  let hi = forward.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = forward[2 * mid]!;
    if (id === termId) return forward[2 * mid + 1]!;
    if (id < termId) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** The best `limit` hits, best first (ties by id), without sorting all of them. */
function topHits(hits: LexicalHit[], limit: number): LexicalHit[] {
  const better = (a: LexicalHit, b: LexicalHit) => b.score - a.score || a.id - b.id;
  if (hits.length <= limit * 4) return hits.sort(better).slice(0, limit);
  // The limit-th best score from a numeric sort of the scores alone, then a sort of the few hits at or above it.
  const scores = Float64Array.from(hits, (h) => h.score).sort();
  const cut = scores[scores.length - limit]!;
  return hits
    .filter((h) => h.score >= cut)
    .sort(better)
    .slice(0, limit);
}

function grow<T extends Int32Array | Uint32Array | Float32Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
