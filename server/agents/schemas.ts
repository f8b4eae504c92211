import { z } from 'zod';
import { text } from '../validation.js';

const promptText = (max: number) => z.string().trim().max(max);

export const createAiAgentBody = z.object({
  type: z.literal('ai').optional(),
  bot_name: text(100),
  greeting_message: promptText(1000).optional(),
  system_prompt: promptText(8000).optional(),
});

export const createHumanAgentBody = z.object({
  type: z.literal('human'),
  name: text(200),
  email: z.email().max(320),
  password: z.string().min(8, 'must be at least 8 characters').max(200).optional(),
  role: z.enum(['agent', 'admin']).default('agent'),
});

/** `type` picks the variant; without it the body is an AI agent, as the quick-start sends it. */
export const createAgentBody = z.union([createHumanAgentBody, createAiAgentBody]);

const updateAiAgentFields = z
  .object({ bot_name: text(100), greeting_message: promptText(1000).nullable(), system_prompt: promptText(8000).nullable() })
  .partial();
const updateHumanAgentFields = z
  .object({
    name: text(200),
    role: z.enum(['agent', 'admin']),
    password: z.string().min(8, 'must be at least 8 characters').max(200),
  })
  .partial();

/** Checked once the agent is loaded: its type decides which fields are allowed, so errors name the right field. */
export const updateAiAgentBody = updateAiAgentFields.strict();
export const updateHumanAgentBody = updateHumanAgentFields.strict();

/** What PUT documents and lets through to the service: an object of either shape. */
export const updateAgentBody = z.union([updateAiAgentFields, updateHumanAgentFields]);

export const agentSchema = z.object({
  id: z.number().int(),
  type: z.enum(['ai', 'human']),
  bot_name: z.string().optional(),
  greeting_message: z.string().nullable().optional(),
  system_prompt: z.string().nullable().optional(),
  name: z.string(),
  email: z.string().optional(),
  role: z.string().optional(),
  is_owner: z.boolean().optional(),
  domain_ids: z.array(z.number().int()).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createAgentResponse = agentSchema.extend({
  temporary_password: z.string().optional().describe('Only when a human agent was created without a password; shown once.'),
});

export const updateAgentResponse = agentSchema.extend({
  token: z
    .string()
    .optional()
    .describe('Only when you changed your own password or role: your other sessions are signed out and this token replaces yours.'),
});
