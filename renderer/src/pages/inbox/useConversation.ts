import type { Message, RealtimeEvent } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { useRealtimeEvents } from '../../realtime/RealtimeContext.js';
import { getConversation } from './api.js';

/** One conversation with its messages; live messages and status changes are merged in as they arrive. */
export function useConversation(id: number | null) {
  const state = useApiData(async (signal) => (id === null ? null : getConversation(id, signal)), [id]);
  const { setData } = state;

  useRealtimeEvents((e: RealtimeEvent) => {
    if (id === null || e.conversation_id !== id) return;
    if (e.type === 'message_created' && e.data.message) addMessage(e.data.message);
    else if (e.data.conversation) {
      const conversation = e.data.conversation;
      setData((d) => d && { ...d, conversation: { ...d.conversation, ...conversation } });
    }
  });

  function addMessage(message: Message) {
    setData((d) => {
      if (!d || d.messages.some((m) => m.id === message.id)) return d;
      return { ...d, messages: [...d.messages, message].sort((a, b) => a.id - b.id) };
    });
  }

  return { ...state, addMessage };
}
