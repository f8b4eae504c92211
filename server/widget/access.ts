// The server calls a bound website a "domain" (its API's word: /account/domains, domain_id); the console calls it a website.
import type { Next } from 'koa';
import { assertAllowed } from '../auth/policy.js';
import { isApiKey, principalFromBearer } from '../auth/credentials.js';
import { findConversation, tokenOpens, type ConversationRow } from '../conversations/repo.js';
import { findDomainByToken, type DomainRow } from '../domains/repo.js';
import { isForeignOrigin } from './origin.js';
import { forbidden, notFound, unauthorized, unsupportedMediaType } from '../errors.js';
import { bearerFrom } from '../http/auth.js';
import type { AnyRoute, AppContext } from '../http/route.js';

const queryString = (ctx: AppContext, name: string): string | undefined => {
  const value = ctx.query[name];
  return typeof value === 'string' && value ? value : undefined;
};

/**
 * The website the request's `?website_token=` names, through the cache, looked up once per request:
 * the CORS check and the router's access check share it (`ctx.state.websiteLookup`). Null when the token
 * is missing or unknown.
 */
export async function websiteOfRequest(ctx: AppContext): Promise<DomainRow | null> {
  if (ctx.state.websiteLookup !== undefined) return ctx.state.websiteLookup;
  const token = queryString(ctx, 'website_token');
  let website: DomainRow | null = null;
  if (token) {
    const cache = ctx.deps.widget.caches.websites;
    const hit = cache.get(token);
    if (hit !== undefined) website = hit || null;
    else {
      website = (await findDomainByToken(ctx.deps.db, token)) ?? null;
      cache.set(token, website ?? false);
    }
  }
  ctx.state.websiteLookup = website;
  return website;
}

/**
 * The media types a widget write may carry: JSON, multipart where the route takes files (`form`), and what a
 * route reads itself (`rawBody`). A page can send text/plain cross-origin without a preflight; JSON it cannot.
 * A multipart form it can, so the Origin check (and the conversation token) is what guards those.
 */
const acceptedTypes = (route: AnyRoute): string[] => [
  ...(route.body ? ['application/json'] : []),
  ...(route.form ? ['multipart/form-data'] : []),
  ...(route.rawBody?.contentTypes ?? []),
];

/** Writes come from the bound website or from no browser at all (403), and carry an accepted media type (415). */
function assertWidgetWrite(ctx: AppContext, route: AnyRoute, website: DomainRow): void {
  if (isForeignOrigin(ctx.get('origin') || undefined, website))
    throw forbidden('origin_not_allowed', 'This origin is not the website bound to this website token.');
  const types = acceptedTypes(route);
  // Without a body (none, or Content-Length: 0) there is nothing to type: the route's schema says what is missing.
  if (types.length && ctx.request.length !== 0 && ctx.request.is(types) === false)
    throw unsupportedMediaType(`Send the body as ${types.join(' or ')}.`);
}

/**
 * The router's check for `access: 'widget'`: a valid `?website_token=` or 401, and the website on
 * `ctx.state.website`; writes also pass `assertWidgetWrite`. `fresh` routes read the website uncached
 * (their answer depends on its current settings).
 */
export function requireWebsite(route: AnyRoute) {
  return async (ctx: AppContext, next: Next) => {
    const token = queryString(ctx, 'website_token');
    if (!token) throw unauthorized('Send the website token as ?website_token=wk_live_….');
    const website = route.freshWebsite ? await findDomainByToken(ctx.deps.db, token) : await websiteOfRequest(ctx);
    if (!website) throw unauthorized('The website token is not valid.');
    if (route.method !== 'get') assertWidgetWrite(ctx, route, website);
    ctx.state.website = website;
    return next();
  };
}

/** The website of a widget route (the router has resolved it). */
export function websiteOf(ctx: AppContext): DomainRow {
  const website = ctx.state.website;
  if (!website) throw unauthorized('Send the website token as ?website_token=wk_live_….');
  return website;
}

export const conversationTokenOf = (ctx: AppContext) => ctx.get('x-conversation-token') || queryString(ctx, 'conversation_token');

/**
 * An existing conversation of the request's website, opened by its conversation token or by an API key
 * of the same account (a server-side integration). The public website token alone never opens one: 401.
 * A conversation of another website or account is a 404.
 */
export async function widgetConversation(
  ctx: AppContext,
  conversationId: number,
  options: { fresh?: boolean } = {},
): Promise<ConversationRow> {
  const website = websiteOf(ctx);
  const cache = ctx.deps.widget.caches.conversations;
  const cached = options.fresh ? undefined : cache.get(conversationId);
  const conversation = cached ?? (await findConversation(ctx.deps.db, website.account_id, conversationId));
  if (conversation && !cached) cache.set(conversation.id, conversation);
  if (!conversation || conversation.domain_id !== website.id) throw notFound('Conversation');
  const token = conversationTokenOf(ctx);
  if (token) {
    if (!tokenOpens(conversation, token)) throw unauthorized('The conversation token does not open this conversation.');
    return conversation;
  }
  const bearer = bearerFrom(ctx);
  if (bearer && isApiKey(bearer)) {
    const principal = await principalFromBearer(ctx.deps, bearer);
    if (principal && principal.accountId === website.account_id) {
      assertAllowed(principal, 'member', ctx.method);
      return conversation;
    }
  }
  throw unauthorized('Send the conversation token (X-Conversation-Token header or ?conversation_token=) or an API key of this account.');
}
