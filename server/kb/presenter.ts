import type { z } from 'zod';
import type { KbItemRow } from './repo.js';
import type { itemSchema } from './schemas.js';

/** Typed by the response schema, so the item the API documents and the item it sends cannot drift apart. */
export const presentItem = (item: KbItemRow): z.infer<typeof itemSchema> => ({
  id: item.id,
  title: item.title,
  content: item.content,
  category: item.category,
  tags: item.tags,
  created_at: item.created_at,
  updated_at: item.updated_at,
});
