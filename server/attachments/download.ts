import { notFound } from '../errors.js';
import type { AppContext } from '../http/route.js';
import { isImage } from './content-type.js';
import { attachmentBytes, type AttachmentRow } from './repo.js';

/**
 * A file never runs in the browser that downloads it: its type is the one sniffed when it was stored (with
 * `nosniff`, set for every answer by app.ts), a CSP without any source and a sandbox, and only images are
 * shown inline; everything else, PDF and text included, is a download.
 */
const ATTACHMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/** Answers with the attachment (or its thumbnail: 404 for a file without one). */
export async function sendAttachment(ctx: AppContext, attachment: AttachmentRow, part: 'data' | 'thumbnail'): Promise<void> {
  if (part === 'thumbnail' && !attachment.has_thumbnail) throw notFound('Thumbnail');
  const bytes = await attachmentBytes(ctx.deps.db, attachment.id, part);
  if (!bytes) throw notFound('Attachment');
  const inline = part === 'thumbnail' || isImage(attachment.content_type);
  ctx.attachment(part === 'thumbnail' ? `thumbnail-${attachment.filename.replace(/\.[^.]*$/, '')}.jpg` : attachment.filename, {
    type: inline ? 'inline' : 'attachment',
  });
  const type = part === 'thumbnail' ? 'image/jpeg' : attachment.content_type;
  ctx.set('Content-Type', type === 'text/plain' ? 'text/plain; charset=utf-8' : type);
  ctx.set('Content-Security-Policy', ATTACHMENT_CSP);
  // Stored files never change; only whoever may read them keeps a copy.
  ctx.set('Cache-Control', 'private, max-age=86400');
  ctx.body = bytes;
}
