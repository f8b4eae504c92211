import type { Deps } from '../deps.js';
import { API_KEY_PREFIX } from '../api-keys/repo.js';
import { findConversation, tokenOpens, type ConversationRow } from '../conversations/repo.js';
import { findDomainByToken, type DomainRow } from '../domains/repo.js';
import { assertAllowed, bearerFrom, principalFromBearer } from '../http/auth.js';
import { notFound, unauthorized } from '../http/errors.js';
import type { AppContext } from '../http/route.js';

/** The domain each request's website token named, looked up once (the CORS check and the route share it). */
const domainOfRequest = new WeakMap<AppContext, DomainRow | null>();

const queryString = (ctx: AppContext, name: string): string | undefined => {
  const value = ctx.query[name];
  return typeof value === 'string' && value ? value : undefined;
};

export async function domainForRequest(ctx: AppContext): Promise<DomainRow | null> {
  if (domainOfRequest.has(ctx)) return domainOfRequest.get(ctx)!;
  const token = queryString(ctx, 'website_token');
  const domain = token ? ((await findDomainByToken(ctx.deps.db, token)) ?? null) : null;
  domainOfRequest.set(ctx, domain);
  return domain;
}

/** The website a widget call is for; 401 without a valid `?website_token=`. */
export async function widgetDomain(ctx: AppContext): Promise<DomainRow> {
  if (!queryString(ctx, 'website_token')) throw unauthorized('Send the website token as ?website_token=wk_live_….');
  const domain = await domainForRequest(ctx);
  if (!domain) throw unauthorized('The website token is not valid.');
  return domain;
}

export const conversationTokenOf = (ctx: AppContext) => ctx.get('x-conversation-token') || queryString(ctx, 'conversation_token');

/**
 * An existing conversation of this website, opened by its conversation token or by an API key of the
 * same account (a server-side integration). The public website token alone never opens one: 401.
 * A conversation of another website or account is a 404.
 */
export async function widgetConversation(deps: Deps, ctx: AppContext, domain: DomainRow, conversationId: number): Promise<ConversationRow> {
  const conversation = await findConversation(deps.db, domain.account_id, conversationId);
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
