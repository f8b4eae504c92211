import type { z } from 'zod';
import type { QuestionRow } from './question-repo.js';
import type { KbItemRow } from './repo.js';
import type { itemSchema, questionSchema } from './schemas.js';

export const presentQuestion = (question: QuestionRow): z.infer<typeof questionSchema> => ({
  id: question.id,
  question: question.question,
  source: question.source,
  created_at: question.created_at,
});

/** Typed by the response schema, so the item the API documents and the item it sends cannot drift apart. */
export const presentItem = (item: KbItemRow): z.infer<typeof itemSchema> => ({
  id: item.id,
  title: item.title,
  content: item.content,
  category: item.category,
  tags: item.tags,
  questions: item.questions.map(presentQuestion),
  created_at: item.created_at,
  updated_at: item.updated_at,
});
