import type { Knex } from 'knex';
import { countSeatAgents } from '../agents/repo.js';
import { lockAccount } from '../db/knex.js';
import { countDomains } from '../domains/repo.js';
import { planLimitReached } from '../errors.js';
import { planOrDefault, type LimitName, type PlanTable } from './plans.js';
import { findAccount } from './repo.js';
import { countItems } from '../kb/repo.js';

/** How each plan limit is counted. The account owner's own agent row does not use up an agent seat. */
const usageCounters: Record<LimitName, (db: Knex, accountId: number) => Promise<number>> = {
  domains: countDomains,
  agents: countSeatAgents,
  kb_items: countItems,
};

export async function usageOf(db: Knex, accountId: number): Promise<Record<LimitName, number>> {
  const [domains, agents, kbItems] = await Promise.all([
    usageCounters.domains(db, accountId),
    usageCounters.agents(db, accountId),
    usageCounters.kb_items(db, accountId),
  ]);
  return { domains, agents, kb_items: kbItems };
}

/**
 * Must run inside the transaction that then inserts: it locks the account (PostgreSQL) or holds the
 * only connection (SQLite), so two concurrent creates at the limit never both pass.
 */
export async function assertWithinLimit(
  trx: Knex.Transaction,
  plans: PlanTable,
  accountId: number,
  limit: LimitName,
  adding = 1,
): Promise<void> {
  await lockAccount(trx, accountId);
  const account = await findAccount(trx, accountId);
  const max = planOrDefault(plans, account?.plan ?? '').limits[limit];
  const used = await usageCounters[limit](trx, accountId);
  if (used + adding > max) throw planLimitReached(limit, max);
}
