import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Deps } from '../deps.js';
import { presentConversation, presentMessage } from '../conversations/presenter.js';
import { conversationsAfter, messagesOfConversations, type ConversationRow, type MessageRow } from '../conversations/repo.js';
import { validationFailed } from '../errors.js';
import { instantOf } from '../reports/window.js';

/** Conversations read per batch: memory stays bounded however large the account. */
const BATCH = 200;

type Window = { since?: string; until?: string };

/** Every conversation of the account in the window with its messages, a batch at a time, as the reader pulls. */
async function* conversationsWithMessages(deps: Deps, accountId: number, window: Window) {
  let afterId = 0;
  for (;;) {
    const conversations = await conversationsAfter(deps.db, accountId, afterId, BATCH, window);
    if (!conversations.length) return;
    const messages = await messagesOfConversations(
      deps.db,
      accountId,
      conversations.map((c) => c.id),
    );
    const byConversation = new Map<number, MessageRow[]>();
    for (const m of messages) byConversation.set(m.conversation_id, [...(byConversation.get(m.conversation_id) ?? []), m]);
    for (const conversation of conversations) yield { conversation, messages: byConversation.get(conversation.id) ?? [] };
    afterId = conversations.at(-1)!.id;
  }
}

const CSV_COLUMNS = [
  'conversation_id',
  'conversation_status',
  'conversation_created_at',
  'website_id',
  'contact_name',
  'contact_email',
  'contact_verified',
  'labels',
  'message_id',
  'message_created_at',
  'message_type',
  'private',
  'sender_type',
  'sender_name',
  'content',
];

/** One CSV row per message (a conversation without any gets one row of its own). */
function* csvRows(conversation: ConversationRow, messages: MessageRow[]) {
  const about = {
    conversation_id: conversation.id,
    conversation_status: conversation.status,
    conversation_created_at: conversation.created_at,
    website_id: conversation.domain_id,
    contact_name: conversation.contact_name,
    contact_email: conversation.contact_email,
    contact_verified: conversation.contact_verified,
    labels: conversation.labels.join(' '),
  };
  if (!messages.length) yield about;
  for (const m of messages)
    yield {
      ...about,
      message_id: m.id,
      message_created_at: m.created_at,
      message_type: m.message_type,
      private: m.private,
      sender_type: m.sender_type,
      sender_name: m.sender_name,
      content: m.content,
    };
}

/**
 * The account's conversations with their messages, private notes and activity lines included, as a stream:
 * CSV (cells a spreadsheet would run as a formula — starting with = + - @, tab or CR — get a leading ')
 * or one JSON document `{"data":[…]}`.
 */
export function exportConversations(deps: Deps, accountId: number, format: 'csv' | 'json', query: Window): Readable {
  const window = {
    since: query.since && instantOf(query.since, 'start').toISOString(),
    until: query.until && instantOf(query.until, 'end').toISOString(),
  };
  if (window.since && window.until && window.since >= window.until)
    throw validationFailed([{ field: 'since', message: 'must be before until' }]);
  const source = conversationsWithMessages(deps, accountId, window);
  if (format === 'csv') {
    const rows = Readable.from(
      (async function* () {
        for await (const { conversation, messages } of source) yield* csvRows(conversation, messages);
      })(),
    );
    const csv = stringify({ header: true, columns: CSV_COLUMNS, escape_formulas: true, cast: { boolean: (value) => String(value) } });
    rows.on('error', (err) => csv.destroy(err));
    return rows.pipe(csv);
  }
  return Readable.from(
    (async function* () {
      yield '{"data":[';
      let first = true;
      for await (const { conversation, messages } of source) {
        yield (first ? '' : ',') + JSON.stringify({ ...presentConversation(conversation), messages: messages.map(presentMessage) });
        first = false;
      }
      yield ']}';
    })(),
  );
}
