import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { RealtimeEvent } from '../api/types.js';
import { useMe } from '../auth/AuthContext.js';
import { alertFor } from './alert-rules.js';
import { playChime, showDesktopNotification } from './alerts.js';
import { useRealtimeEvents } from './RealtimeContext.js';

type Activity = {
  /** Unread contact messages per conversation, counted since this tab opened. */
  unread: Record<number, number>;
  totalUnread: number;
  /** The conversation on screen: its messages are read as they arrive. */
  setViewing: (id: number | null) => void;
  markRead: (id: number) => void;
};

const ActivityContext = createContext<Activity | null>(null);

export function ActivityProvider({ children }: { children: React.ReactNode }) {
  const [unread, setUnread] = useState<Record<number, number>>({});
  const viewing = useRef<number | null>(null);
  const navigate = useNavigate();
  const me = useMe();

  useRealtimeEvents((e: RealtimeEvent) => {
    const id = e.conversation_id;
    if (id === null) return;
    const alert = alertFor(e, me.agent_id);
    // Not for the conversation the agent is looking at: they see it happen.
    if (alert && !(viewing.current === id && document.hasFocus())) {
      playChime();
      showDesktopNotification(alert.title, alert.body, () => navigate(`/inbox/${id}`), {
        tag: `${alert.kind}:${id}`,
        whileVisible: true,
      });
    }
    if (e.type === 'message_created' && e.data.message?.message_type === 'incoming') {
      if (viewing.current === id && !document.hidden) return;
      setUnread((u) => ({ ...u, [id]: (u[id] ?? 0) + 1 }));
      showDesktopNotification(e.data.message.sender.name || 'Visitor', e.data.message.content.slice(0, 120), () =>
        navigate(`/inbox/${id}`),
      );
    }
  });

  const markRead = useCallback((id: number) => {
    setUnread((u) => {
      if (!u[id]) return u;
      const { [id]: _read, ...rest } = u;
      return rest;
    });
  }, []);

  const setViewing = useCallback(
    (id: number | null) => {
      viewing.current = id;
      if (id !== null) markRead(id);
    },
    [markRead],
  );

  const value = useMemo<Activity>(
    () => ({ unread, totalUnread: Object.values(unread).reduce((a, b) => a + b, 0), setViewing, markRead }),
    [unread, setViewing, markRead],
  );
  return <ActivityContext.Provider value={value}>{children}</ActivityContext.Provider>;
}

export function useActivity(): Activity {
  const ctx = useContext(ActivityContext);
  if (!ctx) throw new Error('useActivity outside ActivityProvider');
  return ctx;
}
