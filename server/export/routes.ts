import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import * as schemas from './schemas.js';
import { exportConversations } from './service.js';

/** Listed before the conversation routes, so `/conversations/export` is not taken for a conversation id. */
export const exportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/conversations/export',
    tag: 'Conversations',
    summary: 'Download every conversation with its messages (CSV or JSON)',
    description:
      'Streamed as it is read, so an account of any size downloads in constant memory; private notes and activity lines ' +
      'included (`private`, `message_type`). CSV: one row per message, cells starting with `=`, `+`, `-`, `@`, a tab or a CR ' +
      'prefixed with `\'` so spreadsheets show them as text instead of running them. JSON: `{"data":[conversation with messages, …]}`.',
    access: 'member',
    query: schemas.exportQuery,
    responses: { 200: { description: '`text/csv` or `application/json`, as an attachment' } },
    handler: (ctx, { query }) => {
      const stream = exportConversations(ctx.deps, accountIdOf(ctx), query.format, query);
      ctx.attachment(`conversations-${ctx.deps.now().toISOString().slice(0, 10)}.${query.format}`);
      ctx.type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
      ctx.body = stream;
    },
  }),
];
