import { ApiError, WidgetApi } from './api.js';
import { stringsFor, type Strings } from './i18n.js';
import { Realtime } from './realtime.js';
import { clearSession, loadSession, saveSession } from './storage.js';
import type { ChoiceItem, Contact, CreatedConversation, Message, PageSettings, RealtimeEvent, ServerConfig, Session } from './types.js';
import { EMAIL, WidgetView } from './view.js';

export type NovaChatEvent = 'open' | 'close' | 'message' | 'unread' | 'ready';
type Listener = (detail?: unknown) => void;

/** `window.NovaChat`: the same API from both scripts. */
export interface NovaChatApi {
  open(): void;
  close(): void;
  toggle(): void;
  setUser(user: Contact): void;
  /** `message` gets each new message, `unread` the unread count; returns a function that unsubscribes. */
  on(event: NovaChatEvent, listener: Listener): () => void;
  off(event: NovaChatEvent, listener: Listener): void;
}

const TYPING_REFRESH_MS = 3000;
const CONFIG_ATTEMPTS = 10;
const RETRY_MS = 5000;
const TYPING_IDLE_MS = 2500;
/** Hex HMAC-SHA256, as the server checks it. */
const IDENTIFIER_HASH = /^[0-9a-f]{64}$/i;

/** The server's address is wherever the script itself was loaded from (its folder). */
export function scriptBase(script: HTMLOrSVGScriptElement | null, file: string): string {
  const own =
    script instanceof HTMLScriptElement && script.src ? script : document.querySelector<HTMLScriptElement>(`script[src*="/${file}"]`);
  return new URL('.', own?.src ?? location.href).href.replace(/\/$/, '');
}

/** Keeps only well-formed values a site owner may set; anything else falls back to the server's settings. */
export function pageSettings(raw: Record<string, unknown>): PageSettings {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const position = raw.position === 'bottom_left' || raw.position === 'bottom_right' ? raw.position : undefined;
  return { position, color: str(raw.color), title: str(raw.title), launcherText: str(raw.launcherText), locale: str(raw.locale) };
}

const domReady = () =>
  new Promise<void>((resolve) => {
    if (document.body) resolve();
    else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
  });

