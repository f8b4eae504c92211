import { useEffect, useRef, useState } from 'react';
import { earlierMessages, getConversation } from '../../api/conversations.js';
import type { Message, RealtimeEvent } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { useRealtimeEvents } from '../../realtime/RealtimeContext.js';

/** One conversation with its messages; live messages, their changes and status changes are merged in as they arrive. */
export function useConversation(id: number | null) {
  const state = useApiData(async (signal) => (id === null ? null : getConversation(id, signal)), [id]);
  const { setData } = state;
  const [typing, setTyping] = useState<string | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  useRealtimeEvents((e: RealtimeEvent) => {
    if (id === null || e.conversation_id !== id) return;
    if (e.type === 'typing' && e.data.sender?.type === 'contact') {
      clearTimeout(typingTimer.current);
      // A visitor who stops sending "typing" (closed tab) stops showing as typing after a while.
      setTyping(e.data.typing ? e.data.sender.name || 'Visitor' : null);
      if (e.data.typing) typingTimer.current = setTimeout(() => setTyping(null), 8000);
    } else if (e.type === 'message_created' && e.data.message) {
      addMessage(e.data.message);
      if (e.data.message.message_type === 'incoming') setTyping(null);
    } else if (e.type === 'message_updated' && e.data.message) {
      // A choice picked or feedback given: the message shown is replaced by its new version.
      const updated = e.data.message;
      setData((d) => d && { ...d, messages: d.messages.map((m) => (m.id === updated.id ? updated : m)) });
    }
    const conversation = e.data.conversation;
    if (conversation) setData((d) => d && { ...d, conversation: { ...d.conversation, ...conversation } });
  });

  function addMessage(message: Message) {
    setData((d) => {
      if (!d || d.messages.some((m) => m.id === message.id)) return d;
      return { ...d, messages: [...d.messages, message].sort((a, b) => a.id - b.id) };
    });
  }

  /** Prepends the page of messages before the oldest one shown. */
  async function loadEarlier() {
    const first = state.data?.messages[0];
    if (!first || id === null) return;
    const page = await earlierMessages(id, first.id);
    setData((d) => {
      if (!d || d.conversation.id !== id) return d;
      const known = new Set(d.messages.map((m) => m.id));
      return { ...d, messages: [...page.messages.filter((m) => !known.has(m.id)), ...d.messages], hasEarlier: page.hasEarlier };
    });
  }

  return { ...state, addMessage, loadEarlier, typing };
}
