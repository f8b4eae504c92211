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
/** Postings added since the last repack are packed with the others once there are this many (and half as many as packed). */
const REPACK_AT = 65_536;
/** Distinct terms per item a bulk load reserves room for (FAQ items: ≈ 25; more only costs address space). */
const EXPECTED_FORWARD_PAIRS = 48;

/**
 * One account's in-process BM25F index over its KB items (title, content, category + tags, alternate
 * questions). The database holds the rows; this is a cache of them, built on start and updated on
 * every write, like the HNSW index, so scores are the same on SQLite and PostgreSQL.
 *
 * Scores are normalised per query into [0, 1]: the BM25F score over the score of a document holding every
 * question term infinitely often. A question whose words the KB lacks therefore scores low everywhere,
 * which is what the reply bands need.
 *
 * Layout: a few typed arrays, no object per item or per term (100 000 items are millions of postings):
 *  - each item has a slot: its field lengths, and its forward list ([term id, packed per-field counts] pairs
 *    sorted by term, in one pool), which removals, common-term scoring and repacking read;
 *  - each term's postings (slot, packed counts): contiguous as of the last repack, and a linked list of those
 *    added since;
 *  - a removed item's slot stays in the postings (skipped) until a repack renumbers the live slots in order.
 */
export class LexicalIndex {
  private readonly termIds = new Map<string, number>();
  private df = new Int32Array(1024);
  /** Term t's packed postings are [packedStart[t], packedStart[t + 1]) (terms below packedTerms). */
  private packedStart = new Int32Array(1);
  private packedTerms = 0;
  private packedSlots = new Int32Array(0);
  private packedTfs = new Uint32Array(0);
  /** Postings added since the last repack: per term a list, newest first, through addedNext (-1 ends it). */
  private addedHead = new Int32Array(1024).fill(-1);
  private addedNext = new Int32Array(1024);
  private addedSlots = new Int32Array(1024);
  private addedTfs = new Uint32Array(1024);
  private addedCount = 0;
  /** Loading (see load()): postings wait for the repack that ends it. */
  private loading = false;

