import type { Config } from '../config.js';
import { Throttle } from '../throttle.js';

/** Chatwoot-style abuse limits on the public widget routes (429 + Retry-After), sized by configuration. */
export class WidgetLimits {
  readonly conversationsPerIp: Throttle;
  readonly messagesPerConversation: Throttle;
  /** Typing over HTTP: a browser sends a few a minute; a flood would reach every console. */
  readonly typingPerConversation = new Throttle(120, 60, 'Too many typing updates; slow down.');

  constructor(config: Config) {
    this.conversationsPerIp = new Throttle(
      config.widgetConversationsPerIp,
      config.widgetConversationsWindowSeconds,
      'Too many new conversations from this address; try again later.',
    );
    this.messagesPerConversation = new Throttle(config.widgetMessagesPerMinute, 60, 'Too many messages in this conversation; slow down.');
  }
}
