/** Knowledge base drafts extracted from resolved conversations (`/nc-api/v1/agentic-rag`). */
import { api, pathId, send } from './client.js';
import type { KbDraft } from './types.js';

export async function listDrafts(signal?: AbortSignal): Promise<KbDraft[]> {
  return (await send(api().GET('/nc-api/v1/agentic-rag/drafts', { params: { query: { status: 'draft' } }, signal }))).data;
}

/** Approving turns the draft into a knowledge base item. */
export const approveDraft = (id: number) =>
  send(api().POST('/nc-api/v1/agentic-rag/drafts/{id}/approve', { params: { path: pathId(id) }, body: {} }));
export const rejectDraft = (id: number) => send(api().POST('/nc-api/v1/agentic-rag/drafts/{id}/reject', { params: { path: pathId(id) } }));

/** Extracts Q&A drafts from a resolved conversation; the answer says how many, in words. */
export const analyzeConversation = (conversationId: number) =>
  send(api().POST('/nc-api/v1/agentic-rag/analyze', { body: { conversation_id: conversationId } }));
