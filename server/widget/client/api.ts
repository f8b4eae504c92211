import type { paths } from './generated/openapi.js';
import type { ChoiceItem, Contact, Conversation, CreatedConversation, Message, ServerConfig, Session } from './types.js';

type Operation<P extends keyof paths, M extends 'get' | 'post'> = NonNullable<paths[P][M]>;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
/** The body of the operation's success answer (200, or 201 for a creation; none for a 204). */
type AnswerOf<O> = O extends { responses: { 200: infer R } } ? Json<R> : O extends { responses: { 201: infer R } } ? Json<R> : undefined;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : never;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error body's `code`, e.g. `invalid_identifier_hash`. */
    readonly code?: string,
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

  /** One call, typed by the generated spec: its path, query, body and answer. */
  private async call<P extends keyof paths, M extends 'get' | 'post'>(
    method: M,
    path: P,
    options: {
      params?: QueryOf<Operation<P, M>>;
      /** Values of the path's `{name}` parts. */
      pathParams?: Record<string, number>;
      body?: BodyOf<Operation<P, M>>;
      session?: Session;
    } = {},
  ): Promise<AnswerOf<Operation<P, M>>> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.session) headers['X-Conversation-Token'] = options.session.conversation_token;
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => String(options.pathParams?.[name]));
    const res = await fetch(this.url(filled, options.params as Record<string, string | number> | undefined), {
      method: method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.code);
    return json as AnswerOf<Operation<P, M>>;
  }

  config(): Promise<ServerConfig> {
    return this.call('get', '/api/v1/widget/config');
  }

  /** `locale`: the language the widget shows, which the AI agent then answers in. */
  createConversation(contact: Contact, message: string, locale: string): Promise<CreatedConversation> {
    return this.call('post', '/api/v1/widget/conversations', { body: { contact, message, locale } });
  }

  sendMessage(session: Session, content: string): Promise<Message> {
    return this.call('post', '/api/v1/widget/messages', { body: { conversation_id: session.conversation_id, content }, session });
  }

  /** A message with files (multipart, `attachments[]`): the server decides each file's type from its content. */
  async sendWithFiles(session: Session, content: string, files: File[]): Promise<Message> {
    const form = new FormData();
    form.append('conversation_id', String(session.conversation_id));
    form.append('content', content);
    for (const file of files) form.append('attachments[]', file, file.name);
    const res = await fetch(this.url('/api/v1/widget/messages'), {
      method: 'POST',
      headers: { 'X-Conversation-Token': session.conversation_token },
      body: form,
      credentials: 'omit',
    });
    const json = await res.json().catch(() => undefined);
    if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.code);
    return json as Message;
  }

  /**
   * An attachment (or its thumbnail) as a blob: its url needs the conversation token in a header, which an
   * <img src> cannot send, and a token in a URL would end up in logs and histories.
   */
  async attachment(session: Session, path: string): Promise<Blob> {
    const res = await fetch(this.url(path), { headers: { 'X-Conversation-Token': session.conversation_token }, credentials: 'omit' });
    if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status}`);
    return res.blob();
  }

  /** The conversation: its status and the rating of its current resolution (null when not rated). */
  conversation(session: Session): Promise<Conversation> {
    return this.call('get', '/api/v1/widget/conversations/{id}', { pathParams: { id: session.conversation_id }, session });
  }

  /** CSAT: 1 to 5 stars and an optional comment for the resolved conversation. */
  rate(session: Session, rating: number, comment: string): Promise<unknown> {
    return this.call('post', '/api/v1/widget/conversations/{id}/rating', {
      pathParams: { id: session.conversation_id },
      body: comment ? { rating, comment } : { rating },
      session,
    });
  }

  /** Answers the AI agent's choices: the title picked as the message, its value, the choices message. */
  sendChoice(session: Session, choices: Message, item: ChoiceItem): Promise<Message> {
    return this.call('post', '/api/v1/widget/messages', {
      body: { conversation_id: session.conversation_id, content: item.title, submitted_value: item.value, in_reply_to: choices.id },
      session,
    });
  }

  /** "Did that answer your question?": the answer with the visitor's feedback on it. */
  feedback(session: Session, answer: Message, helpful: boolean): Promise<Message> {
    return this.call('post', '/api/v1/widget/messages/{id}/feedback', { pathParams: { id: answer.id }, body: { helpful }, session });
  }

  /** Every message after `after` (a message id), oldest first, following pages until a short one. */
  async messagesAfter(session: Session, after: number): Promise<Message[]> {
    const all: Message[] = [];
    for (;;) {
      const page = await this.call('get', '/api/v1/widget/messages', {
        params: { conversation_id: session.conversation_id, after, per_page: PAGE_SIZE },
        session,
      });
      all.push(...page.data);
      if (page.data.length < PAGE_SIZE) return all;
      after = page.data.reduce((max, m) => Math.max(max, m.id), after);
    }
  }

  async typing(session: Session, typing: boolean): Promise<void> {
    await this.call('post', '/api/v1/widget/typing', { body: { conversation_id: session.conversation_id, typing }, session });
  }
}
