/** Contacts (`/nc-api/v1/contacts`): the people who wrote in, with the team's notes on them. */
import { api, pathId, send } from './client.js';
import type { ContactDetail, ContactRow } from './types.js';

export type ContactFields = { name: string | null; email: string | null; notes: string | null };

/** Contacts whose name or e-mail contains `q`, newest first. */
export async function listContacts(q: string, signal?: AbortSignal): Promise<ContactRow[]> {
  const query = { per_page: 50, ...(q ? { q } : {}) };
  return (await send(api().GET('/nc-api/v1/contacts', { params: { query }, signal }))).data;
}

/** The contact with their latest conversations, newest activity first. */
export const getContact = (id: number, signal?: AbortSignal): Promise<ContactDetail> =>
  send(api().GET('/nc-api/v1/contacts/{id}', { params: { path: pathId(id) }, signal }));

export const updateContact = (id: number, body: ContactFields): Promise<ContactDetail> =>
  send(api().PUT('/nc-api/v1/contacts/{id}', { params: { path: pathId(id) }, body }));
