import type { Deps } from '../deps.js';
import { chatCompletion, llmSettings } from '../ai-agent/llm.js';
import type { MessageRow } from '../conversations/repo.js';
import { MAX_CONTENT, MAX_TITLE } from '../kb/schemas.js';

export type QaPair = { question: string; answer: string };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
const tidy = (pair: QaPair): QaPair => ({
  question: clip(pair.question.replace(/\s+/g, ' ').trim(), MAX_TITLE),
  answer: clip(pair.answer.trim(), MAX_CONTENT),
});

/**
 * Contact questions paired with the human answers that followed them. Bot messages (greeting, KB answers,
 * hand-off) never become answers: what the bot said is already in the knowledge base, so a question that
 * only the bot answered yields no draft. Consecutive messages on either side are joined.
 */
export function pairQuestionsWithAnswers(messages: MessageRow[]): QaPair[] {
  const pairs: QaPair[] = [];
  let questions: string[] = [];
  let answers: string[] = [];
  let answered = false;
  const flush = () => {
    if (questions.length && answers.length) pairs.push(tidy({ question: questions.join(' '), answer: answers.join('\n\n') }));
    questions = [];
    answers = [];
    answered = false;
  };
  for (const message of messages) {
    if (message.message_type === 'incoming' && message.sender_type === 'contact') {
      if (answered) flush();
      questions.push(message.content);
    } else if (message.message_type === 'outgoing' && questions.length) {
      answered = true;
      if (message.sender_type === 'agent') answers.push(message.content);
    }
  }
  flush();
  return pairs;
}

const EXTRACTION_PROMPT =
  'You turn a resolved customer-support conversation into knowledge-base entries. ' +
  'List each question the customer asked that a human agent (not the bot) answered, as a general FAQ entry: ' +
  'the question phrased as another customer would ask it, and the answer written from what the agent said, ' +
  'without names, emails, order numbers or other personal details. Skip small talk and unanswered questions. ' +
  'Reply with only a JSON array: [{"question": "...", "answer": "..."}] (an empty array if there is nothing).';

function transcriptText(messages: MessageRow[]): string {
  const who = (m: MessageRow) => (m.sender_type === 'contact' ? 'Customer' : m.sender_type === 'bot' ? 'Bot' : 'Agent');
  return messages
    .filter((m) => m.message_type !== 'activity')
    .map((m) => `${who(m)}: ${m.content}`)
    .join('\n');
}

/** The JSON array in an LLM reply (models like to wrap it in prose or a code fence), or null. */
export function parsePairs(reply: string): QaPair[] | null {
  const start = reply.indexOf('[');
  const end = reply.lastIndexOf(']');
  if (start < 0 || end <= start) return null;
  let value: unknown;
  try {
    value = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  return value.flatMap((entry) => {
    const e = entry as { question?: unknown; answer?: unknown };
    return typeof e?.question === 'string' && typeof e.answer === 'string' && e.question.trim() && e.answer.trim()
      ? [tidy({ question: e.question, answer: e.answer })]
      : [];
  });
}

/** With an LLM configured it writes the pairs; without one, or when it fails, they are paired from the transcript. */
export async function extractPairs(deps: Deps, messages: MessageRow[]): Promise<{ pairs: QaPair[]; via: 'llm' | 'pairing' }> {
  const llm = llmSettings(deps.config);
  if (llm) {
    try {
      const reply = await chatCompletion(
        llm,
        [
          { role: 'system', content: EXTRACTION_PROMPT },
          { role: 'user', content: transcriptText(messages) },
        ],
        { temperature: 0 },
      );
      const pairs = parsePairs(reply);
      if (pairs) return { pairs, via: 'llm' };
      deps.log.warn('LLM extraction reply held no JSON array; pairing the transcript instead');
    } catch (err) {
      deps.log.warn({ err }, 'LLM extraction failed; pairing the transcript instead');
    }
  }
  return { pairs: pairQuestionsWithAnswers(messages), via: 'pairing' };
}
