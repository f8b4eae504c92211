import { findUserById } from '../accounts/repo.js';
import { findOwnAgentId } from '../agents/repo.js';
import { contactSenderName, type PresentedMessage } from '../conversations/presenter.js';
import { findConversationByToken, type Sender } from '../conversations/repo.js';
import { findDomainByToken, type DomainRow } from '../domains/repo.js';
import { widgetView } from '../attachments/presenter.js';
import type { NovaEvent } from '../events/types.js';
import { principalFromBearer, type CredentialContext } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { forbidden, unauthorized } from '../errors.js';
import { isForeignOrigin } from '../widget/origin.js';

/** Who is listening on a socket or stream, and so which events they may see. */
export type Audience =
  | { kind: 'widget'; accountId: number; conversationId: number; domain: DomainRow; sender: Sender }
  | {
      kind: 'console';
      accountId: number;
      sender: Sender;
      /** `user:<id>` or `api_key:<id>`: what console connections are capped by. */ principalKey: string;
      /** The JWT or API key the connection opened with, checked again while it stays open. */ credential: string;
    };

const principalKey = (principal: Principal) => (principal.kind === 'api_key' ? `api_key:${principal.keyId}` : `user:${principal.userId}`);

export type RealtimeCredentials = { website_token?: string; conversation_token?: string; access_token?: string };

/**
 * A console signs in with its JWT (or an API key) as `access_token`; a widget with its website token
 * and conversation token (browsers cannot set headers on a WebSocket). Anything else is a 401. A widget
 * connection from a browser must come from the bound website, like the widget's HTTP writes (403).
 */
export async function audienceFor(
  deps: CredentialContext,
  credentials: RealtimeCredentials,
  origin: string | undefined,
): Promise<Audience> {
  if (credentials.access_token) {
    const principal = await principalFromBearer(deps, credentials.access_token);
    if (!principal) throw unauthorized('The access token is invalid, expired or revoked.');
    if (principal.kind === 'api_key')
      return {
        kind: 'console',
        accountId: principal.accountId,
        sender: { type: 'agent', id: null, name: 'API integration' },
        principalKey: principalKey(principal),
        credential: credentials.access_token,
      };
    const [agentId, user] = await Promise.all([
      findOwnAgentId(deps.db, principal.accountId, principal.userId),
      findUserById(deps.db, principal.userId),
    ]);
    return {
      kind: 'console',
      accountId: principal.accountId,
      sender: { type: 'agent', id: agentId ?? null, name: user?.name ?? 'Agent' },
      principalKey: principalKey(principal),
      credential: credentials.access_token,
    };
  }
  if (!credentials.website_token || !credentials.conversation_token)
    throw unauthorized('Send access_token (console), or website_token and conversation_token (widget).');
  const domain = await findDomainByToken(deps.db, credentials.website_token);
  if (!domain) throw unauthorized('The website token is not valid.');
  if (isForeignOrigin(origin, domain)) throw forbidden('origin_not_allowed', 'This origin is not the website bound to this website token.');
  const conversation = await findConversationByToken(deps.db, domain.id, credentials.conversation_token);
  if (!conversation) throw unauthorized('The conversation token does not open a conversation of this website.');
  return {
    kind: 'widget',
    accountId: domain.account_id,
    conversationId: conversation.id,
    domain,
    sender: {
      type: 'contact',
      id: conversation.contact_id,
      name: contactSenderName({ name: conversation.contact_name, email: conversation.contact_email }),
    },
  };
}

/**
 * Whether an open console connection's credential still holds: a revoked key, a deleted user or a
 * password or role change (a new token version) ends it as it ends the next HTTP request. Widget
 * connections hold a conversation token, which nothing revokes.
 */
export async function stillAuthorised(deps: CredentialContext, audience: Audience): Promise<boolean> {
  if (audience.kind === 'widget') return true;
  const principal = await principalFromBearer(deps, audience.credential);
  return principal !== null && principalKey(principal) === audience.principalKey;
}

/**
 * A console sees its whole account (but not its own agent's typing echoed back); a widget sees its own
 * conversation only, never a private note, a private typing indicator, its own typing, or SLA internals.
 */
export function visibleTo(audience: Audience, event: NovaEvent): boolean {
  if (event.account_id !== audience.accountId) return false;
  const typing = event.type === 'typing' ? event.data : undefined;
  if (audience.kind === 'console')
    return !(typing && audience.sender.id !== null && typing.sender.type === 'agent' && typing.sender.id === audience.sender.id);
  if (event.conversation_id !== audience.conversationId) return false;
  if (event.type === 'sla_breached') return false;
  if ((event.type === 'message_created' || event.type === 'message_updated') && event.data.message.private) return false;
  if (typing && (typing.private || typing.sender.type === 'contact')) return false;
  return true;
}

/**
 * The JSON an audience gets of an event it may see. A console gets the event as it is; a widget never gets a
 * conversation's labels (the team's own filing of it), and a message's attachments link to the widget API
 * (see attachments/presenter.ts).
 */
export function eventJsonFor(audience: Audience, event: NovaEvent): string {
  if (audience.kind === 'console') return JSON.stringify(event);
  const data = event.data as { conversation?: { labels?: unknown }; message?: PresentedMessage };
  let view: Record<string, unknown> = data;
  if (data.conversation && 'labels' in data.conversation) {
    const { labels: _labels, ...conversation } = data.conversation;
    view = { ...view, conversation };
  }
  if (data.message?.attachments?.length) view = { ...view, message: widgetView(data.message) };
  return JSON.stringify(view === data ? event : { ...event, data: view });
}