  private slotItem = new Int32Array(256);
  private slotLengths = new Float32Array(256 * FIELDS.length);
  private forwardStart = new Int32Array(256);
  /** In pairs; 0 for a removed slot. */
  private forwardPairs = new Int32Array(256);
  private forward = new Uint32Array(2048);
  private forwardUsed = 0;
  private slotCount = 0;
  private readonly slotOf = new Map<number, number>();
  private readonly lengthSums = new Float64Array(FIELDS.length);
  private scratch = new Float64Array(256);
  /**
   * The item being added: per term its packed counts (all 0 between upserts) and which terms it has. Counting
   * in these rather than in a Map per item leaves no garbage behind: 100 000 items built after a restart made
   * tens of MB of it.
   */
  private itemCounts = new Uint32Array(1024);
  private itemTerms = new Int32Array(64);

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
    const slot = this.newSlot(itemId);
    let distinct = 0;
    FIELDS.forEach((field, f) => {
      const terms = field === 'questions' ? doc.questions.flatMap(analyze) : analyze(doc[field]);
      this.slotLengths[slot * FIELDS.length + f] = terms.length;
      this.lengthSums[f]! += terms.length;
      for (const term of terms) {
        const id = this.termId(term);
        const packed = this.itemCounts[id]!;
        if (packed === 0) {
          if (distinct === this.itemTerms.length) this.itemTerms = grow(this.itemTerms, distinct * 2);
          this.itemTerms[distinct++] = id;
        }
        if (((packed >>> (8 * f)) & 0xff) < MAX_TF) this.itemCounts[id] = packed + (1 << (8 * f));
      }
    });
    // Sorted by term id, so scoring a common term for one item is a binary search.
    const ids = this.itemTerms.subarray(0, distinct).sort();
    this.reserveForward(distinct);
    this.forwardStart[slot] = this.forwardUsed;
    this.forwardPairs[slot] = distinct;
    for (const id of ids) {
      const packed = this.itemCounts[id]!;
      this.itemCounts[id] = 0;
      this.forward[this.forwardUsed++] = id;
      this.forward[this.forwardUsed++] = packed;
      this.df[id]! += 1;
      if (!this.loading) this.addPosting(id, slot, packed);
    }
    if (this.addedCount > REPACK_AT && this.addedCount > this.packedSlots.length / 2) this.repack();
  }

  remove(itemId: number): void {
    const slot = this.slotOf.get(itemId);
    if (slot === undefined) return;
    this.slotOf.delete(itemId);
    const start = this.forwardStart[slot]!;
    for (let i = 0; i < this.forwardPairs[slot]!; i++) this.df[this.forward[start + 2 * i]!]! -= 1;
    FIELDS.forEach((_, f) => (this.lengthSums[f]! -= this.slotLengths[slot * FIELDS.length + f]!));
    this.forwardPairs[slot] = 0;
    this.slotItem[slot] = -1;
    if (this.slotCount > 1024 && this.slotOf.size < this.slotCount / 2) this.repack();
  }

  /**
   * Until the next repack(), items are only recorded and postings are then built once from them: loading
   * many items (a build from the rows) makes no intermediate postings to grow, copy and free.
   */
  load(expectedItems = 0): void {
    this.loading = true;
    // Sized once for the whole load (pages never written stay unallocated), so growing leaves no garbage behind.
    const slots = this.slotCount + expectedItems;
    if (slots > this.slotItem.length) this.resizeSlots(slots);
    this.reserveForward(expectedItems * EXPECTED_FORWARD_PAIRS);
  }

  /**
   * Packs every posting contiguously and drops removed items' slots and terms (a bulk load leaves a share of
   * its postings in the lists of those added since the last repack); done by itself as the index changes.
   */
  repack(): void {
    if (this.slotOf.size === this.slotCount) this.packPostings();
    else this.compact();
  }

  /** Renumbers the live slots in order (ties between equal scores are broken by it), then packs. */
  private compact(): void {
    const live = this.slotOf.size;
    const capacity = Math.max(256, Math.ceil(live * 1.25));
    const old = {
      item: this.slotItem,
      lengths: this.slotLengths,
      start: this.forwardStart,
      pairs: this.forwardPairs,
      forward: this.forward,
    };
    let pairsTotal = 0;
    for (let slot = 0; slot < this.slotCount; slot++) pairsTotal += old.pairs[slot]!;
    this.slotItem = new Int32Array(capacity);
    this.slotLengths = new Float32Array(capacity * FIELDS.length);
    this.forwardStart = new Int32Array(capacity);
    this.forwardPairs = new Int32Array(capacity);
    this.forward = new Uint32Array(Math.max(2048, Math.ceil(pairsTotal * 2 * 1.25)));
    this.scratch = new Float64Array(capacity);
    const oldCount = this.slotCount;
    this.slotCount = 0;
    this.forwardUsed = 0;
    // Live slots keep their order (ties between equal scores are broken by it).
    for (let oldSlot = 0; oldSlot < oldCount; oldSlot++) {
      const itemId = old.item[oldSlot]!;
      if (itemId === -1) continue;
      const slot = this.slotCount++;
      this.slotItem[slot] = itemId;
      this.slotOf.set(itemId, slot);
      this.slotLengths.set(old.lengths.subarray(oldSlot * FIELDS.length, (oldSlot + 1) * FIELDS.length), slot * FIELDS.length);
      const from = old.start[oldSlot]!;
      const n = old.pairs[oldSlot]!;
      this.forward.set(old.forward.subarray(from, from + 2 * n), this.forwardUsed);
      this.forwardStart[slot] = this.forwardUsed;
      this.forwardPairs[slot] = n;
      this.forwardUsed += 2 * n;
    }
    this.packPostings();
  }

  /** Every live item's postings, by term, in slot order; the lists of postings added since are emptied. */
  private packPostings(): void {
    const terms = this.termIds.size;
    const start = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) start[t + 1] = start[t]! + this.df[t]!;
    const fill = start.slice(0, terms);
    this.packedSlots = new Int32Array(start[terms]!);
    this.packedTfs = new Uint32Array(start[terms]!);
    for (let slot = 0; slot < this.slotCount; slot++) {
      const from = this.forwardStart[slot]!;
      for (let i = 0; i < this.forwardPairs[slot]!; i++) {
        const term = this.forward[from + 2 * i]!;
        const p = fill[term]!++;
        this.packedSlots[p] = slot;
        this.packedTfs[p] = this.forward[from + 2 * i + 1]!;
      }
    }
    this.packedStart = start;
    this.packedTerms = terms;
    this.addedHead = new Int32Array(Math.max(1024, this.df.length)).fill(-1);
    this.addedNext = new Int32Array(1024);
    this.addedSlots = new Int32Array(1024);
    this.addedTfs = new Uint32Array(1024);
    this.addedCount = 0;
    this.loading = false;
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
    if (this.loading) this.repack();
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
    const add = (slot: number, score: number) => {
      if (score === 0) return;
      if (scores[slot] === 0) touched.push(slot);
      scores[slot]! += score;
    };
    for (const { id, weight } of walked) {
      const termIdf = idf(this.df[id]!) * weight;
      if (id < this.packedTerms) {
        for (let p = this.packedStart[id]!, end = this.packedStart[id + 1]!; p < end; p++) {
          const slot = this.packedSlots[p]!;
          if (this.slotItem[slot] !== -1) add(slot, contribution(termIdf, this.packedTfs[p]!, slot));
        }
      }
      for (let a = this.addedHead[id]!; a !== -1; a = this.addedNext[a]!) {
        const slot = this.addedSlots[a]!;
        if (this.slotItem[slot] !== -1) add(slot, contribution(termIdf, this.addedTfs[a]!, slot));
      }
    }
    if (common.length) {
      // Common terms decide between close items, not which items are in the running: only the best of the
      // rarer terms' matches (and the dense candidates) get them added.
      const candidates = new Set(
        bestSlots(
          touched,
          COMMON_SCORED,
          (slot) => scores[slot]!,
          (slot) => slot,
        ),
      );
      for (const itemId of alsoScore) {
        const slot = this.slotOf.get(itemId);
        if (slot !== undefined) candidates.add(slot);
      }
      for (const slot of candidates) {
        for (const { id, weight } of common) {
          const packed = this.packedCount(slot, id);
          if (packed !== 0) add(slot, contribution(idf(this.df[id]!) * weight, packed, slot));
        }
      }
    }
    const normalised = (slot: number) => Math.min(1, scores[slot]! / best);
    for (const itemId of alsoScore) {
      const slot = this.slotOf.get(itemId);
      if (slot !== undefined && scores[slot]! > 0) scoreOf.set(itemId, normalised(slot));
    }
    const top = bestSlots(touched, limit, normalised, (slot) => this.slotItem[slot]!).map((slot) => ({
      id: this.slotItem[slot]!,
      score: normalised(slot),
    }));
    for (const slot of touched) scores[slot] = 0;
    for (const hit of top) scoreOf.set(hit.id, hit.score);
    return { top, scoreOf };
  }

  /** A term's packed counts in a slot's sorted forward list; 0 when absent. */
  private packedCount(slot: number, termId: number): number {
    const start = this.forwardStart[slot]!;
    let lo = 0;
    let hi = this.forwardPairs[slot]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = this.forward[start + 2 * mid]!;
      if (id === termId) return this.forward[start + 2 * mid + 1]!;
      if (id < termId) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.termIds.size;
    this.termIds.set(term, id);
    if (id >= this.df.length) {
      this.df = grow(this.df, this.df.length * 2);
      this.itemCounts = grow(this.itemCounts, this.df.length);
      const heads = new Int32Array(this.df.length).fill(-1);
      heads.set(this.addedHead);
      this.addedHead = heads;
    }
    return id;
  }

  private addPosting(termId: number, slot: number, packed: number): void {
    const a = this.addedCount++;
    if (a === this.addedSlots.length) {
      this.addedNext = grow(this.addedNext, a * 2);
      this.addedSlots = grow(this.addedSlots, a * 2);
      this.addedTfs = grow(this.addedTfs, a * 2);
    }
    this.addedSlots[a] = slot;
    this.addedTfs[a] = packed;
    this.addedNext[a] = this.addedHead[termId]!;
    this.addedHead[termId] = a;
  }

  private reserveForward(pairs: number): void {
    if (this.forwardUsed + 2 * pairs > this.forward.length)
      this.forward = grow(this.forward, Math.max(this.forward.length * 2, this.forwardUsed + 2 * pairs));
  }

  private resizeSlots(capacity: number): void {
    this.slotItem = grow(this.slotItem, capacity);
    this.slotLengths = grow(this.slotLengths, capacity * FIELDS.length);
    this.forwardStart = grow(this.forwardStart, capacity);
    this.forwardPairs = grow(this.forwardPairs, capacity);
    this.scratch = new Float64Array(capacity);
  }

  private newSlot(itemId: number): number {
    const slot = this.slotCount++;
    if (slot >= this.slotItem.length) {
      this.resizeSlots(this.slotItem.length * 2);
    }
    this.slotItem[slot] = itemId;
    this.forwardPairs[slot] = 0;
    this.slotOf.set(itemId, slot);
    return slot;
  }
}

/**
 * The best `limit` of `slots` by `score` (ties: lower `id` first), best first, without sorting all of them: a
 * heap holds the best so far with the worst of them at its root.
 */
function bestSlots(slots: number[], limit: number, score: (slot: number) => number, id: (slot: number) => number): number[] {
  const worse = (a: number, b: number) => {
    const difference = score(a) - score(b);
    return difference < 0 || (difference === 0 && id(a) > id(b));
  };
  const heap: number[] = [];
  const siftDown = (i: number) => {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) return;
      const child = left + 1 < heap.length && worse(heap[left + 1]!, heap[left]!) ? left + 1 : left;
      if (!worse(heap[child]!, heap[i]!)) return;
      [heap[i], heap[child]] = [heap[child]!, heap[i]!];
      i = child;
    }
  };
  for (const slot of slots) {
    if (heap.length < limit) {
      heap.push(slot);
      for (let i = heap.length - 1; i > 0 && worse(heap[i]!, heap[(i - 1) >> 1]!); i = (i - 1) >> 1)
        [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1]!, heap[i]!];
    } else if (limit > 0 && worse(heap[0]!, slot)) {
      heap[0] = slot;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

function grow<T extends Int32Array | Uint32Array | Float32Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
