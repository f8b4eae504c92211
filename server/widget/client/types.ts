/**
 * Shapes the widget exchanges with the server: aliases over the types generated from the server's
 * OpenAPI document (`generated/openapi.d.ts`, written by `scripts/api-types.mjs`), so a server change
 * that breaks the widget fails `npm run typecheck`. The page settings, the stored session and the
 * realtime envelope are the widget's own (the socket protocol has no OpenAPI operation).
 */
import type { paths } from './generated/openapi.js';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** GET /api/v1/widget/config */
export type ServerConfig = Json<paths['/api/v1/widget/config']['get']['responses'][200]>;
export type Position = NonNullable<ServerConfig['widget_settings']['position']>;

/** POST /api/v1/widget/conversations: the conversation, its first messages and the token that grants access to it. */
export type CreatedConversation = Json<paths['/api/v1/widget/conversations']['post']['responses'][201]>;
export type Message = CreatedConversation['messages'][number];
/** One of the AI agent's choices (`content_attributes.items` of an `input_select` message). */
export type ChoiceItem = NonNullable<Message['content_attributes']['items']>[number];
export type Sender = Message['sender'];
export type Attachment = Message['attachments'][number];
/** GET /api/v1/widget/conversations/{id}: status, and `csat`, the rating of the current resolution. */
export type Conversation = Json<paths['/api/v1/widget/conversations/{id}']['get']['responses'][200]>;

/**
 * Who the visitor is, as the pre-chat form or `NovaChat.setUser` gives it; `identifier_hash` is the site's
 * proof of the e-mail (hex HMAC-SHA256 of it, keyed by the website's identity secret, made on its server).
 */
export type Contact = { name?: string; email?: string; identifier_hash?: string };

/** What a site owner sets on the page (camelCase, as `window.novaChatSettings` uses). */
export type PageSettings = {
  position?: Position;
  color?: string;
  title?: string;
  launcherText?: string;
  locale?: string;
};

export type RealtimeEvent = {
  id: number | null;
  type: string;
  conversation_id: number | null;
  data: {
    message?: Message;
    conversation?: Pick<CreatedConversation, 'id' | 'status'>;
    typing?: boolean;
    sender?: { type: Sender['type']; name: string | null };
  };
};

/** What survives a reload, in localStorage under the website token. */
export type Session = { conversation_id: number; conversation_token: string; last_event_id: number };
