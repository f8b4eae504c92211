/**
 * How fast the AI agent answers a widget message: time from the visitor's POST /api/v1/widget/messages to
 * the bot's reply being committed (its `message_created` on the event bus), in process, on a fresh SQLite
 * server with the default embedder and the shop eval set's KB (test/fixtures/faq-eval.json). Its paraphrased
 * questions (in the KB) and the questions it cannot answer are measured separately, each reply counted by kind
 * (an answer, choices, anything else); each question goes to a fresh conversation so the agent is active.
 * `npm run bench -- ai-agent` or `npx tsx bench/ai-agent.bench.ts`. Env: BENCH_QUESTIONS (default 40 of each kind).
 */
import { EventEmitter, once } from 'node:events';
import fs from 'node:fs';
import { startBenchServer } from './lib/bench-server.js';
import { loadEvalSet } from './lib/eval-sets.js';
import { machineLine, percentile } from './lib/machine.js';
import type { NovaEvent } from '../server/events/types.js';

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 40);
/** A reply not committed by then is a bug to report, not a wait. */
const REPLY_TIMEOUT_MS = 10_000;
const set = loadEvalSet('shop');
const { server, dataDir } = await startBenchServer('agent');

async function call(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + urlPath, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** `other`: a hand-off, or a reply to a greeting or thanks (the bot's only messages without a kind). */
type ReplyKind = 'answer' | 'choices' | 'other';
type Reply = { at: number; kind: ReplyKind };

/** Every bot reply by conversation, recorded from the start: a reply committed before its request returns still counts. */
const replies = new Map<number, Reply[]>();
const replied = new EventEmitter();
server.deps.bus.subscribe((event: NovaEvent) => {
  if (event.type !== 'message_created' || event.conversation_id === null) return;
  const { message } = event.data;
  if (message.sender?.type !== 'bot' || message.message_type !== 'outgoing') return;
  const kind = message.content_attributes.kind;
  const reply: Reply = { at: performance.now(), kind: kind === 'answer' || kind === 'choices' ? kind : 'other' };
  replies.set(event.conversation_id, [...(replies.get(event.conversation_id) ?? []), reply]);
  replied.emit('reply');
});

/** The bot's reply number `index` (from 0) in a conversation, once it is committed. */
async function replyNumber(conversationId: number, index: number): Promise<Reply> {
  const timeout = AbortSignal.timeout(REPLY_TIMEOUT_MS);
  for (;;) {
    const reply = replies.get(conversationId)?.[index];
    if (reply) return reply;
    await once(replied, 'reply', { signal: timeout }).catch(() => {
      throw new Error(`no bot reply ${index + 1} in conversation ${conversationId} within ${REPLY_TIMEOUT_MS} ms`);
    });
  }
}

try {
  const { token } = await call('POST', '/nc-api/v1/accounts', { name: 'Bench', email: 'bench@example.com', password: 'MyPass123!' });
  const auth = { authorization: `Bearer ${token}` };
  await call('PUT', `/nc-api/v1/accounts/1/plan`, { plan: 'pro' }, auth);
  const bound = await call('POST', '/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example.com' }, auth);
  const agent = await call('POST', '/nc-api/v1/agents', { bot_name: 'Nova', greeting_message: '', system_prompt: '' }, auth);
  await call('POST', `/nc-api/v1/account/domains/${bound.domain_id}/ai-config`, { ai_bot_config_id: agent.id, is_active: true }, auth);
  const items = set.items.map(({ title, content, category, tags }) => ({ title, content, category, tags }));
  await call('POST', '/nc-api/v1/knowledge_base/items/import', items, auth);

  let visitors = 0;
  async function measure(questions: string[]): Promise<Map<ReplyKind, number[]>> {
    const times = new Map<ReplyKind, number[]>();
    for (const question of questions) {
      // A greeting opens the conversation and is answered first, so the measured message finds the agent idle and active.
      visitors += 1;
      const opened = await call('POST', `/api/v1/widget/conversations?website_token=${bound.website_token}`, {
        contact: { name: 'V', email: `v${visitors}@example.com` },
        message: 'Hello',
      });
      await replyNumber(opened.id, 0);
      const started = performance.now();
      await call(
        'POST',
        `/api/v1/widget/messages?website_token=${bound.website_token}`,
        { conversation_id: opened.id, content: question },
        { 'x-conversation-token': opened.conversation_token },
      );
      const reply = await replyNumber(opened.id, 1);
      times.set(reply.kind, [...(times.get(reply.kind) ?? []), reply.at - started]);
    }
    return times;
  }

  const report = (label: string, byKind: Map<ReplyKind, number[]>) => {
    const all = [...byKind.values()].flat().sort((a, b) => a - b);
    const kinds = [...byKind].map(([kind, times]) => `${times.length} ${kind}`).join(', ');
    console.log(
      `${label}: p50 ${percentile(all, 50).toFixed(0)} ms, p95 ${percentile(all, 95).toFixed(0)} ms, max ${all.at(-1)!.toFixed(0)} ms (${all.length} questions: ${kinds})`,
    );
    for (const [kind, times] of byKind) {
      times.sort((a, b) => a - b);
      console.log(`  replied with ${kind}: p50 ${percentile(times, 50).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`);
    }
  };
  report('question in the KB (a paraphrase)', await measure(set.questions.slice(0, QUESTIONS).map((q) => q.q)));
  report('question the KB cannot answer', await measure(set.unanswerable.slice(0, QUESTIONS).map((u) => u.q)));
  console.log(machineLine());
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
