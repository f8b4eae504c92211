import type { Deps } from '../deps.js';
import type { MessageRow } from '../conversations/repo.js';
import type { KbItemRow } from '../kb/repo.js';
import { searchItems, type ScoredItem } from '../kb/service.js';
import { MAX_CHOICES, replyBand } from '../retrieval/bands.js';
import { chatCompletion, llmSettings, type ChatMessage } from './llm.js';

const HISTORY_MESSAGES = 10;

/** The calibrated band of a question: the item to answer with, the items to offer, or nothing close enough. */
export type Decision =
  | { move: 'answer'; hit: ScoredItem; context: ScoredItem[] }
  | { move: 'choices'; hits: ScoredItem[] }
  | { move: 'handoff'; bestScore: number | null };

export type AgentPersona = { bot_name: string; system_prompt: string | null };

const DEFAULT_PROMPT = 'You are a friendly, concise customer-support assistant.';

/**
 * Retrieval decides, never the LLM: the reply band comes from the ranked hits and the calibrated constants
 * (server/retrieval/bands.ts); an answer also carries the other hits close enough to offer, which the LLM may
 * use to phrase it.
 */
export async function decideReply(deps: Deps, accountId: number, question: string): Promise<Decision> {
  const hits = await searchItems(deps, accountId, question, MAX_CHOICES);
  const band = replyBand(hits, deps.retrieval.bands);
  if (band.band === 'answer') {
    const floor = deps.retrieval.bands.handoffBelow;
    return { move: 'answer', hit: band.item, context: hits.filter((hit) => hit !== band.item && hit.score >= floor) };
  }
  if (band.band === 'choices') return { move: 'choices', hits: band.items };
  return { move: 'handoff', bestScore: hits[0]?.score ?? null };
}

function groundedSystemPrompt(agent: AgentPersona, items: KbItemRow[]): string {
  const entries = items.map((item, i) => `[${i + 1}] ${item.title}\n${item.content}`).join('\n\n');
  return [
    agent.system_prompt?.trim() || DEFAULT_PROMPT,
    `Your name is ${agent.bot_name}. Answer the customer's last message using only the knowledge base entries below; ` +
      'entry [1] is the one that answers it, any others are related. Do not invent facts, prices, links or policies that are ' +
      'not in them, and do not answer from general knowledge. Reply in the language the customer wrote in.',
    `Knowledge base:\n${entries}`,
  ].join('\n\n');
}

/** The conversation so far as chat turns: the contact is the user, bots and human agents the assistant. */
function historyTurns(history: MessageRow[]): ChatMessage[] {
  return history
    .filter((m) => m.message_type !== 'activity')
    .slice(-HISTORY_MESSAGES)
    .map((m) => ({ role: m.sender_type === 'contact' ? 'user' : 'assistant', content: m.content }));
}

/**
 * The words of an answer with `item`: where an LLM is configured, its phrasing from the item (and the related
 * ones) and the conversation; otherwise, or when it fails or times out, the item's own answer.
 */
export async function answerText(
  deps: Deps,
  accountId: number,
  agent: AgentPersona,
  item: KbItemRow,
  related: KbItemRow[],
  history: MessageRow[],
): Promise<{ content: string; via: 'llm' | 'extractive' }> {
  const llm = llmSettings(deps.config);
  if (llm) {
    try {
      const content = await chatCompletion(llm, [
        { role: 'system', content: groundedSystemPrompt(agent, [item, ...related]) },
        ...historyTurns(history),
      ]);
      return { content, via: 'llm' };
    } catch (err) {
      deps.log.warn({ err, account_id: accountId }, 'LLM reply failed; answering with the KB item');
    }
  }
  return { content: item.content, via: 'extractive' };
}
