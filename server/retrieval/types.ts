import type { UsePrecision } from './embedders/use-lite/files.js';

/** One text to embed and index: a KB item's searchable fields. */
export type IndexableItem = { id: number; title: string; content: string };

/** A ranked search result. `score` is the fused score; `lexical` and `dense` its parts, each in [0, 1]. */
export type SearchHit = { itemId: number; score: number; lexical: number; dense: number };

export type RetrievalStatus = {
  embedder: { id: string; dimensions: number };
  /** Items with a vector from the current embedder. */
  indexed: number;
  /** Items committed but not embedded yet (searchable lexically until the background reconcile embeds them). */
  pending: number;
  /** Progress of the background re-embedding after an embedder change; null when none is running. */
  reembedding: { done: number; total: number } | null;
};

import type { BandParams } from './bands.js';

/** What the KB API and the AI agent use (fixed cross-team interface). */
export interface RetrievalService {
  /** Embeds the items, stores their vectors and adds them to the account's index; resolves once searchable. */
  indexItems(accountId: number, items: IndexableItem[]): Promise<void>;
  removeItems(accountId: number, ids: number[]): Promise<void>;
  /** Hybrid (lexical + dense) search, best first. */
  search(accountId: number, query: string, k: number): Promise<SearchHit[]>;
  /** A top score below this means the KB cannot answer the question. */
  readonly matchThreshold: number;
  /** Calibrated reply bands for this embedder and database: pass them to `replyBand` with the hits of `search`. */
  readonly bands: BandParams;
  status(): RetrievalStatus;
}

/** Turns texts into unit-length vectors. */
export interface Embedder {
  /** Stable name stored with every vector, e.g. `use-lite` or `transformers:all-MiniLM-L6-v2`. */
  readonly id: string;
  readonly dimensions: number;
  /** `query` work (a customer waiting) goes ahead of queued `bulk` work (imports, re-embedding). */
  embed(texts: string[], priority?: 'query' | 'bulk'): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Which embedder to run: chosen by NOVA_EMBEDDER / NOVA_EMBEDDING_MODEL. */
export type EmbedderSpec = { kind: 'use'; precision?: UsePrecision } | { kind: 'transformers'; model: string; modelsDir: string };
