import { z } from 'zod';
import { accountIdOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam } from '../validation.js';
import { presentQuestion } from './presenter.js';
import { addAlternateQuestion, MAX_QUESTIONS_PER_ITEM, questionText, removeAlternateQuestion } from './questions.js';
import { listQuestions, QUESTION_SOURCES } from './question-repo.js';
import { findItem } from './repo.js';
import { questionSchema } from './schemas.js';
import { listMeta } from '../db/pagination.js';
import { listResponse, paginationQuery } from '../validation.js';

const QUESTIONS = '/nc-api/v1/knowledge_base/items/:id/questions';

const sourceList = z
  .string()
  .regex(
    new RegExp(`^(${QUESTION_SOURCES.join('|')})(,(${QUESTION_SOURCES.join('|')}))*$`),
    `one or more of ${QUESTION_SOURCES.join(', ')}, comma-separated`,
  )
  .transform((value) => [...new Set(value.split(','))] as (typeof QUESTION_SOURCES)[number][]);

export const questionRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/knowledge_base/questions',
    tag: 'Knowledge base',
    summary: "The account's alternate questions across items, newest first",
    description:
      "For reviewing what the AI agent learned: `?source=visitor,agent` (the default) lists the questions learned from visitors' picks " +
      "and agents' replies, each with its item's id and title. Remove one with `DELETE …/items/:id/questions/:qid`.",
    access: 'member',
    query: paginationQuery.extend({ source: sourceList.optional().describe('sources to list (default `visitor,agent`)') }),
    responses: {
      200: {
        description: 'Alternate questions',
        schema: listResponse(questionSchema.extend({ item: z.object({ id: z.number().int(), title: z.string() }) })),
      },
    },
    handler: async (ctx, { query }) => {
      const { rows, total } = await listQuestions(ctx.deps.db, accountIdOf(ctx), query.source ?? ['visitor', 'agent'], query);
      return {
        data: rows.map((row) => ({ ...presentQuestion(row), item: { id: row.item_id, title: row.item_title } })),
        meta: listMeta(total, query),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: QUESTIONS,
    tag: 'Knowledge base',
    summary: "List an item's alternate questions",
    description: 'Oldest first. `source` says where each came from: `manual`, `import`, or learned from a `visitor` or an `agent`.',
    access: 'member',
    responses: { 200: { description: 'Alternate questions', schema: z.object({ data: z.array(questionSchema) }) } },
    handler: async (ctx, { params }) => {
      const item = await findItem(ctx.deps.db, accountIdOf(ctx), idParam(params.id));
      if (!item) throw notFound('Knowledge base item');
      return { data: item.questions.map(presentQuestion) };
    },
  }),
  defineRoute({
    method: 'post',
    path: QUESTIONS,
    tag: 'Knowledge base',
    summary: 'Add an alternate question to an item',
    description:
      'A phrasing customers use for this item: search matches it like the title, so a visitor asking it gets this item. ' +
      `Searchable by the next request. At most ${MAX_QUESTIONS_PER_ITEM} per item (422 \`question_limit_reached\`); ` +
      'one the item already has (ignoring case and spacing) answers 200 with the existing question. Alternate questions ' +
      "do not count against the plan's `kb_items`.",
    access: 'admin',
    body: z.object({ question: questionText }),
    responses: {
      200: { description: 'The item already had this question', schema: questionSchema },
      201: { description: 'Added', schema: questionSchema },
      422: { description: 'Empty or too long, or the item has the maximum number of questions' },
    },
    handler: async (ctx, { body, params }) => {
      const { question, created } = await addAlternateQuestion(ctx.deps, accountIdOf(ctx), idParam(params.id), body.question, 'manual');
      ctx.status = created ? 201 : 200;
      return presentQuestion(question);
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${QUESTIONS}/:qid`,
    tag: 'Knowledge base',
    summary: 'Remove an alternate question',
    description: 'It leaves the search index before this answers.',
    access: 'admin',
    responses: { 204: { description: 'Removed' } },
    handler: async (ctx, { params }) => {
      await removeAlternateQuestion(ctx.deps, accountIdOf(ctx), idParam(params.id), idParam(params.qid));
    },
  }),
];
