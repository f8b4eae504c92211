import type { z } from 'zod';
import type { SlaPolicy } from './repo.js';
import type { conversationSlaSchema, policySchema } from './schemas.js';
import type { ConversationSla } from './service.js';

export const presentPolicy = (p: SlaPolicy): z.infer<typeof policySchema> => ({
  first_response_minutes: p.first_response_minutes,
  resolution_minutes: p.resolution_minutes,
  business_hours: p.business_hours,
  updated_at: p.updated_at,
});

export const presentConversationSla = (c: ConversationSla): z.infer<typeof conversationSlaSchema> => ({
  id: c.id,
  status: c.status,
  first_response_due_at: c.first_response_due_at,
  first_response_at: c.first_response_at,
  resolution_due_at: c.resolution_due_at,
  state: c.state,
  breached: c.breached,
});
