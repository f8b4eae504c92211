import { addressKey } from '../client-address.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Audience } from './audience.js';

/** Seconds a refused client is told to wait: a slot frees when one of the other connections closes. */
const RETRY_AFTER_SECONDS = 30;

type Counted = { key: string; limit: number; what: string };

/**
 * Caps on live connections (WebSocket and SSE together, on this server): a widget's per conversation
 * and per client address; a console's per signed-in user or API key, not per address, since a whole
 * office may sit behind one NAT. `admit` takes a slot or throws a 429, and returns the function that
 * gives it back (safe to call more than once).
 */
export class ConnectionCaps {
  private readonly open = new Map<string, number>();

  constructor(private readonly config: Pick<Config, 'realtimeMaxPerConversation' | 'realtimeMaxPerAddress' | 'realtimeMaxPerUser'>) {}

  private counted(audience: Audience, address: string): Counted[] {
    if (audience.kind === 'console')
      return [{ key: `principal:${audience.principalKey}`, limit: this.config.realtimeMaxPerUser, what: 'for this user' }];
    return [
      { key: `conversation:${audience.conversationId}`, limit: this.config.realtimeMaxPerConversation, what: 'on this conversation' },
      { key: `address:${addressKey(address)}`, limit: this.config.realtimeMaxPerAddress, what: 'from this address' },
    ];
  }

  admit(audience: Audience, address: string): () => void {
    const counted = this.counted(audience, address);
    // Checked and taken in one synchronous step, so concurrent handshakes cannot overshoot.
    const full = counted.find(({ key, limit }) => (this.open.get(key) ?? 0) >= limit);
    if (full)
      throw new AppError(
        429,
        'too_many_connections',
        `Too many live connections ${full.what} (at most ${full.limit}); close one or try again later.`,
        { limit: full.limit, retry_after: RETRY_AFTER_SECONDS },
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    for (const { key } of counted) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const { key } of counted) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
  }
}
