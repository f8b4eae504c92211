import type { z } from 'zod';
import type { AgentRow } from './repo.js';
import type { agentSchema } from './schemas.js';

export function presentAgent(agent: AgentRow, domainIds: number[] = []): z.infer<typeof agentSchema> {
  if (agent.type === 'ai') {
    return {
      id: agent.id,
      type: 'ai' as const,
      name: agent.bot_name,
      bot_name: agent.bot_name,
      greeting_message: agent.greeting_message,
      system_prompt: agent.system_prompt,
      domain_ids: domainIds,
      created_at: agent.created_at,
      updated_at: agent.updated_at,
    };
  }
  return {
    id: agent.id,
    type: 'human' as const,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    is_owner: agent.is_owner,
    created_at: agent.created_at,
    updated_at: agent.updated_at,
  };
}
