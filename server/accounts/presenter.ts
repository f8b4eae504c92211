import type { AccountRow, UserRow } from './repo.js';

export const presentAccount = (a: AccountRow) => ({ id: a.id, name: a.name, plan: a.plan, trial_ends_at: a.trial_ends_at });
export const presentUser = (u: UserRow) => ({ id: u.id, email: u.email, name: u.name });
