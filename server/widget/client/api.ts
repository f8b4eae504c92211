import type { Contact, Message, ServerConfig, Session } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PAGE_SIZE = 100;

/** The public widget API, called cross-origin from the host page (CORS allows the bound origin). */
export class WidgetApi {
  constructor(
    readonly base: string,
    readonly websiteToken: string,
  ) {}

  url(path: string, params: Record<string, string | number> = {}): string {
    const url = new URL(this.base + path);
    url.searchParams.set('website_token', this.websiteToken);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
    return url.toString();
  }

  private async call<T>(
    method: string,
    path: string,
    options: { params?: Record<string, string | number>; body?: unknown; session?: Session } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.session) headers['X-Conversation-Token'] = options.session.conversation_token;
    const res = await fetch(this.url(path, options.params), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`);
    return json as T;
  }

  config(): Promise<ServerConfig> {
    return this.call('GET', '/api/v1/widget/config');
  }

  createConversation(contact: Contact, message: string): Promise<{ id: number; conversation_token: string; messages?: Message[] }> {
    return this.call('POST', '/api/v1/widget/conversations', { body: { contact, message } });
  }

  sendMessage(session: Session, content: string): Promise<Message> {
    return this.call('POST', '/api/v1/widget/messages', { body: { conversation_id: session.conversation_id, content }, session });
  }

  /** Every message after `after` (a message id), oldest first, following pages until a short one. */
  async messagesAfter(session: Session, after: number): Promise<Message[]> {
    const all: Message[] = [];
    for (;;) {
      const page = await this.call<{ data: Message[] }>('GET', '/api/v1/widget/messages', {
        params: { conversation_id: session.conversation_id, after, per_page: PAGE_SIZE },
        session,
      });
      all.push(...page.data);
      if (page.data.length < PAGE_SIZE) return all;
      after = page.data.reduce((max, m) => Math.max(max, m.id), after);
    }
  }

  async typing(session: Session, typing: boolean): Promise<void> {
    await this.call('POST', '/api/v1/widget/typing', { body: { conversation_id: session.conversation_id, typing }, session });
  }
}
