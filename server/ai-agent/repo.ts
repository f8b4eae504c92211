import type { Knex } from 'knex';
import { nowIso } from '../db/knex.js';

/** One contact message the bot took (a question, or a request for a person) and how it ended. */
export type AiReplyRow = {
  id: number;
  account_id: number;
  conversation_id: number;
  question_message_id: number;
  question: string;
  intent: 'handoff' | null;
  move: 'answer' | 'choices' | 'handoff';
  reply_message_id: number | null;
  kb_item_id: number | null;
  picked_value: string | null;
  answer_message_id: number | null;
  handed_off: boolean;
  helpful: boolean | null;
  learned_question_id: number | null;
  created_at: string;
};

export type AiReplyChange = Partial<
  Pick<AiReplyRow, 'kb_item_id' | 'picked_value' | 'answer_message_id' | 'handed_off' | 'helpful' | 'learned_question_id'>
>;

const toReply = (row: Record<string, unknown> | undefined): AiReplyRow | undefined =>
  row
    ? ({
        ...row,
        handed_off: Boolean(row.handed_off),
        helpful: row.helpful === null || row.helpful === undefined ? null : Boolean(row.helpful),
      } as AiReplyRow)
    : undefined;

export async function insertAiReply(
  db: Knex,
  values: Omit<AiReplyRow, 'id' | 'created_at' | 'picked_value' | 'answer_message_id' | 'helpful' | 'learned_question_id'> &
    Partial<Pick<AiReplyRow, 'answer_message_id'>>,
  now: Date,
): Promise<number> {
  const [row] = await db('ai_replies')
    .insert({ ...values, created_at: nowIso(now) })
    .returning('id');
  return (row as { id: number }).id;
}

/** The reply whose bot message (choices, answer or hand-off) is `messageId`. */
export async function findAiReplyByMessage(db: Knex, accountId: number, messageId: number): Promise<AiReplyRow | undefined> {
  return toReply(await db('ai_replies').where({ account_id: accountId, reply_message_id: messageId }).first());
}

/** The reply whose answer (given directly, or after a pick) is `messageId`. */
export async function findAiReplyByAnswer(db: Knex, accountId: number, messageId: number): Promise<AiReplyRow | undefined> {
  return toReply(await db('ai_replies').where({ account_id: accountId, answer_message_id: messageId }).first());
}

export async function updateAiReply(db: Knex, id: number, changes: AiReplyChange): Promise<void> {
  if (Object.keys(changes).length) await db('ai_replies').where({ id }).update(changes);
}
