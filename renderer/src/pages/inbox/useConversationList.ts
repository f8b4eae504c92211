import { useCallback, useRef, useState } from 'react';
import { listConversations } from '../../api/conversations.js';
import type { Conversation, ConversationRow, Message, RealtimeEvent } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { useRealtimeEvents } from '../../realtime/RealtimeContext.js';
import { byRecency, matchesFilters, queryOf, type ConversationFilters } from './filters.js';

/** What a new public message changes on a list entry: its preview and how many contact messages await a reply. */
function withMessage(row: ConversationRow, message: Message | null): ConversationRow {
  if (!message) return row;
  const waiting =
    message.message_type === 'incoming' ? (row.unanswered_count ?? 0) + 1 : message.message_type === 'outgoing' ? 0 : row.unanswered_count;
  return { ...row, last_message: message, last_message_at: message.created_at, unanswered_count: waiting };
}

/** The filtered list, kept current by realtime events (new conversations appear, changed ones move or leave). */
export function useConversationList(filters: ConversationFilters, myAgentId: number | null) {
  const [serverTotal, setServerTotal] = useState(0);
  const loaded = useRef(0);
  const pagesLoaded = useRef(1);
  const list = useApiData(
    async (signal) => {
      const res = await listConversations(queryOf(filters), 1, signal);
      setServerTotal(res.total);
      loaded.current = res.rows.length;
      pagesLoaded.current = 1;
      return res.rows;
    },
    [filters.status, filters.domain_id, filters.assignee, filters.label],
  );
  const { setData } = list;

  /** Appends the next page. Rows that moved up meanwhile are already on screen and are not repeated. */
  const loadMore = useCallback(async () => {
    const res = await listConversations(queryOf(filters), pagesLoaded.current + 1);
    pagesLoaded.current += 1;
    const known = new Set(list.data?.map((r) => r.id));
    const added = res.rows.filter((r) => !known.has(r.id));
    loaded.current = (list.data?.length ?? 0) + added.length;
    setServerTotal(res.total);
    setData((rows) => [...(rows ?? []), ...added.filter((r) => !rows?.some((row) => row.id === r.id))]);
  }, [filters, list.data, setData]);

  const upsert = useCallback(
    (c: Conversation, message: Message | null) =>
      setData((rows) => {
        if (!rows) return rows;
        const previous = rows.find((r) => r.id === c.id);
        const without = rows.filter((r) => r.id !== c.id);
        if (!matchesFilters(c, filters, myAgentId)) return without;
        return [withMessage({ ...previous, ...c }, message), ...without].sort(byRecency);
      }),
    [setData, filters, myAgentId],
  );

  useRealtimeEvents((e: RealtimeEvent) => {
    const message = e.type === 'message_created' && e.data.message && !e.data.message.private ? e.data.message : null;
    if (e.data.conversation) return upsert(e.data.conversation, message);
    if (!message) return;
    const row = list.data?.find((r) => r.id === message.conversation_id);
    // A conversation not on screen got a message: reload, so it shows up if it matches the filters.
    if (!row) return void list.reload();
    setData((rows) => rows && [withMessage(row, message), ...rows.filter((r) => r.id !== row.id)]);
  });

  // Rows that arrived or left live since the last load move the count too.
  const total = serverTotal + ((list.data?.length ?? loaded.current) - loaded.current);
  return { ...list, total, loadMore };
}
