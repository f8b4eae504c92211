import { useEffect, useRef, useState, type RefObject } from 'react';
import type { LoadedConversation } from '../../api/conversations.js';
import { attempt } from '../../components/notify.js';

const FLASH_MS = 1500;

/**
 * Brings message `messageId` (the hit of an inbox search) into the middle of `viewport`: pages back through earlier
 * messages until it is loaded, then scrolls to it once per `request` (a new one, the same hit opened again, scrolls
 * again). Answers the id to flash, for a moment after it is reached.
 */
export function useScrollToMessage(
  viewport: RefObject<HTMLElement | null>,
  messageId: number | null,
  request: string,
  loaded: LoadedConversation | null | undefined,
  loadEarlier: () => Promise<void>,
): number | null {
  const [flashing, setFlashing] = useState<number | null>(null);
  const reached = useRef<string | null>(null);
  const oldestId = loaded?.messages[0]?.id;
  const isLoaded = !!loaded;

  useEffect(() => {
    if (messageId === null || !loaded || reached.current === request) return;
    if (loaded.messages.some((m) => m.id === messageId)) {
      reached.current = request;
      viewport.current?.querySelector(`[data-message-id="${messageId}"]`)?.scrollIntoView({ block: 'center' });
      setFlashing(messageId);
      return;
    }
    // Ids grow with time: an id below the oldest one shown is further back. Each page loaded runs this again.
    if (loaded.hasEarlier && oldestId !== undefined && messageId < oldestId) void attempt(loadEarlier);
  }, [messageId, request, oldestId, isLoaded]);

  useEffect(() => {
    if (flashing === null) return;
    const timer = setTimeout(() => setFlashing(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flashing]);

  return flashing;
}
