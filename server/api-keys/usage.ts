import type { Knex } from 'knex';
import { stampKeyUsed } from './repo.js';

const STAMP_EVERY_MS = 60_000;

/** Best-effort `last_used_at` of API keys, written at most once a minute per key. One per running server. */
export class ApiKeyUsage {
  private readonly lastStamped = new Map<number, number>();

  constructor(private readonly db: Knex) {}

  touch(id: number): void {
    const now = Date.now();
    if (now - (this.lastStamped.get(id) ?? 0) < STAMP_EVERY_MS) return;
    this.lastStamped.set(id, now);
    stampKeyUsed(this.db, id);
  }
}
