import type { z } from 'zod';
import type { AccountRow, UserRow } from './repo.js';
import type { accountSchema, userSchema } from './schemas.js';

export const presentAccount = (a: AccountRow): z.infer<typeof accountSchema> => ({
  id: a.id,
  name: a.name,
  plan: a.plan,
  trial_ends_at: a.trial_ends_at,
});
export const presentUser = (u: UserRow): z.infer<typeof userSchema> => ({ id: u.id, email: u.email, name: u.name });
