import type { Deps } from '../deps.js';
import { presentConversation, presentMessage } from '../conversations/presenter.js';
import { findConversations, findMessages } from '../conversations/repo.js';
import type { Pagination } from '../db/pagination.js';
import { searchConversations } from './repo.js';
import { searchTerms, snippet } from './terms.js';

/** The account's conversations matching `q`, best first, each with its best message and a highlighted snippet. */
export async function searchAccount(deps: Deps, accountId: number, q: string, page: Pagination) {
  const terms = searchTerms(q);
  // Every message written before the search is found; a failure to index (a full disk) still answers from the index.
  await deps.messageSearch.catchUp().catch((err) => deps.log.warn({ err }, 'message search index: catching up failed'));
  const { hits, total } = await searchConversations(deps.db, accountId, q, terms, page);
  const [conversations, messages] = await Promise.all([
    findConversations(
      deps.db,
      hits.map((hit) => [accountId, hit.conversation_id] as const),
    ),
    findMessages(
      deps.db,
      accountId,
      hits.flatMap((hit) => (hit.message_id === null ? [] : [hit.message_id])),
    ),
  ]);
  const conversationById = new Map(conversations.map((c) => [c.id, c]));
  const messageById = new Map(messages.map((m) => [m.id, m]));
  const data = hits.flatMap((hit) => {
    const conversation = conversationById.get(hit.conversation_id);
    if (!conversation) return [];
    const message = hit.message_id === null ? undefined : messageById.get(hit.message_id);
    return [
      {
        conversation: presentConversation(conversation),
        message: message ? presentMessage(message) : null,
        snippet: message ? snippet(message.content, terms) : null,
      },
    ];
  });
  return { data, total };
}
