import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { AppError, validationFailed } from '../errors.js';
import type { Config } from '../config.js';
import type { FormLimits, UploadedFile } from '../http/multipart.js';
import { isImage, sniffContentType } from './content-type.js';

/** A file checked and ready to store with its message. */
export type PreparedAttachment = { filename: string; content_type: string; size: number; data: Buffer; thumbnail: Buffer | null };

/** Thumbnails fit in this box (twice what the transcript shows, for sharp screens). */
const THUMBNAIL_BOX = 480;
/** Larger images (in pixels) are refused before decoding: a small file can declare a huge canvas. */
const MAX_IMAGE_PIXELS = 50_000_000;

/** The name as the visitor's disk had it, without any folder part, control characters or more than 255 characters. */
export function cleanFilename(name: string, fallback: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001F\u007F"]/g, '')
    .trim();
  if (!base || base === '.' || base === '..') return fallback;
  if (base.length <= 255) return base;
  const ext = path.extname(base).slice(0, 16);
  return base.slice(0, 255 - ext.length) + ext;
}

/** A JPEG thumbnail (WebP would be smaller, but every mail client and old viewer opens JPEG). */
async function thumbnailOf(data: Buffer): Promise<Buffer> {
  return sharp(data, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .rotate() // honour EXIF orientation, as the camera meant it
    .resize(THUMBNAIL_BOX, THUMBNAIL_BOX, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 78 })
    .toBuffer();
}

/**
 * Checks each uploaded file by its content: images (PNG, JPEG, GIF, WebP; decoded, with a thumbnail),
 * PDF and plain text. Anything else is a 415, an image that does not decode a 422, an empty file a 422;
 * nothing is stored until all of them pass.
 */
export async function prepareAttachments(files: UploadedFile[]): Promise<PreparedAttachment[]> {
  const prepared: PreparedAttachment[] = [];
  for (const [index, file] of files.entries()) {
    const field = `attachments[${index}]`;
    if (file.size === 0) throw validationFailed([{ field, message: 'the file is empty' }]);
    const type = sniffContentType(file.buffer);
    if (!type)
      throw new AppError(
        415,
        'unsupported_media_type',
        `${cleanFilename(file.originalname, 'This file')} is not an accepted type: send images (PNG, JPEG, GIF, WebP), PDF or plain text.`,
        [{ field, message: 'not an image, PDF or plain text' }],
      );
    let thumbnail: Buffer | null = null;
    if (isImage(type)) {
      try {
        thumbnail = await thumbnailOf(file.buffer);
      } catch {
        throw validationFailed([{ field, message: 'the image could not be read (damaged, or larger than 50 megapixels)' }]);
      }
    }
    prepared.push({
      filename: cleanFilename(file.originalname, `attachment-${index + 1}`),
      content_type: type,
      size: file.size,
      data: file.buffer,
      thumbnail,
    });
  }
  return prepared;
}

/** The multipart limits of a message with files (NOVA_ATTACHMENT_MAX_FILES, NOVA_ATTACHMENT_MAX_BYTES). */
export const attachmentLimits = (config: Pick<Config, 'attachmentMaxFiles' | 'attachmentMaxBytes'>): FormLimits => ({
  fileField: 'attachments',
  maxFiles: config.attachmentMaxFiles,
  maxFileBytes: config.attachmentMaxBytes,
});

export const ATTACHMENTS_FORM_DESCRIPTION =
  'Files sent with the message (at most 5, 10 MB each by default): images (PNG, JPEG, GIF, WebP), PDF or plain text, decided from ' +
  'the content. Anything else is a 415, too many or too large a 413, an image that does not decode a 422. With files, `content` may be empty.';

/** What an `Idempotency-Key` retry must send again: the fields and the same files (by digest). */
export const fingerprintWithFiles = (body: unknown, files: PreparedAttachment[]) => ({
  body,
  files: files.map((f) => createHash('sha256').update(f.data).digest('hex')),
});
