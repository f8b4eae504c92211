import type { UsePrecision } from './embedders/use-lite/files.js';
import type { BandParams } from './bands.js';

/** A KB item's searchable fields: what its vectors and its lexical document are made from. */
export type IndexableItem = {
  id: number;
  title: string;
  content: string;
  category: string | null;
  tags: string[];
  /** Its alternate questions: each gets a vector of its own and joins the item's lexical text. */
  questions: { id: number; question: string }[];
};

/**
 * Labels of the vectors in an account's HNSW index: an item's own vector is labelled by the item id; an
 * alternate question's by QUESTION_LABEL_BASE + its id (item ids are PostgreSQL integers, below 2^31).
 */
export const QUESTION_LABEL_BASE = 2 ** 31;
export const questionLabel = (questionId: number) => QUESTION_LABEL_BASE + questionId;
export type VectorLabel = { label: number; itemId: number; questionId?: number };

/** A ranked search result. `score` is the fused score; `lexical` and `dense` its parts, each in [0, 1]. */
export type SearchHit = { itemId: number; score: number; lexical: number; dense: number };

export type RetrievalStatus = {
  embedder: { id: string; dimensions: number };
  /** Vectors (items and alternate questions) from the current embedder. */
  indexed: number;
  /** Items and alternate questions committed but not embedded yet (searchable lexically until the background reconcile embeds them). */
  pending: number;
  /** Progress of the background re-embedding after an embedder change; null when none is running. */
  reembedding: { done: number; total: number } | null;
};

/** What the KB API and the AI agent use (fixed cross-team interface). */
export interface RetrievalService {
  /**
   * Indexes the items as they are now (text and alternate questions): their lexical documents at once, then
   * the vectors of whatever text has none current (a new or rewritten item, a new question); questions no
   * longer listed leave the index. Resolves once searchable.
   */
  indexItems(accountId: number, items: IndexableItem[]): Promise<void>;
  removeItems(accountId: number, ids: number[]): Promise<void>;
  /** Hybrid (lexical + dense) search, best first. */
  search(accountId: number, query: string, k: number): Promise<SearchHit[]>;
  /** Unit vectors of short texts embedded as queries are (cached with them): for comparing texts, e.g. grouping questions. */
  embedQueries(texts: string[]): Promise<Float32Array[]>;
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
