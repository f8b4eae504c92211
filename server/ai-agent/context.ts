import type { Knex } from 'knex';
import { findAgent } from '../agents/repo.js';
import { botConversationsSince, findConversation, publicMessages, type MessageRow } from '../conversations/repo.js';
import { findDomain } from '../domains/repo.js';

/** What the agent needs to know about a conversation before it speaks in it. */
export type AgentContext = {
  conversation: {
    id: number;
    account_id: number;
    domain_id: number;
    status: string;
    bot_active: boolean;
    /** The widget's language, else the website's configured one (either may be missing). */
    locale: string | null;
    site_locale: string | null;
    contact_email: string | null;
  };
  /** The AI agent attached to the conversation's website, if its AI config is active. */
  agent: { id: number; bot_name: string; greeting_message: string | null; system_prompt: string | null } | null;
};

/** The conversation, its website's settings and the website's AI agent, each read from the folder that owns it. */
export async function loadAgentContext(db: Knex, accountId: number, conversationId: number): Promise<AgentContext | undefined> {
  const conversation = await findConversation(db, accountId, conversationId);
  if (!conversation) return undefined;
  const domain = await findDomain(db, accountId, conversation.domain_id);
  const agent = domain?.ai_active && domain.ai_agent_id !== null ? await findAgent(db, accountId, domain.ai_agent_id) : undefined;
  return {
    conversation: {
      id: conversation.id,
      account_id: conversation.account_id,
      domain_id: conversation.domain_id,
      status: conversation.status,
      bot_active: conversation.bot_active,
      locale: conversation.locale,
      site_locale: domain?.widget_settings.locale ?? null,
      contact_email: conversation.contact_email,
    },
    agent:
      agent?.type === 'ai'
        ? { id: agent.id, bot_name: agent.bot_name, greeting_message: agent.greeting_message, system_prompt: agent.system_prompt }
        : null,
  };
}

/**
 * Whether the agent still has the conversation: a human reply or a hand-off turns it off, and a resolved
 * conversation is done (the contact writing again reopens it, and the agent with it).
 */
export const botHolds = (conversation: { bot_active: boolean; status: string }) =>
  conversation.bot_active && conversation.status !== 'resolved';

export async function isBotActive(db: Knex, accountId: number, conversationId: number): Promise<boolean> {
  const conversation = await findConversation(db, accountId, conversationId);
  return conversation ? botHolds(conversation) : false;
}

/**
 * Conversations the bot still holds whose newest public message (activity aside) is the contact's and
 * was written after `since`: what was left unanswered when the server stopped.
 */
export async function unansweredBotConversations(
  db: Knex,
  since: string,
  limit: number,
): Promise<{ account_id: number; conversation_id: number; message: MessageRow }[]> {
  const waiting = [];
  for (const c of await botConversationsSince(db, since, limit)) {
    const last = (await publicMessages(db, c.account_id, c.id, { limit: 5 })).filter((m) => m.message_type !== 'activity').at(-1);
    if (last?.message_type === 'incoming' && last.sender_type === 'contact')
      waiting.push({ account_id: c.account_id, conversation_id: c.id, message: last });
  }
  return waiting;
}
