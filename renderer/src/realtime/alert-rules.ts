import type { RealtimeEvent } from '../api/types.js';

/** Why the console calls for an agent's attention: a system notification and the chime. */
export type Alert = { kind: 'new_conversation' | 'handed_off' | 'assigned_to_you'; title: string; body: string; conversationId: number };

/**
 * Which realtime events call the signed-in agent (`agentId`): a visitor starting a conversation, the AI agent handing
 * one to the humans, and someone else assigning one to them. Nothing the agent did themself.
 */
export function alertFor(event: RealtimeEvent, agentId: number | null): Alert | null {
  const conversation = event.data.conversation;
  if (event.conversation_id === null || !conversation) return null;
  const conversationId = event.conversation_id;
  const contact = conversation.contact?.name || conversation.contact?.email || 'A visitor';
  // A conversation an agent started is assigned to them at once: not a customer waiting.
  if (event.type === 'conversation_created')
    return conversation.assignee
      ? null
      : { kind: 'new_conversation', title: 'New conversation', body: `${contact} started a conversation`, conversationId };
  if (event.type !== 'conversation_updated') return null;
  const { sender, changed_attributes: changed = [] } = event.data;
  if (!sender || (sender.type === 'agent' && sender.id === agentId)) return null;
  if (sender.type === 'bot' && changed.includes('status') && conversation.status === 'pending')
    return {
      kind: 'handed_off',
      title: 'Handed to the team',
      body: `${sender.name ?? 'The AI agent'} handed ${contact} to a person`,
      conversationId,
    };
  if (changed.includes('assignee') && agentId !== null && conversation.assignee?.id === agentId)
    return {
      kind: 'assigned_to_you',
      title: 'Assigned to you',
      body: `${sender.name ?? 'Someone'} assigned you the conversation with ${contact}`,
      conversationId,
    };
  return null;
}
