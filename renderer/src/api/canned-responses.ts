/** Canned responses (`/nc-api/v1/canned_responses`): saved replies an agent inserts by typing `/short_code`. */
import { api, pathId, send } from './client.js';
import type { CannedResponse } from './types.js';

export type CannedResponseFields = { short_code: string; content: string };

/** The account's responses, by short code; `q` keeps those whose short code or content contains it. */
export async function listCannedResponses(q?: string, signal?: AbortSignal): Promise<CannedResponse[]> {
  const query = { per_page: 100, ...(q ? { q } : {}) };
  return (await send(api().GET('/nc-api/v1/canned_responses', { params: { query }, signal }))).data;
}

export const createCannedResponse = (body: CannedResponseFields): Promise<CannedResponse> =>
  send(api().POST('/nc-api/v1/canned_responses', { body }));

export const updateCannedResponse = (id: number, body: CannedResponseFields): Promise<CannedResponse> =>
  send(api().PUT('/nc-api/v1/canned_responses/{id}', { params: { path: pathId(id) }, body }));

export async function deleteCannedResponse(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/canned_responses/{id}', { params: { path: pathId(id) } }));
}
