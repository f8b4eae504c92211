import type { z } from 'zod';
import type { ContactListRow } from './repo.js';
import type { contactSchema } from './schemas.js';

export const presentContact = (c: ContactListRow): z.infer<typeof contactSchema> => ({
  id: c.id,
  name: c.name,
  email: c.email,
  verified: c.verified,
  notes: c.notes,
  created_at: c.created_at,
  conversations_count: c.conversations_count,
  last_activity_at: c.last_activity_at,
});
