/** Contacts (`/nc-api/v1/contacts`): the people who wrote in, with the team's notes on them. */
import { api, pathId, send } from './client.js';
import type { ContactDetail, ContactRow } from './types.js';
import type { Page } from './usePagedData.js';

export type ContactFields = { name: string | null; email: string | null; notes: string | null };

const CONTACTS_PAGE = 50;

/** A page of the contacts whose name or e-mail contains `q`, newest first. */
export async function listContacts(q: string, page: number, signal?: AbortSignal): Promise<Page<ContactRow>> {
  const query = { page, per_page: CONTACTS_PAGE, ...(q ? { q } : {}) };
  const res = await send(api().GET('/nc-api/v1/contacts', { params: { query }, signal }));
  return { rows: res.data, total: res.meta.total };
}

/** The contact with their latest conversations, newest activity first. */
export const getContact = (id: number, signal?: AbortSignal): Promise<ContactDetail> =>
  send(api().GET('/nc-api/v1/contacts/{id}', { params: { path: pathId(id) }, signal }));

export const updateContact = (id: number, body: ContactFields): Promise<ContactDetail> =>
  send(api().PUT('/nc-api/v1/contacts/{id}', { params: { path: pathId(id) }, body }));
