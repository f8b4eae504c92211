import { useCallback, useState } from 'react';
import type { Conversation, RealtimeEvent } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { useRealtimeEvents } from '../../realtime/RealtimeContext.js';
import { byRecency, listConversations, matchesFilters, type ConversationFilters } from './api.js';


/** The filtered list, kept current by realtime events (new conversations appear, changed ones move or leave). */
export function useConversationList(filters: ConversationFilters, myAgentId: number | null) {
  const [total, setTotal] = useState(0);
  const list = useApiData(
    async (signal) => {
      const res = await listConversations(filters, signal);
      setTotal(res.meta?.total ?? res.data.length);
      return res.data;
    },
    [filters.status, filters.domain_id, filters.assignee],
  );
  const { setData } = list;

  const upsert = useCallback(
    (c: Conversation) =>
      setData((rows) => {
        if (!rows) return rows;
        const without = rows.filter((r) => r.id !== c.id);
        if (!matchesFilters(c, filters, myAgentId)) return without;
        const previous = rows.find((r) => r.id === c.id);
        return [{ ...previous, ...c }, ...without].sort(byRecency);
      }),
    [setData, filters, myAgentId],
  );

  useRealtimeEvents((e: RealtimeEvent) => {
    if (e.data.conversation) upsert(e.data.conversation);
    else if (e.type === 'message_created' && e.data.message && !e.data.message.private) {
      const message = e.data.message;
      const row = list.data?.find((r) => r.id === message.conversation_id);
      // A conversation not on screen got a message: reload, so it shows up if it matches the filters.
      if (!row) return void list.reload();
      const updated = { ...row, last_message: message, last_message_at: message.created_at };
      setData((rows) => rows && [updated, ...rows.filter((r) => r.id !== row.id)]);
    }
  });

  return { ...list, total };
}
