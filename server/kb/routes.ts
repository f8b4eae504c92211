import { z } from 'zod';
import { accountIdOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse } from '../validation.js';
import { listMeta } from '../db/pagination.js';
import { readImportRows, validateRows } from './import.js';
import { presentItem } from './presenter.js';
import { findItem, listItems, type KbItemRow } from './repo.js';
import { questionRoutes } from './question-routes.js';
import * as schemas from './schemas.js';
import { changeItem, createItems, removeItem, searchItems } from './service.js';

const BASE = '/nc-api/v1/knowledge_base';
export const ITEMS_IMPORT_MAX = 200;
export const FILE_IMPORT_MAX = 500;

const SEARCHABLE_AT_ONCE =
  'The write commits the item and updates the search index (lexical and embedding) before it answers, ' +
  'so the item is found by the very next search and by the AI agent.';

const ALL_OR_NOTHING =
  'All or nothing: a bad row (422, `details` names each one), a batch over the limit (413) or a batch that would pass ' +
  "the plan's `kb_items` limit (403 `plan_limit_reached`) writes nothing. " +
  SEARCHABLE_AT_ONCE;

export const kbRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: `${BASE}/items`,
    tag: 'Knowledge base',
    summary: 'List knowledge base items',
    description:
      '`q` matches title or content (case-insensitive substring), `category` and `tag` match exactly (case-insensitive). Newest first.',
    access: 'member',
    query: schemas.listQuery,
    responses: { 200: { description: 'Items', schema: listResponse(schemas.itemSchema) } },
    handler: async (ctx, { query }) => {
      const { page, per_page, ...filters } = query;
      const { items, total } = await listItems(ctx.deps.db, accountIdOf(ctx), filters, { page, per_page });
      return { data: items.map(presentItem), meta: listMeta(total, { page, per_page }) };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/items`,
    tag: 'Knowledge base',
    summary: 'Add a knowledge base item',
    description: `\`tags\` may be an array or one comma-separated string. ${SEARCHABLE_AT_ONCE}`,
    access: 'admin',
    body: schemas.itemBody,
    responses: {
      201: { description: 'Item created', schema: schemas.itemSchema },
      403: { description: 'plan_limit_reached (kb_items)' },
    },
    handler: async (ctx, { body }) => {
      const [item] = await createItems(ctx.deps, accountIdOf(ctx), [
        { title: body.title, content: body.content, category: body.category ?? null, tags: body.tags ?? [] },
      ]);
      return presentItem(item!);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/items/import`,
    tag: 'Knowledge base',
    summary: `Bulk import items (JSON array, at most ${ITEMS_IMPORT_MAX})`,
    description:
      'Body: a JSON array of `{title, content, category?, tags?, questions?}` (`{question, answer, …}` is accepted too; ' +
      '`questions`: the alternate questions of the item, an array of strings). ' +
      `Answers 201 with the bare array of created items, in the order sent. ${ALL_OR_NOTHING}`,
    access: 'admin',
    rawBody: { contentTypes: ['application/json'], schemas: { 'application/json': schemas.itemsImportDoc(ITEMS_IMPORT_MAX) } },
    responses: {
      201: { description: 'The created items', schema: z.array(schemas.itemSchema) },
      403: { description: 'plan_limit_reached (kb_items)' },
      413: { description: `More than ${ITEMS_IMPORT_MAX} items` },
    },
    idempotent: true,
    handler: async (ctx, { idempotently }) => {
      const items = validateRows(await readImportRows(ctx, { csv: false, multipart: false }), ITEMS_IMPORT_MAX);
      const answer = (created: KbItemRow[]) => created.map(presentItem);
      return idempotently(items, async (commit) =>
        answer(await createItems(ctx.deps, accountIdOf(ctx), items, commit && ((trx, created) => commit(trx, answer(created))))),
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/import`,
    tag: 'Knowledge base',
    summary: `Import a Q&A file (JSON, CSV or an uploaded file; at most ${FILE_IMPORT_MAX} items)`,
    description:
      'Accepts `application/json` (an array, or `{"items":[…]}`; each item `{title, content, …}` or `{question, answer, …}`, ' +
      'with optional `category`, `tags` and `questions`, the alternate questions as an array of strings), `text/csv` with the ' +
      'header `question,answer,category,tags,questions` (quoted fields may hold commas and line breaks; tags separated by ' +
      'commas, semicolons or `|`; alternate questions separated by `|`; a UTF-8 BOM is fine; ' +
      'bad rows are named by spreadsheet row, the header being row 1), or `multipart/form-data` with one `.json` or `.csv` file ' +
      `(its type taken from the part's content type or its extension). ${ALL_OR_NOTHING}`,
    access: 'admin',
    rawBody: { contentTypes: ['application/json', 'text/csv', 'multipart/form-data'], schemas: schemas.fileImportDocs(FILE_IMPORT_MAX) },
    responses: {
      201: { description: 'Imported', schema: schemas.importResponse },
      403: { description: 'plan_limit_reached (kb_items)' },
      413: { description: `More than ${FILE_IMPORT_MAX} items, or the file is too large` },
      415: { description: 'The uploaded file is neither JSON nor CSV' },
    },
    idempotent: true,
    handler: async (ctx, { idempotently }) => {
      const items = validateRows(await readImportRows(ctx, { csv: true, multipart: true }), FILE_IMPORT_MAX);
      const answer = (created: KbItemRow[]) => ({ imported: created.length, items: created.map(presentItem) });
      return idempotently(items, async (commit) =>
        answer(await createItems(ctx.deps, accountIdOf(ctx), items, commit && ((trx, created) => commit(trx, answer(created))))),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/search`,
    tag: 'Knowledge base',
    summary: 'Search the knowledge base as the AI agent does',
    description:
      'Hybrid retrieval (lexical + embeddings), best first: exactly what the AI agent answers from. ' +
      'The agent answers only when the top `score` reaches `match_threshold`; below it, it hands the conversation to a human.',
    access: 'member',
    query: schemas.searchQuery,
    responses: { 200: { description: 'Matches', schema: schemas.searchResponse } },
    handler: async (ctx, { query }) => {
      const hits = await searchItems(ctx.deps, accountIdOf(ctx), query.q, query.k);
      return {
        data: hits.map((hit) => ({ item: presentItem(hit.item), score: hit.score })),
        match_threshold: ctx.deps.retrieval.matchThreshold,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/items/:id`,
    tag: 'Knowledge base',
    summary: 'Show one item',
    access: 'member',
    responses: { 200: { description: 'Item', schema: schemas.itemSchema } },
    handler: async (ctx, { params }) => {
      const item = await findItem(ctx.deps.db, accountIdOf(ctx), idParam(params.id));
      if (!item) throw notFound('Knowledge base item');
      return presentItem(item);
    },
  }),
  defineRoute({
    method: 'put',
    path: `${BASE}/items/:id`,
    tag: 'Knowledge base',
    summary: 'Change an item',
    description: `Send only the fields to change. ${SEARCHABLE_AT_ONCE}`,
    access: 'admin',
    body: schemas.updateItemBody,
    responses: { 200: { description: 'Item', schema: schemas.itemSchema } },
    handler: async (ctx, { body, params }) => {
      const id = idParam(params.id);
      const { category, ...rest } = body;
      const item = await changeItem(ctx.deps, accountIdOf(ctx), id, { ...rest, ...(category !== undefined ? { category } : {}) });
      return presentItem(item);
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${BASE}/items/:id`,
    tag: 'Knowledge base',
    summary: 'Delete an item',
    description: 'The item leaves the search index before this answers.',
    access: 'admin',
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      await removeItem(ctx.deps, accountIdOf(ctx), idParam(params.id));
    },
  }),
  ...questionRoutes,
];
