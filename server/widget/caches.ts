import { LRUCache } from 'lru-cache';
import type { ConversationRow } from '../conversations/repo.js';
import type { DomainRow } from '../domains/repo.js';

/**
 * Widget traffic is mostly messages on existing conversations; looking up the website and the
 * conversation in the database for each would cost two queries a message. Websites are cached for a
 * few seconds (a changed widget setting shows within that; `false` remembers an unknown token);
 * conversations by id, for what never changes (account, website, contact, token hash). The write itself
 * re-reads the conversation, so a deleted one is still a 404. One per running server.
 */
export class WidgetCaches {
  readonly websites = new LRUCache<string, DomainRow | false>({ max: 10_000, ttl: 5_000 });
  readonly conversations = new LRUCache<number, ConversationRow>({ max: 100_000, ttl: 30_000 });
}
