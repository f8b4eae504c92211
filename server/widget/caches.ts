import { LRUCache } from 'lru-cache';
import type { ConversationRow } from '../conversations/repo.js';
import type { DomainRow } from '../domains/repo.js';

/**
 * Widget traffic is mostly messages on existing conversations; looking up the website and the
 * conversation in the database for each would cost two queries a message. Websites are cached for a
 * few seconds (`false` remembers an unknown token); a website changed or unbound through this server is
 * forgotten at once (`websiteChanged`), through another server of the same PostgreSQL within those
 * seconds — the routes whose answer depends on its current settings (identity validation, config) read
 * it fresh, and an unbound website's conversations are gone with it, so its writes are refused anyway.
 * Conversations are cached by id, for what never changes (account, website, contact, token hash); the
 * write itself re-reads the conversation, so a deleted one is still a 404. One per running server.
 */
export class WidgetCaches {
  readonly websites = new LRUCache<string, DomainRow | false>({ max: 10_000, ttl: 5_000 });
  readonly conversations = new LRUCache<number, ConversationRow>({ max: 100_000, ttl: 30_000 });

  /** The website of this token changed or was unbound: its next request reads it again. */
  websiteChanged(websiteToken: string): void {
    this.websites.delete(websiteToken);
  }
}
