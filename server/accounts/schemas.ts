import { z } from 'zod';
import { domainSummarySchema } from '../domains/schemas.js';
import { text } from '../validation.js';

export const registerBody = z.object({
  name: text(200),
  email: z.email().max(320),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  plan: z.string().max(40).optional(),
});

export const loginBody = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(200),
});

export const changePlanBody = z.object({ plan: z.string().min(1).max(40) });

export const accountSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  plan: z.string(),
  trial_ends_at: z.string().nullable(),
});
export const userSchema = z.object({ id: z.number().int(), email: z.string(), name: z.string() });

export const registerResponse = z.object({ account: accountSchema, user: userSchema, token: z.string() });
export const loginResponse = z.object({
  token: z.string(),
  user: z.object({ id: z.number().int(), email: z.string(), name: z.string(), role: z.string(), account_id: z.number().int() }),
});

const limitsSchema = z.object({ domains: z.number().int(), agents: z.number().int(), kb_items: z.number().int() });
export const statusResponse = z.object({
  plan: z.string(),
  trial_ends_at: z.string().nullable(),
  limits: limitsSchema,
  usage: limitsSchema,
  agentic_rag_enabled: z.boolean(),
  domains: z.array(domainSummarySchema),
});

export const meResponse = z.object({
  user: z.object({ id: z.number().int(), email: z.string(), name: z.string(), role: z.string(), is_instance_admin: z.boolean() }),
  account: accountSchema,
  agent_id: z.number().int().nullable(),
});