/** One visitor's chat: settings, the conversation kept across reloads, the UI and the live connection. */
class NovaChat {
  private readonly api: WidgetApi;
  private readonly listeners = new Map<string, Set<Listener>>();
  private view: WidgetView | null = null;
  private t: Strings = stringsFor('en');
  private session: Session | null;
  private realtime: Realtime | null = null;
  private user: Contact = {};
  private isOpen = false;
  private ready = false;
  private lastMessageId = 0;
  private typingSentAt = 0;
  private typingStopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    base: string,
    private readonly websiteToken: string,
    private readonly page: PageSettings,
  ) {
    this.api = new WidgetApi(base, websiteToken);
    this.session = loadSession(websiteToken);
    void this.boot();
  }

  readonly publicApi: NovaChatApi = {
    open: () => this.setOpen(true),
    close: () => this.setOpen(false),
    toggle: () => this.setOpen(!this.isOpen),
    setUser: (user) => this.setUser(user),
    on: (event, listener) => {
      if (!this.listeners.has(event)) this.listeners.set(event, new Set());
      this.listeners.get(event)!.add(listener);
      if (event === 'ready' && this.ready) listener();
      return () => this.publicApi.off(event, listener);
    },
    off: (event, listener) => void this.listeners.get(event)?.delete(listener),
  };

  private emit(event: NovaChatEvent, detail?: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(detail);
      } catch (err) {
        console.error('[Nova Chat] a listener failed', err);
      }
    }
  }

  /**
   * The website's settings. The browser hides why a cross-origin call failed: a wrong token, a page
   * origin that is not the bound website (no CORS answer) and a server that is down look alike, so
   * say so once and keep retrying for a few minutes in case the server is only restarting.
   */
  private async loadConfig(): Promise<ServerConfig | null> {
    for (let attempt = 0; attempt < CONFIG_ATTEMPTS; attempt++) {
      try {
        return await this.api.config();
      } catch (err) {
        if (err instanceof ApiError && err.status < 500) {
          console.warn(`[Nova Chat] widget disabled: ${err.message}`);
          return null;
        }
        if (attempt === 0) {
          console.warn(
            `[Nova Chat] widget disabled for now: cannot load its settings from ${this.api.base} ` +
              `(server unreachable, wrong website token, or this page's origin ${location.origin} is not the bound website); retrying`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 2000 * 2 ** attempt)));
      }
    }
    return null;
  }

  private async boot(): Promise<void> {
    const config = await this.loadConfig();
    if (!config) return;
    await domReady();
    const server = config.widget_settings;
    const { page } = this;
    this.t = stringsFor(page.locale, server.locale, navigator.language);
    // The server's title and launcher text are in the server's locale: a page that asks for another one gets that locale's own.
    const serverTexts = !page.locale || stringsFor(page.locale) === stringsFor(server.locale) ? server : {};
    this.view = new WidgetView({
      t: this.t,
      position: page.position ?? server.position ?? 'bottom_right',
      color: page.color ?? server.color ?? '#1f6feb',
      title: page.title ?? serverTexts.title ?? this.t.title,
      launcherText: page.launcherText ?? serverTexts.launcher_text ?? this.t.launcher,
      onToggle: () => this.setOpen(!this.isOpen),
      onSend: (text, contact, files) => void this.send(text, contact, files),
      loadAttachment: (path) => (this.session ? this.api.attachment(this.session, path) : Promise.reject(new Error('no conversation'))),
      onRate: (rating, comment) => this.rate(rating, comment),
      onTyping: () => this.typed(),
      onChoose: (choices, item) => void this.choose(choices, item),
      onFeedback: (answer, helpful) => void this.giveFeedback(answer, helpful),
    });
    const agent = config.ai_agent;
    if (agent?.greeting_message) this.view.showGreeting(agent.bot_name, agent.greeting_message);
    this.updatePrechat();
    this.view.mount();
    if (this.isOpen) this.view.setOpen(true);
    if (this.session) await this.resume(this.session);
    this.ready = true;
    this.emit('ready');
  }

  /** After a reload: the history, then live updates from where the last page left off. */
  private async resume(session: Session): Promise<void> {
    if (this.session !== session) return;
    try {
      for (const message of await this.api.messagesAfter(session, 0)) this.show(message, false);
      void this.checkRating(session);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 404)) this.forget();
      // Unreachable or rate limited: try again, history first, so nothing older than the resume point goes missing.
      else setTimeout(() => void this.resume(session), RETRY_MS);
      return;
    }
    this.listen(session);
  }

  private listen(session: Session): void {
    this.realtime = new Realtime({
      api: this.api,
      session,
      onEvent: (event) => this.onEvent(event),
      onProgress: () => saveSession(this.websiteToken, session),
      poll: async () => {
        for (const message of await this.api.messagesAfter(session, this.lastMessageId)) this.show(message, true);
      },
    });
  }

  private onEvent(event: RealtimeEvent): void {
    if (event.conversation_id !== this.session?.conversation_id) return;
    const { message, typing, sender } = event.data;
    if (event.type === 'message_created' && message) this.show(message, true);
    // Replayed after a reconnect too: ask the server whether this resolution is still unrated.
    else if (event.data.conversation && (event.type === 'conversation_updated' || event.type === 'conversation_resolved'))
      if (event.data.conversation.status === 'resolved' && this.session) void this.checkRating(this.session);
      else this.view?.showRating(false);
    else if (event.type === 'message_updated' && message) this.view?.updateMessage(message);
    else if (event.type === 'typing' && sender && sender.type !== 'contact')
      this.view?.setAgentTyping(typing ? sender.name || this.t.support : null);
  }

  private show(message: Message, live: boolean): void {
    const view = this.view;
    if (!view || !view.addMessage(message)) return;
    this.lastMessageId = Math.max(this.lastMessageId, message.id);
    if (!live) return;
    this.emit('message', message);
    if (message.sender.type === 'contact') return;
    view.setAgentTyping(null);
    if (!this.isOpen && message.message_type === 'outgoing') {
      view.setUnread(view.unreadCount + 1);
      this.emit('unread', view.unreadCount);
    }
  }

  /** A resolved conversation not yet rated since its resolution asks for a rating (after a reload too). */
  private async checkRating(session: Session): Promise<void> {
    const conversation = await this.api.conversation(session).catch(() => null);
    if (conversation && this.session === session) this.view?.showRating(conversation.status === 'resolved' && !conversation.csat);
  }

  private async rate(rating: number, comment: string): Promise<boolean> {
    if (!this.session) return false;
    this.view?.setError(null);
    try {
      await this.api.rate(this.session, rating, comment);
      return true;
    } catch (err) {
      // Already rated (another tab) or reopened meanwhile: the prompt has nothing left to do.
      if (err instanceof ApiError && err.status === 409) {
        this.view?.showRating(false);
        return false;
      }
      this.view?.setError(this.t.notSent);
      return false;
    }
  }

  private async send(text: string, contact: Contact, files: File[] = []): Promise<void> {
    const view = this.view!;
    view.setBusy(true);
    const pending = view.addPending(text || files.map((f) => f.name).join(', '));
    try {
      if (this.session) {
        this.stopTyping();
        const message = files.length
          ? await this.api.sendWithFiles(this.session, text, files)
          : await this.api.sendMessage(this.session, text);
        pending.remove();
        this.show(message, true);
      } else {
        // A conversation starts with text; files that came with the first message follow it at once.
        const created = await this.startConversation(contact, text || files.map((f) => f.name).join(', '));
        const session: Session = { conversation_id: created.id, conversation_token: created.conversation_token, last_event_id: 0 };
        this.session = session;
        saveSession(this.websiteToken, session);
        this.updatePrechat();
        // Everything the server stored (the message, a greeting) comes back through the list and the replayed events.
        const stored = created.messages ?? (await this.api.messagesAfter(session, 0).catch(() => []));
        pending.remove();
        for (const message of stored) this.show(message, true);
        if (files.length) this.show(await this.api.sendWithFiles(session, '', files), true);
        this.listen(session);
      }
    } catch (err) {
      pending.remove();
      if (this.session && err instanceof ApiError && (err.status === 401 || err.status === 404)) this.forget();
      view.setError(this.t.notSent);
      view.restoreDraft(text);
      view.addFiles(files);
    } finally {
      view.setBusy(false);
    }
  }

  /** A pick from the AI agent's choices: sent as the visitor's message (its title), which the bot answers. */
  private async choose(choices: Message, item: ChoiceItem): Promise<void> {
    const view = this.view!;
    if (!this.session) return;
    view.setError(null);
    try {
      this.show(await this.api.sendChoice(this.session, choices, item), true);
      view.updateMessage({ ...choices, content_attributes: { ...choices.content_attributes, submitted_value: item.value } });
    } catch (err) {
      // Already answered elsewhere (another tab): the server's copy says which; otherwise the buttons come back.
      if (err instanceof ApiError && err.status === 409) return;
      view.updateMessage(choices);
      view.setError(this.t.notSent);
    }
  }

  private async giveFeedback(answer: Message, helpful: boolean): Promise<void> {
    const view = this.view!;
    if (!this.session) return;
    view.setError(null);
    try {
      view.updateMessage(await this.api.feedback(this.session, answer, helpful));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return;
      view.updateMessage(answer);
      view.setError(this.t.notSent);
    }
  }

  /**
   * The first message opens the conversation, with the site's proof of the visitor's e-mail when it gave
   * one (and the visitor did not type another). A proof the server refuses (a rotated secret, a bug in the
   * site's code) must not cost the visitor their chat: it is reported once and the message goes without it.
   */
  private async startConversation(typed: Contact, text: string): Promise<CreatedConversation> {
    const { identifier_hash, ...user } = this.user;
    const contact: Contact = { ...user, ...typed };
    const vouched = identifier_hash && contact.email === user.email ? { ...contact, identifier_hash } : contact;
    try {
      return await this.api.createConversation(vouched, text, this.t.lang);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'invalid_identifier_hash')) throw err;
      console.warn(`[Nova Chat] identifier_hash refused (${err.message}); this conversation starts unverified`);
      return this.api.createConversation(contact, text, this.t.lang);
    }
  }

  /** The stored conversation is gone (deleted, token revoked): start over with a new one. */
  private forget(): void {
    this.realtime?.stop();
    this.realtime = null;
    this.session = null;
    clearSession(this.websiteToken);
    this.updatePrechat();
  }

  private typed(): void {
    if (!this.session) return;
    if (Date.now() - this.typingSentAt > TYPING_REFRESH_MS) this.signalTyping(true);
    clearTimeout(this.typingStopTimer);
    this.typingStopTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingStopTimer);
    if (this.typingSentAt) this.signalTyping(false);
  }

  private signalTyping(typing: boolean): void {
    const session = this.session;
    if (!session) return;
    this.typingSentAt = typing ? Date.now() : 0;
    if (!this.realtime?.sendTyping(typing)) this.api.typing(session, typing).catch(() => undefined);
  }

  private setOpen(open: boolean): void {
    if (open === this.isOpen) return;
    this.isOpen = open;
    this.view?.setOpen(open);
    this.emit(open ? 'open' : 'close');
    if (open && this.view?.unreadCount) {
      this.view.setUnread(0);
      this.emit('unread', 0);
    }
  }

  private setUser(user: Contact): void {
    const clean = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const email = clean(user?.email);
    const hash = clean(user?.identifier_hash);
    // A malformed email or hash would make the server refuse the visitor's first message.
    if (hash && !IDENTIFIER_HASH.test(hash)) console.warn('[Nova Chat] setUser: identifier_hash must be 64 hex characters; ignored');
    this.user = {
      name: clean(user?.name),
      email: email && EMAIL.test(email) ? email : undefined,
      identifier_hash: hash && IDENTIFIER_HASH.test(hash) ? hash : undefined,
    };
    this.updatePrechat();
  }

  /** The name/email form shows only before the first message, and not when the host page already told us who this is. */
  private updatePrechat(): void {
    this.view?.showPrechat(!this.session && !this.user.name && !this.user.email);
  }
}

export function startNovaChat(base: string, websiteToken: string, page: PageSettings): NovaChatApi {
  return new NovaChat(base, websiteToken, page).publicApi;
}
