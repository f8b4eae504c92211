/**
 * Named shapes of the API as the console reads them, each an alias over the types generated from the
 * server's OpenAPI document (`generated/openapi.d.ts`, written by `scripts/api-types.mjs`): a server
 * change that breaks a page fails `npm run typecheck`. Nothing here is written by hand but the names.
 */
import type { paths } from './generated/openapi.js';

/** The JSON body a path answers with for `status` (200 unless given). */
export type ApiAnswer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

type Row<T> = T extends { data: (infer R)[] } ? R : never;

export type Me = ApiAnswer<'/nc-api/v1/auth/me', 'get'>;
export type User = Me['user'];
export type Account = Row<ApiAnswer<'/nc-api/v1/accounts', 'get'>>;
export type AccountStatus = ApiAnswer<'/nc-api/v1/account/status', 'get'>;
export type Limits = AccountStatus['limits'];
export type InstanceSettings = ApiAnswer<'/nc-api/v1/instance/settings', 'get'>;
export type BackupList = ApiAnswer<'/nc-api/v1/instance/backups', 'get'>;
export type Backup = Row<BackupList>;

/** A bound website; the API calls websites "domains". */
export type Domain = Row<ApiAnswer<'/nc-api/v1/account/domains', 'get'>>;
export type BoundDomain = ApiAnswer<'/nc-api/v1/account/bind-domain', 'post', 201>;
export type WidgetSettings = Domain['widget_settings'];

/** AI agents and people share one resource; `type` tells them apart. */
export type Agent = Row<ApiAnswer<'/nc-api/v1/agents', 'get'>>;
export type AiAgent = Agent & { type: 'ai' };
export type HumanAgent = Agent & { type: 'human' };
export type CreatedAgent = ApiAnswer<'/nc-api/v1/agents', 'post', 201>;

export type ApiKey = Row<ApiAnswer<'/nc-api/v1/api-keys', 'get'>>;

export type KbItem = Row<ApiAnswer<'/nc-api/v1/knowledge_base/items', 'get'>>;
export type KbSearch = ApiAnswer<'/nc-api/v1/knowledge_base/search', 'get'>;
export type KbSearchHit = Row<KbSearch>;
export type KbImport = ApiAnswer<'/nc-api/v1/knowledge_base/import', 'post', 201>;
export type KbDraft = Row<ApiAnswer<'/nc-api/v1/agentic-rag/drafts', 'get'>>;
/** An item's alternate question; `source` says who added it (learned ones are `visitor` and `agent`). */
export type KbQuestion = KbItem['questions'][number];
export type QuestionSource = KbQuestion['source'];
/** An alternate question with its item, as the account-wide review list shows it. */
export type LearnedQuestion = Row<ApiAnswer<'/nc-api/v1/knowledge_base/questions', 'get'>>;

export type ConversationWithMessages = ApiAnswer<'/nc-api/v1/conversations/{id}', 'get'>;
export type Message = ConversationWithMessages['messages'][number];
/** The AI agent's choices (`content_attributes.items` of an `input_select` message). */
export type ChoiceItem = NonNullable<Message['content_attributes']['items']>[number];
/** Agent assist: a KB item that may answer the contact's latest question, with its search score. */
export type Suggestion = Row<ApiAnswer<'/nc-api/v1/conversations/{id}/suggestions', 'get'>>;
/** A conversation as changes answer it and events carry it. */
export type Conversation = ApiAnswer<'/nc-api/v1/conversations/{id}/status', 'post'>;
export type ConversationStatus = Conversation['status'];
export type Contact = Conversation['contact'];
/** An inbox row: list entries carry a preview and a waiting count; one that arrived by event may not yet. */
export type ConversationRow = Conversation &
  Partial<Pick<Row<ApiAnswer<'/nc-api/v1/conversations', 'get'>>, 'last_message' | 'unanswered_count'>>;

export type Webhook = Row<ApiAnswer<'/nc-api/v1/webhooks', 'get'>>;
export type WebhookEvent = Webhook['events'][number];
export type WebhookDelivery = Row<ApiAnswer<'/nc-api/v1/webhooks/{id}/deliveries', 'get'>>;

export type SlaPolicy = ApiAnswer<'/nc-api/v1/sla/policy', 'get'>;
export type SlaStatus = ApiAnswer<'/api/v1/sla/status', 'get'>;
export type SlaState = SlaStatus['conversations'][number]['state'];

export type AiReport = ApiAnswer<'/nc-api/v1/reports/ai', 'get'>;
export type SummaryReport = ApiAnswer<'/nc-api/v1/reports/summary', 'get'>;

export type CannedResponse = Row<ApiAnswer<'/nc-api/v1/canned_responses', 'get'>>;
export type Label = Row<ApiAnswer<'/nc-api/v1/labels', 'get'>>;
export type ContactRow = Row<ApiAnswer<'/nc-api/v1/contacts', 'get'>>;
export type ContactDetail = ApiAnswer<'/nc-api/v1/contacts/{id}', 'get'>;

/**
 * What the realtime socket sends (the protocol in the API docs' introduction; it has no OpenAPI
 * operation): the message and conversation inside are the API's shapes.
 */
export type RealtimeEvent = {
  id: number | null;
  type:
    | 'conversation_created'
    | 'conversation_updated'
    | 'conversation_resolved'
    | 'message_created'
    | 'message_updated'
    | 'sla_breached'
    | 'typing';
  account_id: number;
  conversation_id: number | null;
  data: {
    message?: Message;
    conversation?: Conversation;
    typing?: boolean;
    /** Who typed, or who changed the conversation (`conversation_updated`). */
    sender?: { type: Message['sender']['type']; id: number | null; name: string | null };
    changed_attributes?: ('status' | 'bot_active' | 'assignee' | 'labels')[];
  };
  created_at: string;
};
