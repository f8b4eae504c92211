/**
 * How fast the AI agent answers a widget message: time from the visitor's POST /api/v1/widget/messages to
 * the bot's reply being committed (its `message_created` on the event bus), in process, on a fresh SQLite
 * server with the default embedder and a 200-item KB. In-KB questions (extractive answer) and out-of-KB ones
 * (hand-off) are measured separately; each question goes to a fresh conversation so the agent is active.
 * `npm run bench -- ai-agent` or `npx tsx bench/ai-agent.bench.ts`. Env: BENCH_QUESTIONS (default 40 of each kind).
 */
import fs from 'node:fs';
import { startBenchServer } from './lib/bench-server.js';
import { machineLine, percentile } from './lib/machine.js';
import type { NovaEvent } from '../server/events/types.js';

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 40);
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

try {
  const { token } = await call('POST', '/nc-api/v1/accounts', { name: 'Bench', email: 'bench@example.com', password: 'MyPass123!' });
  const auth = { authorization: `Bearer ${token}` };
  await call('PUT', `/nc-api/v1/accounts/1/plan`, { plan: 'pro' }, auth);
  const bound = await call('POST', '/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example.com' }, auth);
  const agent = await call('POST', '/nc-api/v1/agents', { bot_name: 'Nova', greeting_message: '', system_prompt: '' }, auth);
  await call('POST', `/nc-api/v1/account/domains/${bound.domain_id}/ai-config`, { ai_bot_config_id: agent.id, is_active: true }, auth);
  const topics = ['shipping', 'returns', 'payment', 'warranty', 'account', 'store', 'gift cards', 'subscriptions', 'invoices', 'repairs'];
  const items = Array.from({ length: 200 }, (_, i) => ({
    title: `How does ${topics[i % topics.length]} work for product line ${i}?`,
    content: `For product line ${i}, ${topics[i % topics.length]} is handled by team ${i % 7} within ${1 + (i % 5)} days.`,
  }));
  await call('POST', '/nc-api/v1/knowledge_base/items/import', items, auth);

  /** Resolves with the time of the bot's reply in `conversationId`. */
  const botReply = (conversationId: number) =>
    new Promise<number>((resolve) => {
      const unsubscribe = server.deps.bus.subscribe((event: NovaEvent) => {
        const message = event.type === 'message_created' ? event.data.message : undefined;
        if (
          event.type === 'message_created' &&
          event.conversation_id === conversationId &&
          message?.sender?.type === 'bot' &&
          message.message_type === 'outgoing'
        ) {
          unsubscribe();
          resolve(performance.now());
        }
      });
    });

  async function measure(question: (i: number) => string): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      // The opening message is answered first, so the measured message finds the agent idle and active.
      const opened = await call('POST', `/api/v1/widget/conversations?website_token=${bound.website_token}`, {
        contact: { name: 'V', email: `v${i}@example.com` },
        message: items[i]!.title,
      });
      await botReply(opened.id);
      const replied = botReply(opened.id);
      const started = performance.now();
      await call(
        'POST',
        `/api/v1/widget/messages?website_token=${bound.website_token}`,
        { conversation_id: opened.id, content: question(i) },
        { 'x-conversation-token': opened.conversation_token },
      );
      times.push((await replied) - started);
    }
    return times.sort((a, b) => a - b);
  }

  const report = (label: string, times: number[]) =>
    console.log(
      `${label}: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms (${times.length} questions)`,
    );
  report(
    'in-KB question → extractive answer',
    await measure((i) => `what about ${topics[(i + 3) % topics.length]} for product line ${(i * 7) % 200}?`),
  );
  report('out-of-KB question → hand-off', await measure(() => 'Can I bring my dog to your office Christmas party?'));
  console.log(machineLine());
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
