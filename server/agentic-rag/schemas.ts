import { z } from 'zod';
import { paginationQuery } from '../validation.js';
import { updateItemBody } from '../kb/schemas.js';

export const analyzeBody = z.object({ conversation_id: z.number().int().positive() });

export const draftStatus = z.enum(['draft', 'approved', 'rejected']);

export const listDraftsQuery = paginationQuery.extend({
  status: draftStatus.optional(),
  conversation_id: z.coerce.number().int().positive().optional(),
});

/** Approving may correct the draft on the way into the knowledge base. */
export const approveBody = updateItemBody.optional();

export const draftSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  content: z.string(),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  status: draftStatus,
  source_conversation_id: z.number().int().nullable(),
  kb_item_id: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const analyzeResponse = z.object({
  drafts: z.array(draftSchema),
  count: z.number().int(),
  message: z.string(),
});
