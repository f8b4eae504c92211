import { api } from '../../api/client.js';
import type { KbDraft, KbItem, KbSearchHit, List } from '../../api/types.js';
import { uploadWithProgress } from '../../api/upload.js';

export type KbFilters = { q: string; category: string | null; tag: string; page: number };
export type KbItemInput = { title: string; content: string; category?: string; tags?: string[] };

export const PER_PAGE = 20;

export const listItems = (f: KbFilters, signal?: AbortSignal) =>
  api.get<List<KbItem>>(
    '/nc-api/v1/knowledge_base/items',
    { q: f.q, category: f.category, tag: f.tag, page: f.page, per_page: PER_PAGE },
    signal,
  );

export const createItem = (input: KbItemInput) => api.post<KbItem>('/nc-api/v1/knowledge_base/items', input);
export const updateItem = (id: number, input: KbItemInput) => api.put<KbItem>(`/nc-api/v1/knowledge_base/items/${id}`, input);
export const deleteItem = (id: number) => api.del(`/nc-api/v1/knowledge_base/items/${id}`);

export const searchKb = (q: string, k: number, signal?: AbortSignal) =>
  api.get<{ data: KbSearchHit[] }>('/nc-api/v1/knowledge_base/search', { q, k }, signal);

export type ImportResult = { imported: number; items: KbItem[] };

/** CSV goes as text/csv (header question,answer,category,tags); anything else as JSON. */
export function importFile(file: File, onProgress: (fraction: number) => void): Promise<ImportResult> {
  const isCsv = file.name.toLowerCase().endsWith('.csv') || file.type === 'text/csv';
  return uploadWithProgress<ImportResult>('/nc-api/v1/knowledge_base/import', file, isCsv ? 'text/csv' : 'application/json', onProgress);
}

export const listDrafts = (signal?: AbortSignal) => api.get<List<KbDraft>>('/nc-api/v1/agentic-rag/drafts', { status: 'draft' }, signal);
export const approveDraft = (id: number) => api.post<unknown>(`/nc-api/v1/agentic-rag/drafts/${id}/approve`);
export const rejectDraft = (id: number) => api.post<unknown>(`/nc-api/v1/agentic-rag/drafts/${id}/reject`);
