import type { z } from 'zod';
import type { RatingRow } from './repo.js';
import type { ratingSchema } from './schemas.js';

export type PresentedRating = z.infer<typeof ratingSchema>;

export const presentRating = (r: RatingRow): PresentedRating => ({
  id: r.id,
  conversation_id: r.conversation_id,
  rating: r.rating,
  comment: r.comment,
  resolved_at: r.resolved_at,
  created_at: r.created_at,
});
