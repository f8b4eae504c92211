/** Knowledge base items: list, search, edit and bulk import (`/nc-api/v1/knowledge_base`). */
import { api, pathId, send } from './client.js';
import type { KbImport, KbItem, KbQuestion, KbSearch, LearnedQuestion, QuestionSource } from './types.js';
import { uploadWithProgress } from './upload.js';

export type KbFilters = { q: string; category: string | null; tag: string; page: number };
export type KbItemInput = { title: string; content: string; category?: string; tags: string[] };

export const PER_PAGE = 20;

/** One page of items matching the filters, with the total that matches. */
export async function listItems(f: KbFilters, signal?: AbortSignal): Promise<{ rows: KbItem[]; total: number }> {
  const query = { q: f.q || undefined, category: f.category ?? undefined, tag: f.tag || undefined, page: f.page, per_page: PER_PAGE };
  const res = await send(api().GET('/nc-api/v1/knowledge_base/items', { params: { query }, signal }));
  return { rows: res.data, total: res.meta.total };
}

export const getItem = (id: number, signal?: AbortSignal): Promise<KbItem> =>
  send(api().GET('/nc-api/v1/knowledge_base/items/{id}', { params: { path: pathId(id) }, signal }));

export const createItem = (input: KbItemInput): Promise<KbItem> => send(api().POST('/nc-api/v1/knowledge_base/items', { body: input }));

export const updateItem = (id: number, input: KbItemInput): Promise<KbItem> =>
  send(api().PUT('/nc-api/v1/knowledge_base/items/{id}', { params: { path: pathId(id) }, body: input }));

export async function deleteItem(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/knowledge_base/items/{id}', { params: { path: pathId(id) } }));
}

/** The retrieval the AI agent runs: the `k` best items with scores, and the score below which it hands over. */
export const searchKb = (q: string, k: number, signal?: AbortSignal): Promise<KbSearch> =>
  send(api().GET('/nc-api/v1/knowledge_base/search', { params: { query: { q, k } }, signal }));

/** CSV goes as text/csv (header question,answer,category,tags); anything else as JSON. All or nothing. */
export function importFile(file: File, onProgress: (fraction: number) => void): Promise<KbImport> {
  const isCsv = file.name.toLowerCase().endsWith('.csv') || file.type === 'text/csv';
  return uploadWithProgress<KbImport>('/nc-api/v1/knowledge_base/import', file, isCsv ? 'text/csv' : 'application/json', onProgress);
}

/** Adds a phrasing customers use; one the item already has (case and spacing aside) comes back as it was. */
export const addQuestion = (itemId: number, question: string): Promise<KbQuestion> =>
  send(api().POST('/nc-api/v1/knowledge_base/items/{id}/questions', { params: { path: pathId(itemId) }, body: { question } }));

export async function removeQuestion(itemId: number, questionId: number): Promise<void> {
  await send(
    api().DELETE('/nc-api/v1/knowledge_base/items/{id}/questions/{qid}', {
      params: { path: { ...pathId(itemId), qid: String(questionId) } },
    }),
  );
}

export const QUESTIONS_PER_PAGE = 50;

/** One page of the alternate questions the AI agent learned (or of other `sources`), newest first, across items. */
export async function listLearnedQuestions(
  page: number,
  sources: QuestionSource[] = ['visitor', 'agent'],
  signal?: AbortSignal,
): Promise<{ rows: LearnedQuestion[]; total: number }> {
  const res = await send(
    api().GET('/nc-api/v1/knowledge_base/questions', {
      params: { query: { source: sources.join(','), page, per_page: QUESTIONS_PER_PAGE } },
      signal,
    }),
  );
  return { rows: res.data, total: res.meta.total };
}
