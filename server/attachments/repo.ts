import type { Knex } from 'knex';
import type { PreparedAttachment } from './prepare.js';

/** What a message keeps of each of its attachments (`messages.attachments`), enough to present them. */
export type AttachmentMeta = { id: number; filename: string; content_type: string; size: number; thumbnail: boolean };

/** An attachment with where it belongs: its message, and whether that is a private note (never the widget's). */
export type AttachmentRow = Omit<AttachmentMeta, 'thumbnail'> & {
  account_id: number;
  conversation_id: number;
  message_id: number;
  message_private: boolean;
  has_thumbnail: boolean;
};

/**
 * Stores the files of a message about to be written, in its transaction; `linkAttachments` then names the
 * message. Until that commits nothing of it is visible, so a failed write leaves no file behind.
 */
export async function insertAttachments(
  trx: Knex.Transaction,
  owner: { accountId: number; conversationId: number },
  files: PreparedAttachment[],
  createdAt: string,
): Promise<AttachmentMeta[]> {
  const stored: AttachmentMeta[] = [];
  // One row each: a multi-row insert of 50 MB of parameters gains nothing and holds it all twice.
  for (const file of files) {
    const [row] = await trx('attachments')
      .insert({
        account_id: owner.accountId,
        conversation_id: owner.conversationId,
        filename: file.filename,
        content_type: file.content_type,
        size: file.size,
        data: file.data,
        thumbnail: file.thumbnail,
        created_at: createdAt,
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? (row as { id: number }).id : row);
    stored.push({ id, filename: file.filename, content_type: file.content_type, size: file.size, thumbnail: file.thumbnail !== null });
  }
  return stored;
}

export async function linkAttachments(trx: Knex.Transaction, ids: number[], messageId: number): Promise<void> {
  if (ids.length) await trx('attachments').whereIn('id', ids).update({ message_id: messageId });
}

/** An attachment of the account's (never its bytes: see `attachmentBytes`), or undefined. */
export async function findAttachment(db: Knex, accountId: number, id: number): Promise<AttachmentRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row = await db('attachments as a')
    .join('messages as m', 'm.id', 'a.message_id')
    .where({ 'a.account_id': accountId, 'a.id': id })
    .first(
      'a.id',
      'a.account_id',
      'a.conversation_id',
      'a.message_id',
      'a.filename',
      'a.content_type',
      'a.size',
      'm.private as message_private',
      db.raw('(a.thumbnail is not null) as has_thumbnail'),
    );
  return row ? { ...row, message_private: Boolean(row.message_private), has_thumbnail: Boolean(row.has_thumbnail) } : undefined;
}

/** The file itself, or its thumbnail (null when it has none). */
export async function attachmentBytes(db: Knex, id: number, part: 'data' | 'thumbnail'): Promise<Buffer | null> {
  const row = await db('attachments').where({ id }).first(part);
  return (row?.[part] as Buffer | null | undefined) ?? null;
}
