import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEvalSet, questionsOf, type EvalQuestion } from '../bench/lib/retrieval-eval.js';
import { signUp, TestServer } from './helpers/server.js';

/**
 * The AI agent's replies on the tuning eval sets through the real widget endpoints (issue 12, "Done when"):
 * one widget conversation per question, the bot's first move read back as the visitor's widget reads it.
 * Targets: direct answers wrong for ≤ 5 % of answerable questions, the right answer reached (answered, or
 * among the choices) for the floors measured in bench/RESULTS.md, ≤ 10 % of near-topic unanswerable
 * questions answered directly. Nothing is picked, so nothing is learned between questions.
 */
const REACHED_FLOOR = { shop: 0.87, dental: 0.8 } as const;
const PARALLEL = 8;

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start({ env: { NOVA_WIDGET_CONVERSATIONS_PER_IP: '100000', NOVA_WIDGET_MESSAGES_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await t?.close();
});

type Move = { kind: 'answer'; itemId: number } | { kind: 'choices'; itemIds: number[] } | { kind: 'handoff' };
type WidgetMessage = {
  id: number;
  content: string;
  message_type: string;
  sender: { type: string };
  content_attributes?: { kind?: string; kb_item_id?: number; items?: { value: string }[] };
};

const GREETING = 'Hello! Ask me anything.';

async function websiteWithKb(name: 'shop' | 'dental') {
  const { token } = await signUp(t); // the starter plan's 50 items hold either set
  const set = loadEvalSet(name);
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: `https://${name}.example.com` }, token);
  const agent = await t.post(
    '/nc-api/v1/agents',
    { bot_name: 'Nova', greeting_message: GREETING, system_prompt: 'You are the support assistant.' },
    token,
  );
  await t.post(`/nc-api/v1/account/domains/${bound.body.domain_id}/ai-config`, { ai_bot_config_id: agent.body.id, is_active: true }, token);
  const imported = await t.post(
    '/nc-api/v1/knowledge_base/items/import',
    set.items.map(({ title, content, category, tags }) => ({ title, content, category, tags: tags ?? [] })),
    token,
  );
  if (bound.status !== 201 || agent.status !== 201 || imported.status !== 201)
    throw new Error(`set-up failed: ${bound.status} ${agent.status} ${imported.status}`);
  const idOf = new Map(set.items.map((item, i) => [item.key, imported.body[i].id as number]));
  return { set, websiteToken: bound.body.website_token as string, idOf };
}

/** Opens a conversation with the question and waits for the bot's move after its greeting. */
async function firstMove(websiteToken: string, question: string): Promise<Move> {
  const created = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
    contact: { name: 'Visitor', email: 'visitor@example.com' },
    message: question,
  });
  if (created.status !== 201) throw new Error(`conversation not created: ${created.status} ${created.text}`);
  const { id, conversation_token: conversationToken } = created.body;
  for (let attempt = 0; attempt < 400; attempt++) {
    const res = await t.get(`/api/v1/widget/messages?conversation_id=${id}&website_token=${websiteToken}`, undefined, {
      'x-conversation-token': conversationToken,
    });
    const bot = (res.body.data as WidgetMessage[]).filter((m) => m.sender?.type === 'bot' && m.content !== GREETING);
    const move = bot[0];
    if (move) {
      const attributes = move.content_attributes ?? {};
      if (attributes.kind === 'answer') return { kind: 'answer', itemId: attributes.kb_item_id! };
      if (attributes.kind === 'choices') {
        const itemIds = (attributes.items ?? []).flatMap((c) => (c.value.startsWith('kb_item:') ? [Number(c.value.slice(8))] : []));
        return { kind: 'choices', itemIds };
      }
      return { kind: 'handoff' };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no reply to "${question}"`);
}

async function movesFor(websiteToken: string, questions: EvalQuestion[]): Promise<Move[]> {
  const moves: Move[] = new Array(questions.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < questions.length) {
        const i = next++;
        moves[i] = await firstMove(websiteToken, questions[i]!.q);
      }
    }),
  );
  return moves;
}

describe.each(['shop', 'dental'] as const)('the AI agent on eval set %s, through the widget', (name) => {
  test('rarely answers wrong, reaches the right answer, and rarely answers what the KB cannot', async () => {
    const { set, websiteToken, idOf } = await websiteWithKb(name);
    const questions = questionsOf(set);
    const moves = await movesFor(websiteToken, questions);
    let answerable = 0;
    let wrong = 0;
    let reached = 0;
    let nearTopic = 0;
    let nearTopicAnswered = 0;
    questions.forEach((question, i) => {
      const move = moves[i]!;
      if (question.expected === null) {
        if (!question.nearTopic) return;
        nearTopic += 1;
        if (move.kind === 'answer') nearTopicAnswered += 1;
        return;
      }
      answerable += 1;
      const expected = idOf.get(question.expected)!;
      if (move.kind === 'answer' && move.itemId !== expected) wrong += 1;
      if ((move.kind === 'answer' && move.itemId === expected) || (move.kind === 'choices' && move.itemIds.includes(expected)))
        reached += 1;
    });
    expect(wrong / answerable).toBeLessThanOrEqual(0.05);
    expect(reached / answerable).toBeGreaterThanOrEqual(REACHED_FLOOR[name]);
    expect(nearTopicAnswered / nearTopic).toBeLessThanOrEqual(0.1);
  }, 300_000);
});
