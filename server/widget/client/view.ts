import { css } from './styles.js';
import { fill, type Strings } from './i18n.js';
import type { Attachment, ChoiceItem, Contact, Message, Position } from './types.js';

/** What the server takes (it checks again, by content): at most this many files of this size, of these types. */
export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.txt,.log,.csv,.md';
const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export type ViewOptions = {
  t: Strings;
  position: Position;
  color: string;
  title: string;
  launcherText: string;
  onToggle(): void;
  onSend(text: string, contact: Contact, files: File[]): void;
  /** An attachment or thumbnail of the conversation, fetched with the conversation token. */
  loadAttachment(path: string): Promise<Blob>;
  /** The visitor rated the resolved conversation; resolves false when it was not recorded. */
  onRate(rating: number, comment: string): Promise<boolean>;
  onTyping(): void;
  /** The visitor picked one of the AI agent's choices. */
  onChoose(choices: Message, item: ChoiceItem): void;
  /** The visitor answered "Did that answer your question?". */
  onFeedback(answer: Message, helpful: boolean): void;
};

/** Builds an element; text goes in through textContent only, never as markup. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** Outline icons as SVG paths (emoji fonts are not on every machine). */
const PAPERCLIP = 'M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9';
const DOCUMENT = 'M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8zM14 3v5h5M8 13h8M8 17h6';

function icon(path: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [name, value] of Object.entries({ viewBox: '0 0 24 24', width: '18', height: '18', 'aria-hidden': 'true', class: 'icon' }))
    svg.setAttribute(name, value);
  const stroke = document.createElementNS(ns, 'path');
  for (const [name, value] of Object.entries({
    d: path,
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  }))
    stroke.setAttribute(name, value);
  svg.append(stroke);
  return svg;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The widget's DOM: a launcher button and a chat dialog inside an open shadow root on a custom
 * element, so host CSS cannot reach in and the widget's CSS cannot leak out.
 */
