import type { z } from 'zod';
import type { LabelRow } from './repo.js';
import type { labelSchema } from './schemas.js';

export const presentLabel = (l: LabelRow): z.infer<typeof labelSchema> => ({
  id: l.id,
  title: l.title,
  color: l.color,
  conversations_count: l.conversations_count,
  created_at: l.created_at,
});
