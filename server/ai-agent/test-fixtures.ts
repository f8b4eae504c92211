import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signUp, type ServerCalls } from '../../test/helpers/server.js';

/** A small shop FAQ: distinct topics, so each question below has one right answer. */
export const FAQ = [
  {
    title: 'How long does shipping take?',
    content: 'Orders ship within 24 hours and arrive in 3-5 business days within the EU.',
    category: 'Shipping',
  },
  {
    title: 'Which payment methods do you accept?',
    content: 'We accept Visa, Mastercard, American Express and PayPal.',
    category: 'Payments',
  },
  {
    title: 'What is your return policy?',
    content: 'You can return any item within 30 days for a full refund; we send a free return label.',
    category: 'Returns',
  },
  {
    title: 'How do I reset my password?',
    content: 'Open Settings, choose Security, then Change password and follow the email link.',
    category: 'Account',
  },
  {
    title: 'Do you have a physical store?',
    content: 'Our only store is at Hauptstrasse 12 in Berlin, open Monday to Saturday 10:00-19:00.',
    category: 'Store',
  },
  {
    title: 'Can I change or cancel my order?',
    content: 'Orders can be changed or cancelled within 2 hours of purchase from the Orders page.',
    category: 'Orders',
  },
];

export const BOT = {
  bot_name: 'Nova',
  greeting_message: 'Hi! I am Nova, how can I help?',
  system_prompt: 'You are the support assistant of Acme Shop.',
};

/** An account with a website whose AI agent is active and a KB holding the FAQ (and `extraItems`). */
export async function shopWithAiAgent(
  t: ServerCalls,
  options: { token?: string; accountId?: number; extraItems?: { title: string; content: string; category?: string }[] } = {},
) {
  const owner = options.token ? { token: options.token, accountId: options.accountId! } : await signUp(t);
  const { token } = owner;
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example.com' }, token);
  const agent = await t.post('/nc-api/v1/agents', BOT, token);
  const config = await t.post(
    `/nc-api/v1/account/domains/${bound.body.domain_id}/ai-config`,
    { ai_bot_config_id: agent.body.id, is_active: true },
    token,
  );
  const kb = await t.post('/nc-api/v1/knowledge_base/items/import', [...FAQ, ...(options.extraItems ?? [])], token);
  if (bound.status !== 201 || agent.status !== 201 || config.status !== 200 || kb.status !== 201)
    throw new Error(`shop set-up failed: ${bound.status} ${agent.status} ${config.status} ${kb.status}`);
  return {
    ...owner,
    websiteToken: bound.body.website_token as string,
    agentId: agent.body.id as number,
    items: kb.body as { id: number; title: string; content: string }[],
  };
}

/** Two items a question about sending furniture back cannot tell apart: it gets choices. */
export const RETURNS = [
  {
    title: 'How do I return a sofa?',
    content: 'Sofas are collected by our carrier: book a pickup on the Returns page.',
    category: 'Returns',
  },
  { title: 'How do I return a lamp?', content: 'Lamps go back by post with the free label from the Returns page.', category: 'Returns' },
];
/** Close to both RETURNS items and to neither clearly. */
export const AMBIGUOUS = 'I want to send back furniture';
/** Nothing in the FAQ is about it. */
export const OUT_OF_KB = 'Explain photosynthesis';

export type WidgetMessage = {
  id: number;
  content: string;
  message_type: string;
  content_type: string;
  content_attributes: {
    kind?: string;
    kb_item_id?: number;
    items?: { title: string; value: string }[];
    submitted_value?: string;
    in_reply_to?: number;
    helpful?: boolean;
  };
  sender: { type: string; id: number | null; name: string };
};

/** A visitor talking to the website through the public widget API, as the widget script does. */
export class Visitor {
  private constructor(
    private readonly t: ServerCalls,
    private readonly websiteToken: string,
    readonly conversationId: number,
    private readonly conversationToken: string,
  ) {}

