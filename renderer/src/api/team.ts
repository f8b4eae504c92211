/** The people who answer conversations: human agents of `/nc-api/v1/agents` (`type: human`). */
import { api, pathId, send } from './client.js';
import type { Agent, CreatedAgent, HumanAgent } from './types.js';

export type Role = 'agent' | 'admin';
export type TeammateInput = { name: string; email: string; role: Role; password?: string };

const isHuman = (a: Agent): a is HumanAgent => a.type === 'human';

export async function listTeam(signal?: AbortSignal): Promise<HumanAgent[]> {
  return (await send(api().GET('/nc-api/v1/agents', { params: { query: { type: 'human' } }, signal }))).data.filter(isHuman);
}

/** Adds a teammate; without a password the answer carries a temporary one, shown once. */
export const addTeammate = (input: TeammateInput): Promise<CreatedAgent> =>
  send(api().POST('/nc-api/v1/agents', { body: { type: 'human', ...input } }));

export const setRole = (id: number, role: Role) =>
  send(api().PUT('/nc-api/v1/agents/{id}', { params: { path: pathId(id) }, body: { role } }));

export { deleteAgent as removeTeammate } from './agents.js';