export class WidgetView {
  readonly host = document.createElement('nova-chat-widget');
  readonly root: ShadowRoot;
  private readonly wrapper = el('div', { class: 'nc' });
  private readonly launcher: HTMLButtonElement;
  private readonly launcherLabel: HTMLSpanElement;
  private readonly badge = el('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
  private readonly panel: HTMLDivElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list = el('ol', { class: 'list', role: 'log', 'aria-live': 'polite' });
  private readonly typing = el('div', { class: 'typing', 'aria-live': 'polite', hidden: '' });
  private readonly error = el('div', { class: 'error', role: 'alert', hidden: '' });
  private readonly prechat: HTMLFormElement;
  private readonly nameInput = el('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: '120' });
  private readonly emailInput = el('input', { type: 'email', name: 'email', autocomplete: 'email', maxlength: '200' });
  private readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly rendered = new Map<number, HTMLElement>();
  private readonly fileInput = el('input', { type: 'file', multiple: '', accept: ACCEPT, hidden: '', tabindex: '-1' });
  private readonly tray = el('ul', { class: 'tray', hidden: '' });
  private files: File[] = [];
  private rating: HTMLElement | null = null;
  private greeting: HTMLElement | null = null;
  private pinnedId = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private unread = 0;

  constructor(private readonly options: ViewOptions) {
    const { t } = options;
    // Inline !important beats any host rule (even `* { display: none !important }`) on the host element.
    this.host.setAttribute('style', 'all:initial!important;display:block!important;position:static!important');
    this.root = this.host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = css;

    this.launcherLabel = el('span', {}, options.launcherText);
    this.launcher = el(
      'button',
      { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-haspopup': 'dialog' },
      this.launcherLabel,
      this.badge,
    );
    this.launcher.addEventListener('click', () => options.onToggle());

    const close = el('button', { type: 'button', class: 'close', 'aria-label': t.closeChat }, '×');
    close.addEventListener('click', () => options.onToggle());
    this.heading = el('h2', {}, options.title);

    this.prechat = el(
      'form',
      { class: 'prechat', 'aria-label': t.intro },
      el('p', {}, t.intro),
      el('label', {}, t.name, this.nameInput),
      el('label', {}, t.email, this.emailInput),
    );
    this.prechat.addEventListener('submit', (e) => e.preventDefault());

    this.textarea = el('textarea', { rows: '1', placeholder: t.placeholder, 'aria-label': t.placeholder, maxlength: '5000' });
    this.sendButton = el('button', { type: 'submit', class: 'send', 'aria-label': t.send }, '➤');
    const attach = el('button', { type: 'button', class: 'attach', 'aria-label': t.attach, title: t.attach }, icon(PAPERCLIP));
    attach.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      this.addFiles([...(this.fileInput.files ?? [])]);
      this.fileInput.value = '';
    });
    // A pasted screenshot arrives as a file of the clipboard.
    this.textarea.addEventListener('paste', (e) => {
      const pasted = [...(e.clipboardData?.files ?? [])];
      if (pasted.length) {
        e.preventDefault();
        this.addFiles(pasted);
      }
    });
    const composer = el('form', { class: 'composer' }, attach, this.textarea, this.sendButton, this.fileInput);
    composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.textarea.addEventListener('input', () => options.onTyping());

    this.panel = el(
      'div',
      { class: 'panel', role: 'dialog', 'aria-modal': 'false', hidden: '' },
      el('div', { class: 'head' }, this.heading, close),
      el('div', { class: 'sr' }, t.messages),
      this.list,
      this.typing,
      this.error,
      this.prechat,
      this.tray,
      composer,
    );
    this.panel.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      this.panel.classList.add('dropping');
    });
    this.panel.addEventListener('dragleave', (e) => {
      if (e.relatedTarget === null || !this.panel.contains(e.relatedTarget as Node)) this.panel.classList.remove('dropping');
    });
    this.panel.addEventListener('drop', (e) => {
      e.preventDefault();
      this.panel.classList.remove('dropping');
      this.addFiles([...(e.dataTransfer?.files ?? [])]);
    });
    this.panel.dataset.drop = t.dropFiles;
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        options.onToggle();
      }
    });

    this.wrapper.append(this.launcher, this.panel);
    this.root.append(style, this.wrapper);
    this.applyLook(options);
    this.setUnread(0);
  }

  mount(): void {
    document.body.append(this.host);
  }

  /** Position, colour, title and launcher text; the server config may change them after mount. */
  applyLook(look: Pick<ViewOptions, 'position' | 'color' | 'title' | 'launcherText'>): void {
    this.wrapper.className = `nc ${look.position === 'bottom_left' ? 'left' : 'right'}`;
    if (/^#[0-9a-f]{3,8}$/i.test(look.color)) this.wrapper.style.setProperty('--nc', look.color);
    this.heading.textContent = look.title;
    this.panel.setAttribute('aria-label', look.title);
    this.launcherLabel.textContent = look.launcherText;
  }

  setOpen(open: boolean): void {
    const focusWasInside = this.root.activeElement !== null;
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.list.scrollTop = this.list.scrollHeight;
      this.textarea.focus();
    } else if (focusWasInside) {
      this.launcher.focus();
    }
  }

  setUnread(count: number): void {
    this.unread = count;
    this.badge.hidden = count === 0;
    this.badge.textContent = String(count);
    const { t } = this.options;
    this.launcher.setAttribute('aria-label', count ? `${t.openChat}, ${fill(t.unread, { n: count })}` : t.openChat);
  }

  get unreadCount(): number {
    return this.unread;
  }

  showPrechat(show: boolean): void {
    this.prechat.hidden = !show;
  }

  showGreeting(name: string, text: string): void {
    this.greeting?.remove();
    this.greeting = this.bubble(name, text, false);
    this.list.prepend(this.greeting);
  }

  /**
   * Adds a message once (by id). The AI agent stores its greeting after the visitor's first message;
   * the greeting shown before the conversation existed stands for it, so it stays on top.
   */
  addMessage(message: Message): boolean {
    if (message.private || this.rendered.has(message.id)) return false;
    if (this.greeting && message.sender.type === 'bot' && message.content === this.greeting.dataset.text) {
      this.pinnedId = message.id;
      this.rendered.set(message.id, this.greeting);
      this.greeting = null;
      return true;
    }
    const node = message.message_type === 'activity' ? el('li', { class: 'activity' }, message.content) : this.messageBubble(message);
    if (message.sender.type === 'contact') this.dropPending(message);
    this.rendered.set(message.id, node);
    // Keep id order even when a live event overtakes a history page.
    const after = [...this.rendered.entries()].filter(([id]) => id > message.id && id !== this.pinnedId).sort(([a], [b]) => a - b)[0];
    if (after) this.list.insertBefore(node, after[1]);
    else this.list.append(node);
    this.scrollDown();
    return true;
  }

  /**
   * Shows a message again after its attributes changed (a choice picked, feedback given). Focus that was on
   * one of its buttons moves to the message box, since the buttons it was on are gone.
   */
  updateMessage(message: Message): void {
    const old = this.rendered.get(message.id);
    if (!old || message.private || message.id === this.pinnedId) return;
    const hadFocus = old.contains(this.root.activeElement);
    const node = this.messageBubble(message);
    old.replaceWith(node);
    this.rendered.set(message.id, node);
    if (hadFocus) this.textarea.focus();
  }

  /** The visitor's message as typed, shown at once and dropped when the stored copy arrives or the send fails. */
  addPending(text: string): HTMLElement {
    const node = this.bubble(this.options.t.you, text, true);
    node.classList.add('pending');
    this.list.append(node);
    this.scrollDown();
    return node;
  }

  /** The stored copy can arrive on the stream before the send returns: it replaces its pending bubble then. */
  private dropPending(message: Message): void {
    const text = message.content || message.attachments.map((a) => a.filename).join(', ');
    for (const node of this.list.querySelectorAll<HTMLElement>('li.pending')) if (node.dataset.text === text) return void node.remove();
  }

  setAgentTyping(name: string | null): void {
    clearTimeout(this.typingTimer);
    this.typing.hidden = name === null;
    this.typing.textContent = name === null ? '' : fill(this.options.t.typing, { name });
    // A lost "stopped typing" event must not leave the indicator up forever.
    if (name !== null) this.typingTimer = setTimeout(() => this.setAgentTyping(null), 8000);
  }

  setError(text: string | null): void {
    this.error.hidden = text === null;
    this.error.textContent = text ?? '';
  }

  setBusy(busy: boolean): void {
    this.sendButton.disabled = busy;
  }

  restoreDraft(text: string): void {
    if (!this.textarea.value) this.textarea.value = text;
  }

  /** Files the visitor picked, dropped or pasted: checked for count, size and type here, shown before sending. */
  addFiles(files: File[]): void {
    const { t } = this.options;
    const limit = formatSize(MAX_FILE_BYTES);
    for (const file of files) {
      if (this.files.length >= MAX_FILES) {
        this.setError(fill(t.tooManyFiles, { n: MAX_FILES }));
        break;
      }
      const typed = file.type === '' || ACCEPT.split(',').includes(file.type) || /\.(txt|log|csv|md)$/i.test(file.name);
      if (file.size > MAX_FILE_BYTES || file.size === 0 || !typed) {
        this.setError(fill(t.fileRefused, { name: file.name || 'file', size: limit }));
        continue;
      }
      this.files.push(file);
    }
    this.renderTray();
  }

  private renderTray(): void {
    const { t } = this.options;
    for (const img of this.tray.querySelectorAll('img')) URL.revokeObjectURL(img.src);
    this.tray.replaceChildren(
      ...this.files.map((file, index) => {
        const name = file.name || `image-${index + 1}.png`;
        const remove = el('button', { type: 'button', class: 'remove', 'aria-label': fill(t.removeFile, { name }) }, '×');
        remove.addEventListener('click', () => {
          this.files.splice(index, 1);
          this.renderTray();
          this.textarea.focus();
        });
        const preview = file.type.startsWith('image/')
          ? el('img', { src: URL.createObjectURL(file), alt: fill(t.image, { name }) })
          : icon(DOCUMENT);
        return el('li', { class: 'chip' }, preview, el('span', { class: 'name' }, name), remove);
      }),
    );
    this.tray.hidden = this.files.length === 0;
  }

  /** After a resolution: 1 to 5 stars (a radio group, so arrow keys and screen readers work) and an optional comment. */
  showRating(show: boolean): void {
    if (!show) {
      this.rating?.remove();
      this.rating = null;
      return;
    }
    if (this.rating) return;
    const { t } = this.options;
    const legend = el('legend', {}, t.ratePrompt);
    const stars = el('div', { class: 'stars' });
    for (let n = 1; n <= 5; n++) {
      const input = el('input', { type: 'radio', name: 'nc-rating', value: String(n), 'aria-label': fill(t.stars, { n }) });
      stars.append(el('label', { class: 'star', title: fill(t.stars, { n }) }, input, el('span', { 'aria-hidden': 'true' }, '★')));
    }
    const comment = el('textarea', { rows: '2', maxlength: '2000', placeholder: t.ratingComment, 'aria-label': t.ratingComment });
    const submit = el('button', { type: 'submit', class: 'rate', disabled: '' }, t.sendRating);
    const form = el('form', { class: 'csat' }, el('fieldset', {}, legend, stars), comment, submit);
    stars.addEventListener('change', () => (submit.disabled = false));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = form.querySelector<HTMLInputElement>('input[name=nc-rating]:checked');
      if (!picked) return;
      submit.disabled = true;
      void this.options.onRate(Number(picked.value), comment.value.trim()).then((ok) => {
        if (!ok) {
          submit.disabled = false;
          return;
        }
        node.replaceChildren(el('p', { class: 'thanks', role: 'status' }, t.ratingThanks));
        this.rating = null;
      });
    });
    const node = el('li', { class: 'rating' }, form);
    this.rating = node;
    this.list.append(node);
    this.scrollDown();
  }

  private submit(): void {
    const text = this.textarea.value.trim();
    if ((!text && !this.files.length) || this.sendButton.disabled) return;
    const contact: Contact = {};
    if (!this.prechat.hidden) {
      const name = this.nameInput.value.trim();
      const email = this.emailInput.value.trim();
      if (email && !EMAIL.test(email)) {
        this.setError(this.options.t.badEmail);
        this.emailInput.focus();
        return;
      }
      if (name) contact.name = name;
      if (email) contact.email = email;
    }
    this.setError(null);
    this.textarea.value = '';
    const files = this.files;
    this.files = [];
    this.renderTray();
    this.options.onSend(text, contact, files);
  }

  private messageBubble(message: Message): HTMLElement {
    const mine = message.sender.type === 'contact';
    const node = this.bubble(mine ? this.options.t.you : message.sender.name || this.options.t.support, message.content, mine);
    if (!message.content) node.querySelector('.text')?.remove();
    if (message.attachments.length) node.append(this.attachments(message.attachments));
    const { kind } = message.content_attributes;
    if (kind === 'choices' && message.content_type === 'input_select') node.append(this.choices(message));
    else if (kind === 'answer' && message.sender.type === 'bot') node.append(this.feedback(message));
    return node;
  }

  /**
   * The AI agent's choices as real buttons in a labelled group (Tab reaches them, Enter or Space picks). Once
   * one is picked they are all disabled and the picked one is marked pressed; focus goes back to the message box.
   */
  private choices(message: Message): HTMLElement {
    const { t } = this.options;
    const picked = message.content_attributes.submitted_value;
    const group = el('div', { class: 'choices', role: 'group', 'aria-label': t.choices });
    const buttons = (message.content_attributes.items ?? []).map((item) => {
      const button = el('button', { type: 'button', class: item.value === 'handoff' ? 'choice person' : 'choice' }, item.title);
      if (picked !== undefined) {
        button.disabled = true;
        button.setAttribute('aria-pressed', String(item.value === picked));
      }
      button.addEventListener('click', () => {
        for (const b of buttons) b.disabled = true;
        button.setAttribute('aria-pressed', 'true');
        this.textarea.focus();
        this.options.onChoose(message, item);
      });
      return button;
    });
    group.append(...buttons);
    return group;
  }

  /** "Did that answer your question?" with Yes / No under an AI answer; once answered, a thank-you in its place. */
  private feedback(message: Message): HTMLElement {
    const { t } = this.options;
    if (message.content_attributes.helpful !== undefined) return el('div', { class: 'feedback done', role: 'status' }, t.feedbackThanks);
    const question = el('span', { id: `nc-feedback-${message.id}` }, t.feedbackQuestion);
    const group = el('div', { class: 'feedback', role: 'group', 'aria-labelledby': question.id }, question);
    const answers = [true, false].map((helpful) => {
      const button = el('button', { type: 'button', class: 'vote' }, helpful ? t.yes : t.no);
      button.addEventListener('click', () => {
        for (const b of answers) b.disabled = true;
        this.textarea.focus();
        this.options.onFeedback(message, helpful);
      });
      return button;
    });
    group.append(...answers);
    return group;
  }

  /**
   * Images as thumbnails that open the full image, other files as download links. Both are fetched with the
   * conversation token and shown from blob: URLs (an <img src> cannot send the token).
   */
  private attachments(files: Attachment[]): HTMLElement {
    const { t } = this.options;
    const list = el('ul', { class: 'files' });
    for (const file of files) {
      const link = el('a', { href: '#', class: file.thumb_url ? 'thumb' : 'file' });
      if (file.thumb_url) {
        const img = el('img', { alt: fill(t.image, { name: file.filename }) });
        link.append(img);
        link.setAttribute('aria-label', fill(t.image, { name: file.filename }));
        void this.options.loadAttachment(file.thumb_url).then(
          (blob) => (img.src = URL.createObjectURL(blob)),
          () => undefined,
        );
      } else {
        link.append(icon(DOCUMENT), `${file.filename} (${formatSize(file.size)})`);
        link.setAttribute('aria-label', fill(t.download, { name: file.filename }));
      }
      link.addEventListener('click', (e) => {
        e.preventDefault();
        void this.options.loadAttachment(file.url).then((blob) => {
          const url = URL.createObjectURL(blob);
          const a = el('a', { href: url, download: file.filename, target: '_blank', rel: 'noopener' });
          // Images open in a tab; everything else is saved under its name.
          if (file.thumb_url) a.removeAttribute('download');
          a.click();
          setTimeout(() => URL.revokeObjectURL(url), 60_000);
        });
      });
      list.append(el('li', {}, link));
    }
    return list;
  }

  private bubble(name: string, text: string, mine: boolean): HTMLElement {
    const node = el('li', { class: mine ? 'msg mine' : 'msg' }, el('span', { class: 'who' }, name), el('span', { class: 'text' }, text));
    node.dataset.text = text;
    return node;
  }

  private scrollDown(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
