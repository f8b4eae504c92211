import type { z } from 'zod';
import type { DraftRow } from './repo.js';
import type { draftSchema } from './schemas.js';

export const presentDraft = (d: DraftRow): z.infer<typeof draftSchema> => ({
  id: d.id,
  title: d.title,
  content: d.content,
  category: d.category,
  tags: d.tags,
  status: d.status,
  source_conversation_id: d.source_conversation_id,
  kb_item_id: d.kb_item_id,
  created_at: d.created_at,
  updated_at: d.updated_at,
});
