import type { Knex } from 'knex';
import type { Role } from '../auth/principal.js';
import { countOf, nowIso } from '../db/knex.js';

export type AiAgentRow = {
  id: number;
  account_id: number;
  type: 'ai';
  bot_name: string;
  greeting_message: string | null;
  system_prompt: string | null;
  created_at: string;
  updated_at: string;
};

export type HumanAgentRow = {
  id: number;
  account_id: number;
  type: 'human';
  user_id: number;
  is_owner: boolean;
  name: string;
  email: string;
  role: Role;
  created_at: string;
  updated_at: string;
};

export type AgentRow = AiAgentRow | HumanAgentRow;

const humanColumns = ['agents.*', 'users.name as name', 'users.email as email', 'users.role as role'];

function toAgent(row: Record<string, unknown>): AgentRow {
  return { ...row, is_owner: Boolean(row.is_owner) } as AgentRow;
}

/** AI and human agents of one account; human agents carry their user's name, email and role. */
function agentsQuery(db: Knex, accountId: number) {
  return db('agents').leftJoin('users', 'users.id', 'agents.user_id').where('agents.account_id', accountId).select(humanColumns);
}

export async function listAgents(
  db: Knex,
  accountId: number,
  type?: 'ai' | 'human',
  range?: { offset: number; limit: number },
): Promise<AgentRow[]> {
  const query = agentsQuery(db, accountId).orderBy('agents.id');
  if (type) query.where('agents.type', type);
  if (range) query.offset(range.offset).limit(range.limit);
  return (await query).map(toAgent);
}

export async function countAgents(db: Knex, accountId: number, type?: 'ai' | 'human'): Promise<number> {
  const query = db('agents').where({ account_id: accountId });
  if (type) query.where({ type });
  return countOf(await query.count('* as n').first());
}

/** Agents that use up a plan seat: every agent but the account owner's own row. */
export async function countSeatAgents(db: Knex, accountId: number): Promise<number> {
  return countOf(await db('agents').where({ account_id: accountId, is_owner: false }).count('* as n').first());
}

export async function findAgent(db: Knex, accountId: number, id: number): Promise<AgentRow | undefined> {
  const row = await agentsQuery(db, accountId).where('agents.id', id).first();
  return row ? toAgent(row) : undefined;
}

export async function findAiAgent(db: Knex, accountId: number, id: number): Promise<AiAgentRow | undefined> {
  const agent = await findAgent(db, accountId, id);
  return agent?.type === 'ai' ? agent : undefined;
}

export async function findOwnAgentId(db: Knex, accountId: number, userId: number): Promise<number | undefined> {
  const row = await db('agents').where({ account_id: accountId, user_id: userId }).first('id');
  return row?.id;
}

export async function insertOwnerAgent(trx: Knex.Transaction, accountId: number, userId: number): Promise<void> {
  const now = nowIso();
  await trx('agents').insert({ account_id: accountId, type: 'human', user_id: userId, is_owner: true, created_at: now, updated_at: now });
}

export async function insertAiAgent(
  trx: Knex.Transaction,
  accountId: number,
  values: { bot_name: string; greeting_message: string | null; system_prompt: string | null },
): Promise<number> {
  const now = nowIso();
  const [row] = await trx('agents')
    .insert({ account_id: accountId, type: 'ai', ...values, created_at: now, updated_at: now })
    .returning('id');
  return (row as { id: number }).id;
}

export async function insertHumanAgent(trx: Knex.Transaction, accountId: number, userId: number): Promise<number> {
  const now = nowIso();
  const [row] = await trx('agents')
    .insert({ account_id: accountId, type: 'human', user_id: userId, is_owner: false, created_at: now, updated_at: now })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updateAiAgent(
  db: Knex,
  accountId: number,
  id: number,
  values: Partial<Pick<AiAgentRow, 'bot_name' | 'greeting_message' | 'system_prompt'>>,
): Promise<void> {
  await db('agents')
    .where({ account_id: accountId, id, type: 'ai' })
    .update({ ...values, updated_at: nowIso() });
}

export async function touchAgent(db: Knex, accountId: number, id: number): Promise<void> {
  await db('agents').where({ account_id: accountId, id }).update({ updated_at: nowIso() });
}

export async function deleteAgentRow(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('agents').where({ id }).delete();
}
