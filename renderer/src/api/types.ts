/** Shapes of the public API as the console reads them (see shared/reference/api-contract.md). */

export type List<T> = { data: T[]; meta?: { total: number; page: number; per_page: number } };

export type Account = { id: number; name: string; plan: string; trial_ends_at: string | null };
export type User = { id: number; email: string; name: string | null; role?: 'admin' | 'agent'; is_instance_admin?: boolean };
export type Me = { user: User; account: Account; agent_id: number | null };

export type Limits = { domains: number; agents: number; kb_items: number };
export type AccountStatus = {
  plan: string;
  trial_ends_at: string | null;
  limits: Limits;
  usage: Limits;
  agentic_rag_enabled: boolean;
  domains: DomainSummary[];
};

export type WidgetSettings = {
  position?: 'bottom_left' | 'bottom_right';
  color?: string;
  title?: string;
  launcher_text?: string;
  locale?: string;
};

export type DomainSummary = { id: number; website_url: string; label: string | null; website_token: string; inbox_id: number };
export type Domain = DomainSummary & {
  ai_config: { ai_bot_config_id: number | null; is_active: boolean };
  widget_settings: WidgetSettings;
  widget_code: string;
  created_at: string;
};

export type AiAgent = {
  id: number;
  type: 'ai';
  name: string;
  bot_name: string;
  greeting_message: string | null;
  system_prompt: string | null;
  domain_ids: number[];
};
export type HumanAgent = {
  id: number;
  type: 'human';
  name: string;
  email: string;
  role: 'admin' | 'agent';
  is_owner: boolean;
  created_at: string;
};
export type Agent = AiAgent | HumanAgent;

export type ApiKey = {
  id: number;
  name: string;
  prefix: string;
  permissions: ('read' | 'write')[];
  created_at: string;
  last_used_at: string | null;
};

export type KbItem = {
  id: number;
  title: string;
  content: string;
  category: string | null;
  tags: string[];
  created_at?: string;
  updated_at?: string;
};
export type KbSearchHit = { item: KbItem; score: number };
export type KbDraft = {
  id: number;
  title: string;
  content: string;
  category: string | null;
  tags: string[];
  status: 'draft' | 'approved' | 'rejected';
  source_conversation_id: number | null;
};

export type Contact = { id: number; name: string | null; email: string | null };
export type ConversationStatus = 'open' | 'pending' | 'resolved';
export type Conversation = {
  id: number;
  status: ConversationStatus;
  domain_id: number;
  inbox_id?: number;
  contact: Contact;
  assignee: { id: number; name: string | null } | null;
  bot_active: boolean;
  created_at: string;
  updated_at?: string;
  last_message_at?: string | null;
  last_message?: Message | null;
  /** Contact messages since the last public reply (list entries only). */
  unanswered_count?: number;
  messages?: Message[];
  /** Show route only: messages older than those included exist. */
  has_earlier_messages?: boolean;
};
export type Message = {
  id: number;
  conversation_id: number;
  content: string;
  message_type: 'incoming' | 'outgoing' | 'activity';
  private: boolean;
  sender: { type: 'contact' | 'bot' | 'agent'; id: number | null; name: string | null };
  created_at: string;
};

export type Webhook = { id: number; url: string; events: string[]; created_at?: string; active?: boolean };
export type WebhookDelivery = {
  id: number;
  delivery_id: string;
  event: string;
  status: string;
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
  next_attempt_at: string | null;
};

export type SlaPolicy = {
  first_response_minutes: number;
  resolution_minutes: number;
  business_hours?: { timezone: string; days: number[]; start: string; end: string } | null;
};
export type SlaState = 'ok' | 'at_risk' | 'breached';
export type SlaStatus = {
  policy: SlaPolicy;
  counts: Record<SlaState, number>;
  conversations: { id: number; first_response_due_at: string | null; resolution_due_at: string | null; state: SlaState }[];
};

/** What the realtime socket sends (see the brief's "Events"). */
export type RealtimeEvent = {
  id: number | null;
  type: 'conversation_created' | 'conversation_updated' | 'conversation_resolved' | 'message_created' | 'sla_breached' | 'typing' | string;
  account_id: number;
  conversation_id: number | null;
  data: { message?: Message; conversation?: Conversation; typing?: boolean; sender?: { type: string; name: string } };
  created_at: string;
};

export const assigneeIdOf = (c: Conversation): number | null => c.assignee?.id ?? null;
