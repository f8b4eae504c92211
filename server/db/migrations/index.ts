import type { Knex } from 'knex';
import * as accounts from './001_accounts.js';
import * as knowledgeBase from './002_knowledge_base.js';
import * as conversations from './004_conversations.js';
import * as events from './005_events.js';

/**
 * Migrations are listed here rather than read from a folder so they survive bundling into the
 * Electron app. They run in name order; never edit one that has shipped.
 */
const migrations: Record<string, Knex.Migration> = {
  '001_accounts': accounts,
  '002_knowledge_base': knowledgeBase,
  '004_conversations': conversations,
  '005_events': events,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
