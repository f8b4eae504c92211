import type { Knex } from 'knex';
import * as accounts from './001_accounts.js';
import * as knowledgeBase from './002_knowledge_base.js';

/**
 * Migrations are listed here rather than read from a folder so they survive bundling into the
 * Electron app. Append new ones at the end; never edit one that has shipped.
 */
const migrations: Record<string, Knex.Migration> = {
  '001_accounts': accounts,
  '002_knowledge_base': knowledgeBase,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
