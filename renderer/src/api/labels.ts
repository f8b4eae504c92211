/** Labels (`/nc-api/v1/labels`) and the labels a conversation carries (`/conversations/:id/labels`). */
import { api, pathId, send } from './client.js';
import type { Conversation, Label } from './types.js';

export async function listLabels(signal?: AbortSignal): Promise<Label[]> {
  return (await send(api().GET('/nc-api/v1/labels', { params: { query: { per_page: 100 } }, signal }))).data;
}

/** Without a colour the server picks one from the title. */
export const createLabel = (title: string, color?: string): Promise<Label> =>
  send(api().POST('/nc-api/v1/labels', { body: { title, ...(color ? { color } : {}) } }));

/** A new title follows on every conversation that carries the label. */
export const updateLabel = (id: number, changes: { title?: string; color?: string }): Promise<Label> =>
  send(api().PUT('/nc-api/v1/labels/{id}', { params: { path: pathId(id) }, body: changes }));

export async function deleteLabel(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/labels/{id}', { params: { path: pathId(id) } }));
}

/** The conversation's labels from now on (titles of existing labels); answers the conversation. */
export const setConversationLabels = (conversationId: number, labels: string[]): Promise<Conversation> =>
  send(api().POST('/nc-api/v1/conversations/{id}/labels', { params: { path: pathId(conversationId) }, body: { labels } }));
