import type { z } from 'zod';
import type { CannedResponseRow } from './repo.js';
import type { cannedResponseSchema } from './schemas.js';

export const presentCannedResponse = (r: CannedResponseRow): z.infer<typeof cannedResponseSchema> => ({
  id: r.id,
  short_code: r.short_code,
  content: r.content,
  created_at: r.created_at,
  updated_at: r.updated_at,
});
