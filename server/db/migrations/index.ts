import type { Knex } from 'knex';
import * as accounts from './001_accounts.js';
import * as knowledgeBase from './002_knowledge_base.js';
import * as retrieval from './003_retrieval.js';
import * as conversations from './004_conversations.js';
import * as events from './005_events.js';
import * as webhooks from './006_webhooks.js';
import * as sla from './007_sla.js';
import * as agenticRag from './008_agentic_rag.js';
import * as tokenVersions from './009_token_versions.js';
import * as kbQuestions from './010_kb_questions.js';
import * as rateLimits from './011_rate_limits.js';
import * as kbIndexChanges from './012_kb_index_changes.js';
import * as instanceSettings from './013_instance_settings.js';
import * as aiReplies from './014_ai_replies.js';
import * as idempotencyKeys from './015_idempotency_keys.js';
import * as identityValidation from './016_identity_validation.js';
import * as instanceSecrets from './017_instance_secrets.js';
import * as csatRatings from './018_csat_ratings.js';
import * as cannedResponsesLabels from './019_canned_responses_labels.js';
import * as leases from './020_leases.js';
import * as contactNotes from './021_contact_notes.js';
import * as attachments from './022_attachments.js';
import * as backups from './023_backups.js';
import * as messageSearch from './024_message_search.js';
import * as sealedIdentitySecrets from './025_sealed_identity_secrets.js';
import * as messagesByType from './026_messages_by_type.js';
import * as messageSearchInBatches from './027_message_search_in_batches.js';

/**
 * Migrations are listed here rather than read from a folder so they survive bundling into the
 * Electron app. They run in name order; never edit one that has shipped.
 */
const migrations: Record<string, Knex.Migration> = {
  '001_accounts': accounts,
  '002_knowledge_base': knowledgeBase,
  '003_retrieval': retrieval,
  '004_conversations': conversations,
  '005_events': events,
  '006_webhooks': webhooks,
  '007_sla': sla,
  '008_agentic_rag': agenticRag,
  '009_token_versions': tokenVersions,
  '010_kb_questions': kbQuestions,
  '011_rate_limits': rateLimits,
  '012_kb_index_changes': kbIndexChanges,
  '013_instance_settings': instanceSettings,
  '014_ai_replies': aiReplies,
  '015_idempotency_keys': idempotencyKeys,
  '016_identity_validation': identityValidation,
  '017_instance_secrets': instanceSecrets,
  '018_csat_ratings': csatRatings,
  '019_canned_responses_labels': cannedResponsesLabels,
  '020_leases': leases,
  '021_contact_notes': contactNotes,
  '022_attachments': attachments,
  '023_backups': backups,
  '024_message_search': messageSearch,
  '025_sealed_identity_secrets': sealedIdentitySecrets,
  '026_messages_by_type': messagesByType,
  '027_message_search_in_batches': messageSearchInBatches,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