  static async start(
    t: ServerCalls,
    websiteToken: string,
    message: string,
    options: { locale?: string; contact?: { name?: string; email?: string } } = {},
  ): Promise<Visitor> {
    const res = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
      contact: options.contact ?? { name: 'John', email: 'john@example.com' },
      message,
      ...(options.locale ? { locale: options.locale } : {}),
    });
    if (res.status !== 201) throw new Error(`conversation failed: ${res.status} ${res.text}`);
    return new Visitor(t, websiteToken, res.body.id, res.body.conversation_token);
  }

  /** The same visitor reaching another server of the database (as a load balancer may send them). */
  via(t: ServerCalls): Visitor {
    return new Visitor(t, this.websiteToken, this.conversationId, this.conversationToken);
  }

  async say(content: string): Promise<WidgetMessage> {
    const res = await this.send({ content });
    if (res.status !== 201) throw new Error(`message failed: ${res.status} ${res.text}`);
    return res.body;
  }

  /** POST /api/v1/widget/messages with any body fields (the conversation is filled in); the raw answer. */
  send(body: Record<string, unknown>) {
    return this.t.post(
      `/api/v1/widget/messages?website_token=${this.websiteToken}`,
      { conversation_id: this.conversationId, ...body },
      undefined,
      { 'X-Conversation-Token': this.conversationToken },
    );
  }

  /** Answers the bot's choices as the widget does: the title as content, its value, the choices message. */
  pick(choices: WidgetMessage, value: string) {
    const title = choices.content_attributes.items?.find((item) => item.value === value)?.title ?? value;
    return this.send({ content: title, submitted_value: value, in_reply_to: choices.id });
  }

  /** "Did that answer your question?" on a message; the raw answer. */
  feedback(messageId: number, helpful: unknown, token = this.conversationToken) {
    return this.t.post(`/api/v1/widget/messages/${messageId}/feedback?website_token=${this.websiteToken}`, { helpful }, undefined, {
      'X-Conversation-Token': token,
    });
  }

  /** Another visitor's token, for showing it opens nothing here. */
  get token(): string {
    return this.conversationToken;
  }

  async messages(): Promise<WidgetMessage[]> {
    const res = await this.t.get(
      `/api/v1/widget/messages?website_token=${this.websiteToken}&conversation_id=${this.conversationId}&per_page=100`,
      undefined,
      { 'X-Conversation-Token': this.conversationToken },
    );
    if (res.status !== 200) throw new Error(`messages failed: ${res.status} ${res.text}`);
    return res.body.data;
  }

  /** Polls the widget's message list until `count` bot messages are there (the agent answers asynchronously). */
  async botMessages(count: number, timeoutMs = 15_000): Promise<WidgetMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const bot = (await this.messages()).filter((m) => m.sender.type === 'bot' && m.message_type === 'outgoing');
      if (bot.length >= count) return bot;
      if (Date.now() > deadline)
        throw new Error(`expected ${count} bot messages, got ${bot.length}: ${JSON.stringify(bot.map((m) => m.content))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Lets the agent finish whatever it would do with the messages so far (a bounded wait, used to show it stays silent). */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

export type ChatRequest = { headers: http.IncomingHttpHeaders; body: { model: string; messages: { role: string; content: string }[] } };

/**
 * A local stand-in for an OpenAI-compatible server: records each chat-completions request and answers with
 * `reply`, after `delayMs` or once `holdUntil` (given the request's number, from 1) resolves.
 */
export async function startLlmStandIn(
  reply: (request: ChatRequest) => string,
  options: { delayMs?: number; holdUntil?: (nth: number) => Promise<unknown> | undefined } = {},
) {
  const requests: ChatRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const request: ChatRequest = { headers: req.headers, body: JSON.parse(raw) };
      requests.push(request);
      const answer = () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: request.body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: reply(request) }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
          }),
        );
      const held = options.holdUntil?.(requests.length);
      if (held) void held.then(answer);
      else if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
