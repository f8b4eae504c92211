/** API keys for server-to-server calls (`/nc-api/v1/api-keys`); only a hash is stored. */
import { api, pathId, send } from './client.js';
import type { ApiKey } from './types.js';

export type Permission = ApiKey['permissions'][number];

export async function listApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return (await send(api().GET('/nc-api/v1/api-keys', { signal }))).data;
}

/** The answer carries the full key, shown only this once. */
export const createApiKey = (name: string, permissions: Permission[]) =>
  send(api().POST('/nc-api/v1/api-keys', { body: { name, permissions } }));

export async function revokeApiKey(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/api-keys/{id}', { params: { path: pathId(id) } }));
}
