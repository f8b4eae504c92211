/** AI agents (`/nc-api/v1/agents` with `type: ai`); the people of the team share the resource, see team.ts. */
import { api, pathId, send } from './client.js';
import type { Agent, AiAgent } from './types.js';

export type AiAgentInput = { bot_name: string; greeting_message: string; system_prompt: string };

const isAi = (a: Agent): a is AiAgent => a.type === 'ai';

export async function listAiAgents(signal?: AbortSignal): Promise<AiAgent[]> {
  return (await send(api().GET('/nc-api/v1/agents', { params: { query: { type: 'ai' } }, signal }))).data.filter(isAi);
}

/** Creates the agent (`id` null) or saves its changes. */
export async function saveAiAgent(id: number | null, input: AiAgentInput): Promise<AiAgent> {
  const saved =
    id === null
      ? await send(api().POST('/nc-api/v1/agents', { body: { type: 'ai', ...input } }))
      : await send(api().PUT('/nc-api/v1/agents/{id}', { params: { path: pathId(id) }, body: input }));
  return saved as AiAgent;
}

/** Deletes an agent or removes a teammate: websites it answered fall back to the team. */
export async function deleteAgent(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/agents/{id}', { params: { path: pathId(id) } }));
}
