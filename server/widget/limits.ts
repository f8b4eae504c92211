import type { Config } from '../config.js';
import { Throttle, type ThrottleStore } from '../throttle.js';

/** Chatwoot-style abuse limits on the public widget routes (429 + Retry-After), sized by configuration. */
export class WidgetLimits {
  readonly conversationsPerIp: Throttle;
  readonly messagesPerConversation: Throttle;
  /** Typing over HTTP: a browser sends a few a minute; a flood would reach every console. */
  readonly typingPerConversation: Throttle;

  constructor(store: ThrottleStore, config: Config) {
    this.typingPerConversation = new Throttle(store, 'widget_typing', 120, 60, 'Too many typing updates; slow down.');
    this.conversationsPerIp = new Throttle(
      store,
      'widget_conversations',
      config.widgetConversationsPerIp,
      config.widgetConversationsWindowSeconds,
      'Too many new conversations from this address; try again later.',
    );
    this.messagesPerConversation = new Throttle(
      store,
      'widget_messages',
      config.widgetMessagesPerMinute,
      60,
      'Too many messages in this conversation; slow down.',
    );
  }
}
