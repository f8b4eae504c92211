import { listMeta } from '../db/pagination.js';
import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam } from '../validation.js';
import { presentContact } from './presenter.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import { contactWithConversations, updateContact } from './service.js';

const TAG = 'Contacts';

/** The people who wrote in (as Chatwoot's contacts): searched, read with their conversations, corrected and annotated by agents. */
export const contactRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/contacts',
    tag: TAG,
    summary: 'List contacts, newest first; `q` searches names and e-mails',
    access: 'member',
    query: schemas.contactsQuery,
    responses: { 200: { description: 'Contacts', schema: schemas.contactList } },
    handler: async (ctx, { query }) => {
      const { rows, total } = await repo.listContacts(ctx.deps.db, accountIdOf(ctx), query.q || undefined, query);
      return { data: rows.map(presentContact), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/contacts/:id',
    tag: TAG,
    summary: 'A contact with their conversations, newest activity first',
    access: 'member',
    responses: { 200: { description: 'Contact', schema: schemas.contactWithConversationsSchema } },
    handler: async (ctx, { params }) => contactWithConversations(ctx.deps, accountIdOf(ctx), idParam(params.id)),
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/contacts/:id',
    tag: TAG,
    summary: "Change a contact's name, e-mail or notes",
    description: 'Whether the contact is verified does not change: an agent correcting an e-mail does not vouch for who typed it.',
    access: 'member',
    body: schemas.updateContactBody,
    responses: { 200: { description: 'Contact', schema: schemas.contactWithConversationsSchema } },
    handler: async (ctx, { params, body }) => updateContact(ctx.deps, accountIdOf(ctx), idParam(params.id), body),
  }),
];
