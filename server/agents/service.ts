import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import { assertWithinLimit } from '../accounts/limits.js';
import { hashPassword } from '../accounts/passwords.js';
import { deleteUser, findUserByEmail, findUserById, insertUser, updateUser } from '../accounts/repo.js';
import { issueToken } from '../auth/tokens.js';
import { assertSignedInAdmin } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { detachAiAgent, domainsWithAiAgent } from '../domains/repo.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { validate } from '../validation.js';
import * as repo from './repo.js';
import { createAgentBody, updateAiAgentBody, updateHumanAgentBody } from './schemas.js';

type CreateAgentInput = z.infer<typeof createAgentBody>;

/** Creates an AI agent, or a human agent with a user who can sign in; both count against the plan's agents. */
export async function createAgent(deps: Deps, principal: Principal, input: CreateAgentInput) {
  const accountId = principal.accountId;
  if (input.type === 'human') {
    assertSignedInAdmin(principal, 'create human agents');
    if (await findUserByEmail(deps.db, input.email)) throw conflict('email_taken', 'A user with this email already exists.');
    const temporaryPassword = input.password ? undefined : randomBytes(9).toString('base64url');
    const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
    const id = await deps.db.transaction(async (trx) => {
      await assertWithinLimit(trx, deps.plans, accountId, 'agents');
      const user = await insertUser(trx, {
        account_id: accountId,
        email: input.email,
        name: input.name,
        password_hash: passwordHash,
        role: input.role,
        is_instance_admin: false,
      });
      return repo.insertHumanAgent(trx, accountId, user.id);
    });
    return { agent: (await repo.findAgent(deps.db, accountId, id))!, temporaryPassword };
  }
  const id = await deps.db.transaction(async (trx) => {
    await assertWithinLimit(trx, deps.plans, accountId, 'agents');
    return repo.insertAiAgent(trx, accountId, {
      bot_name: input.bot_name,
      greeting_message: input.greeting_message ?? null,
      system_prompt: input.system_prompt ?? null,
    });
  });
  return { agent: (await repo.findAgent(deps.db, accountId, id))!, temporaryPassword: undefined };
}

/**
 * The body's allowed fields depend on the agent's type, so it is validated here once the agent is known.
 * A new password or role revokes the person's tokens; when they changed it themselves, `token` replaces theirs.
 */
export async function updateAgent(
  deps: Deps,
  principal: Principal,
  id: number,
  body: unknown,
): Promise<{ agent: repo.AgentRow; token?: string }> {
  const accountId = principal.accountId;
  let token: string | undefined;
  const agent = await repo.findAgent(deps.db, accountId, id);
  if (!agent) throw notFound('Agent');
  if (agent.type === 'ai') {
    await repo.updateAiAgent(deps.db, accountId, id, validate(updateAiAgentBody, body));
  } else {
    assertSignedInAdmin(principal, 'change human agents');
    const changes = validate(updateHumanAgentBody, body);
    if (agent.is_owner && changes.role) throw forbidden('cannot_modify_owner', "The account owner's role cannot be changed.");
    // Otherwise an admin could reset the owner's password and take the account over.
    const isSelf = principal.userId === agent.user_id;
    if (agent.is_owner && !isSelf) throw forbidden('cannot_modify_owner', 'Only the account owner can change their own profile.');
    const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
    await updateUser(deps.db, accountId, agent.user_id, { name: changes.name, role: changes.role, password_hash: passwordHash });
    await repo.touchAgent(deps.db, accountId, id);
    // Changing one's own password signs out every other session; this one goes on with a new token.
    if (isSelf && (changes.role || passwordHash)) {
      const user = await findUserById(deps.db, agent.user_id);
      if (user) token = await issueToken(deps, user);
    }
  }
  return { agent: (await repo.findAgent(deps.db, accountId, id))!, token };
}

export async function removeAgent(deps: Deps, principal: Principal, id: number): Promise<void> {
  const agent = await repo.findAgent(deps.db, principal.accountId, id);
  if (!agent) throw notFound('Agent');
  if (agent.type === 'human') assertSignedInAdmin(principal, 'remove human agents');
  if (agent.type === 'human' && agent.is_owner) throw forbidden('cannot_modify_owner', 'The account owner cannot be deleted.');
  // A human agent goes with their user (and so their sign-in); an AI agent is detached from its websites.
  await deps.db.transaction(async (trx) => {
    if (agent.type === 'human') {
      await repo.deleteAgentRow(trx, agent.id);
      await deleteUser(trx, agent.user_id);
    } else {
      await detachAiAgent(trx, agent.id);
      await repo.deleteAgentRow(trx, agent.id);
    }
  });
}

/** domain ids each AI agent answers, for the agent list. */
export async function domainIdsByAgent(deps: Deps, accountId: number): Promise<Map<number, number[]>> {
  const rows = await domainsWithAiAgent(deps.db, accountId);
  const map = new Map<number, number[]>();
  for (const row of rows) map.set(row.ai_agent_id, [...(map.get(row.ai_agent_id) ?? []), row.id]);
  return map;
}
