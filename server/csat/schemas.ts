import { z } from 'zod';

/** The longest comment a visitor may leave with a rating. */
export const COMMENT_MAX_LENGTH = 2000;

export const ratingBody = z.object({
  rating: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').describe('1 (very unhappy) to 5 (very happy)'),
  comment: z.string().trim().max(COMMENT_MAX_LENGTH).optional().describe('what the visitor wants to add, if anything'),
});

export const ratingSchema = z
  .object({
    id: z.number().int(),
    conversation_id: z.number().int(),
    rating: z.number().int(),
    comment: z.string().nullable(),
    resolved_at: z.string().describe('when the conversation was resolved: the resolution this rating is of'),
    created_at: z.string(),
  })
  .describe("The visitor's CSAT rating of one resolution");
