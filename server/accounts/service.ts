import type { Deps } from '../deps.js';
import { isPostgres } from '../db/knex.js';
import { issueToken } from '../auth/tokens.js';
import { addressKey } from '../client-address.js';
import { conflict, forbidden, unauthorized, validationFailed } from '../errors.js';
import { hashForUnknownEmail, hashPassword, verifyPassword } from './passwords.js';
import { DEFAULT_PLAN, type PlanTable } from './plans.js';
import { findAccount, findUserByEmail, insertAccount, insertUser, normalizeEmail, updateAccountPlan, type AccountRow } from './repo.js';
import { insertOwnerAgent } from '../agents/repo.js';
import { signUpRefused } from '../instance/service.js';

export function trialEndsAt(plans: PlanTable, plan: string, from: Date): string | null {
  const days = plans[plan]?.trial_days;
  return days ? new Date(from.getTime() + days * 86_400_000).toISOString() : null;
}

function assertKnownPlan(plans: PlanTable, plan: string): void {
  if (!plans[plan]) throw validationFailed([{ field: 'plan', message: `must be one of ${Object.keys(plans).join(', ')}` }]);
}

/**
 * Creates an account with its owner user (and the owner's human-agent row) in one transaction.
 * The first account on an instance owns the instance; later accounts start on the free plan and
 * only the instance owner can move them to another.
 */
export async function registerAccount(
  deps: Deps,
  input: { name: string; email: string; password: string; plan?: string },
  address: string,
) {
  const plan = input.plan ?? DEFAULT_PLAN;
  assertKnownPlan(deps.plans, plan);
  const client = addressKey(address);
  // Counted first, whatever the outcome: probing which e-mails exist is what the throttle slows too.
  await deps.throttles.signUp.hit(client);
  // Before the hash, so a closed instance does no scrypt work for it (checked again in the transaction).
  if (await signUpRefused(deps.db, deps.config)) throw signUpClosed();
  if (await findUserByEmail(deps.db, input.email)) throw conflict('email_taken', 'An account with this email already exists.');
  const passwordHash = await hashPassword(input.password);
  const { account, user } = await deps.db.transaction(async (trx) => {
    // Two sign-ups racing on a fresh PostgreSQL instance must not both become its owner (SQLite serialises them already).
    if (isPostgres(trx)) await trx.raw('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
    const isFirst = !(await trx('accounts').first('id'));
    if (!isFirst && (await signUpRefused(trx, deps.config))) throw signUpClosed();
    if (!isFirst && plan !== DEFAULT_PLAN)
      throw forbidden('plan_requires_instance_owner', `New accounts start on the ${DEFAULT_PLAN} plan; the instance owner can change it.`);
    const account = await insertAccount(trx, { name: input.name, plan, trial_ends_at: trialEndsAt(deps.plans, plan, deps.now()) });
    const user = await insertUser(trx, {
      account_id: account.id,
      email: input.email,
      name: input.name,
      password_hash: passwordHash,
      role: 'owner',
      is_instance_admin: isFirst,
    });
    await insertOwnerAgent(trx, account.id, user.id);
    return { account, user };
  });
  // The new owner signed in from here: the login caps spare this address and e-mail pair.
  await deps.throttles.login.remember(client, user.email);
  return { account, user, token: await issueToken(deps, user) };
}

const signUpClosed = () =>
  forbidden(
    'signup_closed',
    "New accounts cannot be created on this instance: its owner has closed sign-up. Ask an account's admin to add you.",
  );

/** Checks the password under the login throttle (server/accounts/throttles.ts: the try is counted first). */
export async function login(deps: Deps, input: { email: string; password: string }, address: string) {
  const user = await deps.throttles.login.attempt(addressKey(address), normalizeEmail(input.email), async () => {
    const found = await findUserByEmail(deps.db, input.email);
    // An unknown e-mail costs the same hash as a known one, so timing does not tell which exist.
    const ok = await verifyPassword(input.password, found?.password_hash ?? (await hashForUnknownEmail()));
    return found && ok ? found : undefined;
  });
  if (!user) throw unauthorized('Wrong email or password.');
  return { user, token: await issueToken(deps, user) };
}

export async function changePlan(deps: Deps, accountId: number, plan: string): Promise<AccountRow | undefined> {
  assertKnownPlan(deps.plans, plan);
  const account = await findAccount(deps.db, accountId);
  if (!account) return undefined;
  const trial = plan === account.plan ? account.trial_ends_at : trialEndsAt(deps.plans, plan, deps.now());
  await updateAccountPlan(deps.db, accountId, plan, trial);
  return findAccount(deps.db, accountId);
}
