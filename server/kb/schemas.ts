import { z } from 'zod';
import { paginationQuery, text } from '../validation.js';
import { QUESTION_SOURCES } from './question-repo.js';

export const MAX_TITLE = 500;
export const MAX_CONTENT = 20_000;
export const MAX_TAGS = 20;

/** Tags as an array, or one string split on commas/semicolons/pipes (how spreadsheets and CSV files carry them). */
export const tagsSchema = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (typeof value === 'string' ? value.split(/[,;|]/) : value))
  .transform((tags) => [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(50, 'each tag must be at most 50 characters')).max(MAX_TAGS, `at most ${MAX_TAGS} tags`));

const category = z
  .string()
  .trim()
  .max(100)
  .nullable()
  .transform((value) => (value ? value : null));

/** An item's alternate questions in an import (contract: at most 50 per item). */
export const MAX_QUESTIONS = 50;
export const importQuestions = z.array(text(MAX_TITLE)).max(MAX_QUESTIONS, `at most ${MAX_QUESTIONS} alternate questions`);

export const itemBody = z.object({
  title: text(MAX_TITLE),
  content: text(MAX_CONTENT),
  category: category.optional(),
  tags: tagsSchema.optional(),
});
export type ItemInput = z.infer<typeof itemBody>;

export const updateItemBody = itemBody.partial().strict();

/** One imported row, after `{question, answer}` became `{title, content}`. */
export const importRow = itemBody.extend({ questions: importQuestions.optional() });

export const listQuery = paginationQuery.extend({
  q: z.string().trim().max(200).optional(),
  category: z.string().trim().max(100).optional(),
  tag: z.string().trim().max(50).optional(),
});

export const searchQuery = z.object({
  q: text(1000),
  k: z.coerce.number().int().min(1).max(50).default(5),
});

export const questionSchema = z.object({
  id: z.number().int(),
  question: z.string(),
  source: z.enum(QUESTION_SOURCES),
  created_at: z.string(),
});

export const itemSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  content: z.string(),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  questions: z.array(questionSchema),
  created_at: z.string(),
  updated_at: z.string(),
});

export const importResponse = z.object({ imported: z.number().int(), items: z.array(itemSchema) });

export const searchResponse = z.object({
  data: z.array(z.object({ item: itemSchema, score: z.number() })),
  match_threshold: z.number(),
});

/** Import bodies as documented in the spec (the routes read them themselves: CSV and multipart too). */
const qaItem = z.object({
  question: text(MAX_TITLE),
  answer: text(MAX_CONTENT),
  category: category.optional(),
  tags: tagsSchema.optional(),
  questions: importQuestions.optional(),
});
const importItem = z.union([importRow, qaItem]);
export const itemsImportDoc = (max: number) => z.array(importItem).max(max);
export const fileImportDocs = (max: number) => ({
  'application/json': z.union([z.array(importItem).max(max), z.object({ items: z.array(importItem).max(max) })]),
  'text/csv': z.string().describe('CSV text whose header row is question,answer,category,tags,questions (questions `|`-separated)'),
  'multipart/form-data': z.object({ file: z.string().describe('one .json or .csv file (binary)') }),
});
