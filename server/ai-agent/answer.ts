import type { Deps } from '../deps.js';
import { searchItems, type ScoredItem } from '../kb/service.js';
import { chatCompletion, llmSettings, type ChatMessage } from './llm.js';
import type { TranscriptMessage } from './repo.js';

/** Candidates retrieved per question; only those at or above the match threshold reach the LLM. */
const CANDIDATES = 3;
const HISTORY_MESSAGES = 10;

export type Decision =
  | { kind: 'answer'; content: string; itemId: number; score: number; via: 'llm' | 'extractive' }
  | { kind: 'handoff'; bestScore: number | null };

export type AgentPersona = { bot_name: string; system_prompt: string | null };

const DEFAULT_PROMPT = 'You are a friendly, concise customer-support assistant.';

function groundedSystemPrompt(agent: AgentPersona, items: ScoredItem[]): string {
  const context = items.map(({ item }, i) => `[${i + 1}] ${item.title}\n${item.content}`).join('\n\n');
  return [
    agent.system_prompt?.trim() || DEFAULT_PROMPT,
    `Your name is ${agent.bot_name}. Answer the customer's last message using only the knowledge base entries below. ` +
      'Do not invent facts, prices, links or policies that are not in them. Reply in the language the customer wrote in.',
    `Knowledge base:\n${context}`,
  ].join('\n\n');
}

/** The conversation so far as chat turns: the contact is the user, bots and human agents the assistant. */
function historyTurns(history: TranscriptMessage[]): ChatMessage[] {
  return history
    .filter((m) => m.message_type !== 'activity')
    .slice(-HISTORY_MESSAGES)
    .map((m) => ({ role: m.sender_type === 'contact' ? 'user' : 'assistant', content: m.content }));
}

/**
 * Retrieval first: below the threshold the agent hands off rather than answer with an unrelated item.
 * Above it, the LLM (where configured) writes the reply from the matching items; otherwise, or when the
 * LLM fails or times out, the best item's full answer is the reply.
 */
export async function decideReply(
  deps: Deps,
  accountId: number,
  agent: AgentPersona,
  question: string,
  history: TranscriptMessage[],
): Promise<Decision> {
  const hits = await searchItems(deps, accountId, question, CANDIDATES);
  const threshold = deps.retrieval.matchThreshold;
  const matching = hits.filter((hit) => hit.score >= threshold);
  const best = matching[0];
  if (!best) return { kind: 'handoff', bestScore: hits[0]?.score ?? null };

  const llm = llmSettings(deps.config);
  if (llm) {
    try {
      const content = await chatCompletion(llm, [
        { role: 'system', content: groundedSystemPrompt(agent, matching) },
        ...historyTurns(history),
      ]);
      return { kind: 'answer', content, itemId: best.item.id, score: best.score, via: 'llm' };
    } catch (err) {
      deps.log.warn({ err, account_id: accountId }, 'LLM reply failed; answering with the best KB item');
    }
  }
  return { kind: 'answer', content: best.item.content, itemId: best.item.id, score: best.score, via: 'extractive' };
}
