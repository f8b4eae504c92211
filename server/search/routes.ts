import { listMeta } from '../db/pagination.js';
import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import * as schemas from './schemas.js';
import { searchAccount } from './service.js';

/** Listed before the conversation routes, so `/conversations/search` is not taken for a conversation id. */
export const searchRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/conversations/search',
    tag: 'Conversations',
    summary: 'Search conversations by what was written in them, or by their contact',
    description:
      'Conversations with a message containing every word of `q` (each as the start of a word, case aside; on SQLite accents aside too), private notes ' +
      'included — this is the agents’ search, the widget has none — and conversations whose contact’s name or e-mail contains `q` ' +
      '(first). Each comes with its best matching message and a `snippet` of it with the matching words flagged. The newest 1 000 ' +
      'matching messages are ranked (add a word to reach older ones); `meta.total` counts the conversations among them.',
    access: 'member',
    query: schemas.searchQuery,
    responses: { 200: { description: 'Conversations found, best first', schema: schemas.searchResults } },
    handler: async (ctx, { query }) => {
      const { data, total } = await searchAccount(ctx.deps, accountIdOf(ctx), query.q, query);
      return { data, meta: listMeta(total, query) };
    },
  }),
];
