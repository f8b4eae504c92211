import type { z } from 'zod';
import type { AttachmentMeta } from './repo.js';
import type { attachmentSchema } from './schemas.js';

export type PresentedAttachment = z.infer<typeof attachmentSchema>;

/** Agents (management API, console sockets, webhooks) download with their credentials… */
const AGENT_BASE = '/nc-api/v1/attachments/';
/** …the widget through its own API, with the conversation token (and `?website_token=`, as every widget call). */
const WIDGET_BASE = '/api/v1/widget/attachments/';

export const presentAttachment = (a: AttachmentMeta): PresentedAttachment => ({
  id: a.id,
  filename: a.filename,
  content_type: a.content_type,
  size: a.size,
  url: `${AGENT_BASE}${a.id}`,
  thumb_url: a.thumbnail ? `${AGENT_BASE}${a.id}/thumbnail` : null,
});

const toWidgetUrl = (url: string) => (url.startsWith(AGENT_BASE) ? WIDGET_BASE + url.slice(AGENT_BASE.length) : url);

/** A presented message as the widget sees it: the same, with its attachments' urls on the widget API. */
export function widgetView<M extends { attachments: PresentedAttachment[] }>(message: M): M {
  if (!message.attachments.length) return message;
  return {
    ...message,
    attachments: message.attachments.map((a) => ({ ...a, url: toWidgetUrl(a.url), thumb_url: a.thumb_url && toWidgetUrl(a.thumb_url) })),
  };
}
