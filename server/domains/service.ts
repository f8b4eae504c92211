import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { assertWithinLimit } from '../accounts/limits.js';
import { lockAccount } from '../db/knex.js';
import { conflict, notFound } from '../errors.js';
import { findAiAgent } from '../agents/repo.js';
import { newSealedIdentitySecret } from './identity-secret.js';
import { deleteDomain, findDomain, findDomainByOrigin, insertDomainWithInbox, updateDomain, type DomainRow } from './repo.js';

export const WEBSITE_TOKEN_PREFIX = 'wk_live_';

/** `wk_live_` + 32 url-safe characters (24 random bytes). */
export const newWebsiteToken = () => WEBSITE_TOKEN_PREFIX + randomBytes(24).toString('base64url');

export async function bindDomain(deps: Deps, accountId: number, input: { website_url: string; label?: string }): Promise<DomainRow> {
  return deps.db.transaction(async (trx) => {
    // Checked under the account lock, so two concurrent binds of one site cannot both pass.
    await lockAccount(trx, accountId);
    if (await findDomainByOrigin(trx, accountId, input.website_url))
      throw conflict('domain_exists', 'This website is already bound to your account.');
    await assertWithinLimit(trx, deps.plans, accountId, 'domains');
    return insertDomainWithInbox(trx, {
      account_id: accountId,
      website_url: input.website_url,
      label: input.label ?? null,
      website_token: newWebsiteToken(),
      identity_secret: newSealedIdentitySecret(deps.domains.identitySecretKey, accountId),
    });
  });
}

/** Changes a website's row; the widget's cache of it on this server forgets it at once. */
export async function changeDomain(
  deps: Deps,
  accountId: number,
  domainId: number,
  changes: Parameters<typeof updateDomain>[3],
): Promise<DomainRow | undefined> {
  const domain = await updateDomain(deps.db, accountId, domainId, changes);
  if (domain) deps.widget.caches.websiteChanged(domain.website_token);
  return domain;
}

/** Unbinds a website (its inbox and conversations go with it): its token stops opening anything at once. */
export async function unbindDomain(deps: Deps, accountId: number, domainId: number): Promise<boolean> {
  const websiteToken = await deleteDomain(deps.db, accountId, domainId);
  if (websiteToken) deps.widget.caches.websiteChanged(websiteToken);
  return websiteToken !== null;
}

/** Attaches an AI agent of the same account to a domain (or detaches with `null`). */
export async function setAiConfig(
  deps: Deps,
  accountId: number,
  domainId: number,
  input: { ai_bot_config_id: number | null; is_active: boolean },
): Promise<DomainRow> {
  const domain = await findDomain(deps.db, accountId, domainId);
  if (!domain) throw notFound('Domain');
  if (input.ai_bot_config_id !== null && !(await findAiAgent(deps.db, accountId, input.ai_bot_config_id))) throw notFound('AI agent');
  const updated = await changeDomain(deps, accountId, domainId, {
    ai_agent_id: input.ai_bot_config_id,
    ai_active: input.ai_bot_config_id !== null && input.is_active,
  });
  return updated!;
}

/** A new identity secret for the website: `identifier_hash`es made with the old one stop verifying at once. */
export async function rotateIdentitySecret(deps: Deps, accountId: number, domainId: number): Promise<DomainRow> {
  const domain = await changeDomain(deps, accountId, domainId, {
    identity_secret: newSealedIdentitySecret(deps.domains.identitySecretKey, accountId),
  });
  if (!domain) throw notFound('Domain');
  return domain;
}
