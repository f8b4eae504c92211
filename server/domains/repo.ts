import type { Knex } from 'knex';
import { countOf, nowIso } from '../db/knex.js';

export type WidgetSettings = {
  position?: 'bottom_left' | 'bottom_right';
  color?: string;
  title?: string;
  launcher_text?: string;
  locale?: string;
};

export type DomainRow = {
  id: number;
  account_id: number;
  inbox_id: number;
  website_url: string;
  label: string | null;
  website_token: string;
  ai_agent_id: number | null;
  ai_active: boolean;
  widget_settings: WidgetSettings;
  /**
   * The key the site's own server signs visitors' e-mails with (`identifier_hash`), sealed
   * (./identity-secret.ts opens it); never presented but to admins.
   */
  identity_secret: string;
  created_at: string;
};

const toDomain = (row: Record<string, unknown> | undefined): DomainRow | undefined =>
  row
    ? ({
        ...row,
        ai_active: Boolean(row.ai_active),
        widget_settings: row.widget_settings ? JSON.parse(String(row.widget_settings)) : {},
      } as DomainRow)
    : undefined;

export async function listDomains(db: Knex, accountId: number, range?: { offset: number; limit: number }): Promise<DomainRow[]> {
  const query = db('domains').where({ account_id: accountId }).orderBy('id');
  if (range) query.offset(range.offset).limit(range.limit);
  return (await query).map((r) => toDomain(r)!);
}

export async function countDomains(db: Knex, accountId: number): Promise<number> {
  return countOf(await db('domains').where({ account_id: accountId }).count('* as n').first());
}

export async function findDomain(db: Knex, accountId: number, id: number): Promise<DomainRow | undefined> {
  return toDomain(await db('domains').where({ account_id: accountId, id }).first());
}

/** The public widget's entry point: a website token names exactly one domain. */
export async function findDomainByToken(db: Knex, websiteToken: string): Promise<DomainRow | undefined> {
  return toDomain(await db('domains').where({ website_token: websiteToken }).first());
}

export async function findDomainByOrigin(db: Knex, accountId: number, websiteUrl: string): Promise<DomainRow | undefined> {
  return toDomain(await db('domains').where({ account_id: accountId, website_url: websiteUrl }).first());
}

/** Whether any account has bound this origin (the widget scripts' preflights, which carry no website token). */
export async function isBoundOrigin(db: Knex, websiteUrl: string): Promise<boolean> {
  return Boolean(await db('domains').where({ website_url: websiteUrl }).first('id'));
}

export async function insertDomainWithInbox(
  trx: Knex.Transaction,
  values: { account_id: number; website_url: string; label: string | null; website_token: string; identity_secret: string },
): Promise<DomainRow> {
  const createdAt = nowIso();
  const [inbox] = await trx('inboxes')
    .insert({ account_id: values.account_id, name: values.label ?? values.website_url, created_at: createdAt })
    .returning('id');
  const [row] = await trx('domains')
    .insert({ ...values, inbox_id: (inbox as { id: number }).id, created_at: createdAt, widget_settings: '{}' })
    .returning('*');
  return toDomain(row)!;
}

export async function updateDomain(
  db: Knex,
  accountId: number,
  id: number,
  changes: {
    label?: string | null;
    widget_settings?: WidgetSettings;
    ai_agent_id?: number | null;
    ai_active?: boolean;
    identity_secret?: string;
  },
): Promise<DomainRow | undefined> {
  const values: Record<string, unknown> = { ...changes };
  if (changes.widget_settings) values.widget_settings = JSON.stringify(changes.widget_settings);
  if (Object.keys(values).length) await db('domains').where({ account_id: accountId, id }).update(values);
  return findDomain(db, accountId, id);
}

/** Websites whose identity secret is stored in clear (written by releases before secrets were sealed). */
export async function plaintextIdentitySecrets(db: Knex): Promise<{ id: number; account_id: number; identity_secret: string }[]> {
  return db('domains').whereNot('identity_secret', 'like', 'v1.%').select('id', 'account_id', 'identity_secret');
}

/** Replaces a clear identity secret by its sealed form, unless it changed meanwhile (a rotation wins). */
export async function replaceIdentitySecret(db: Knex, id: number, stored: string, replacement: string): Promise<void> {
  await db('domains').where({ id, identity_secret: stored }).update({ identity_secret: replacement });
}

/** Deletes the domain and its inbox (conversations go with them through ON DELETE CASCADE). */
/** Deletes the account's domain and its inbox; returns the website token it had (null: no such domain). */
export async function deleteDomain(db: Knex, accountId: number, id: number): Promise<string | null> {
  return db.transaction(async (trx) => {
    const domain = await trx('domains').where({ account_id: accountId, id }).first('inbox_id', 'website_token');
    if (!domain) return null;
    await trx('domains').where({ account_id: accountId, id }).delete();
    await trx('inboxes').where({ id: domain.inbox_id }).delete();
    return domain.website_token as string;
  });
}

/** Websites whose widget an AI agent is attached to (active or not). */
export async function domainsWithAiAgent(db: Knex, accountId: number): Promise<{ id: number; ai_agent_id: number }[]> {
  return db('domains').where({ account_id: accountId }).whereNotNull('ai_agent_id').select('id', 'ai_agent_id');
}

/** An AI agent being deleted stops answering every website it was attached to. */
export async function detachAiAgent(trx: Knex.Transaction, agentId: number): Promise<void> {
  await trx('domains').where({ ai_agent_id: agentId }).update({ ai_agent_id: null, ai_active: false });
}
