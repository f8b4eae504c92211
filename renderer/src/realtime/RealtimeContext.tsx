import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { tokenStore, UNAUTHORIZED_EVENT } from '../api/client.js';
import type { RealtimeEvent } from '../api/types.js';
import { RealtimeConnection, type ConnectionState } from './connection.js';

type Listener = (event: RealtimeEvent) => void;
type RealtimeValue = { state: ConnectionState; subscribe: (fn: Listener) => () => void; send: (data: unknown) => void };

const RealtimeContext = createContext<RealtimeValue | null>(null);

/** One socket per signed-in console tab, shared by every page that listens. */
export function RealtimeProvider({ children }: { children: React.ReactNode }) {
  const [state, setState] = useState<ConnectionState>('connecting');
  const listeners = useRef(new Set<Listener>());
  const connection = useRef<RealtimeConnection | null>(null);

  useEffect(() => {
    const conn = new RealtimeConnection({
      url: () => {
        const token = tokenStore.get();
        if (!token) return null;
        const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
        return `${scheme}://${location.host}/realtime?access_token=${encodeURIComponent(token)}`;
      },
      onEvent: (e) => listeners.current.forEach((fn) => fn(e)),
      onState: setState,
      // Ends the session as a 401 from the API does; signing in again starts a new connection.
      onRevoked: () => {
        tokenStore.clear();
        window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
      },
    });
    connection.current = conn;
    conn.start();
    return () => conn.stop();
  }, []);

  const value = useRef<RealtimeValue>({
    state: 'connecting',
    subscribe: (fn) => {
      listeners.current.add(fn);
      return () => listeners.current.delete(fn);
    },
    send: (data) => connection.current?.send(data),
  });

  return <RealtimeContext.Provider value={{ ...value.current, state }}>{children}</RealtimeContext.Provider>;
}

export function useRealtimeState(): ConnectionState {
  return useContext(RealtimeContext)?.state ?? 'closed';
}

export function useRealtimeSend(): (data: unknown) => void {
  return useContext(RealtimeContext)?.send ?? (() => undefined);
}

/** Calls `handler` (latest version) for every event pushed to this account. */
export function useRealtimeEvents(handler: Listener): void {
  const ctx = useContext(RealtimeContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => ctx?.subscribe((e) => latest.current(e)), [ctx?.subscribe]);
}
