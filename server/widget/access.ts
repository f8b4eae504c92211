import { LRUCache } from 'lru-cache';
import type { Deps } from '../deps.js';
import { API_KEY_PREFIX } from '../api-keys/repo.js';
import { findConversation, tokenOpens, type ConversationRow } from '../conversations/repo.js';
import { findDomainByToken, type DomainRow } from '../domains/repo.js';
import { assertAllowed } from '../auth/policy.js';
import { bearerFrom } from '../http/auth.js';
import { principalFromBearer } from '../auth/credentials.js';
import { notFound, unauthorized } from '../errors.js';
import type { AppContext } from '../http/route.js';

/** The domain each request's website token named, looked up once (the CORS check and the route share it). */
const domainOfRequest = new WeakMap<AppContext, DomainRow | null>();

/**
 * Widget traffic is mostly messages on existing conversations; looking up the website and the
 * conversation in the database for each would cost two queries a message. Websites are cached for a
 * few seconds (a changed widget setting shows within that); conversations by id, for what never
 * changes (account, website, contact, token hash). The write itself re-reads the conversation, so a
 * deleted one is still a 404.
 */
type Caches = { domains: LRUCache<string, DomainRow | false>; conversations: LRUCache<number, ConversationRow> };
const cachesOf = new WeakMap<Deps, Caches>();
function caches(deps: Deps): Caches {
  let c = cachesOf.get(deps);
  if (!c) {
    c = {
      domains: new LRUCache<string, DomainRow | false>({ max: 10_000, ttl: 5_000 }),
      conversations: new LRUCache<number, ConversationRow>({ max: 100_000, ttl: 30_000 }),
    };
    cachesOf.set(deps, c);
  }
  return c;
}

async function cachedDomain(deps: Deps, token: string): Promise<DomainRow | null> {
  const cache = caches(deps).domains;
  const hit = cache.get(token);
  if (hit !== undefined) return hit || null;
  const domain = (await findDomainByToken(deps.db, token)) ?? null;
  cache.set(token, domain ?? false);
  return domain;
}

const queryString = (ctx: AppContext, name: string): string | undefined => {
  const value = ctx.query[name];
  return typeof value === 'string' && value ? value : undefined;
};

export async function domainForRequest(ctx: AppContext): Promise<DomainRow | null> {
  if (domainOfRequest.has(ctx)) return domainOfRequest.get(ctx)!;
  const token = queryString(ctx, 'website_token');
  const domain = token ? await cachedDomain(ctx.deps, token) : null;
  domainOfRequest.set(ctx, domain);
  return domain;
}

/** The website a widget call is for; 401 without a valid `?website_token=`. `fresh` skips the cache (creating a conversation). */
export async function widgetDomain(ctx: AppContext, options: { fresh?: boolean } = {}): Promise<DomainRow> {
  const token = queryString(ctx, 'website_token');
  if (!token) throw unauthorized('Send the website token as ?website_token=wk_live_….');
  const domain = options.fresh ? await findDomainByToken(ctx.deps.db, token) : await domainForRequest(ctx);
  if (!domain) throw unauthorized('The website token is not valid.');
  return domain;
}

export const conversationTokenOf = (ctx: AppContext) => ctx.get('x-conversation-token') || queryString(ctx, 'conversation_token');

/**
 * An existing conversation of this website, opened by its conversation token or by an API key of the
 * same account (a server-side integration). The public website token alone never opens one: 401.
 * A conversation of another website or account is a 404.
 */
export async function widgetConversation(
  deps: Deps,
  ctx: AppContext,
  domain: DomainRow,
  conversationId: number,
  options: { fresh?: boolean } = {},
): Promise<ConversationRow> {
  const cache = caches(deps).conversations;
  const cached = options.fresh ? undefined : cache.get(conversationId);
  const conversation = cached ?? (await findConversation(deps.db, domain.account_id, conversationId));
  if (conversation && !cached) cache.set(conversation.id, conversation);
  if (!conversation || conversation.domain_id !== domain.id) throw notFound('Conversation');
  const token = conversationTokenOf(ctx);
  if (token) {
    if (!tokenOpens(conversation, token)) throw unauthorized('The conversation token does not open this conversation.');
    return conversation;
  }
  const bearer = bearerFrom(ctx);
  if (bearer?.startsWith(API_KEY_PREFIX)) {
    const principal = await principalFromBearer(deps, bearer);
    if (principal && principal.accountId === domain.account_id) {
      assertAllowed(principal, 'member', ctx.method);
      return conversation;
    }
  }
  throw unauthorized('Send the conversation token (X-Conversation-Token header or ?conversation_token=) or an API key of this account.');
}
