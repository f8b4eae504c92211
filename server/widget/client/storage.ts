import type { Session } from './types.js';

/**
 * The visitor's conversation, kept per website token so it survives reloads. Storage can be blocked
 * (private modes, sandboxed frames): then the conversation lasts as long as the page.
 */
const key = (websiteToken: string) => `nova-chat:${websiteToken}`;

export function loadSession(websiteToken: string): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(key(websiteToken)) ?? 'null') as Session | null;
    return value && typeof value.conversation_id === 'number' && typeof value.conversation_token === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(websiteToken: string, session: Session): void {
  try {
    localStorage.setItem(key(websiteToken), JSON.stringify(session));
  } catch {
    /* storage blocked: keep it in memory only */
  }
}

export function clearSession(websiteToken: string): void {
  try {
    localStorage.removeItem(key(websiteToken));
  } catch {
    /* nothing stored */
  }
}
