/**
 * What a file is, decided from its bytes (never from the name or the type the client declared): the
 * formats attachments take are few and have fixed signatures, and images are then decoded by sharp
 * (prepare.ts), which refuses a file that only starts like one.
 */
export type AttachmentType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf' | 'text/plain';

const startsWith = (data: Buffer, signature: string, offset = 0) =>
  data.length >= offset + signature.length && data.subarray(offset, offset + signature.length).equals(Buffer.from(signature, 'latin1'));

/** Text a browser could run as a page or an image (HTML, SVG, XML): refused even as plain text. */
const MARKUP = /^\s*<(?:!doctype|html|svg|\?xml|script|head|body|iframe|object)\b/i;

function isPlainText(data: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return false;
  }
  // Control characters other than tab, newline, form feed and carriage return mean binary data.
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text) && !MARKUP.test(text.replace(/^\uFEFF/, ''));
}

/** The type of an accepted file, or null for anything else (the caller's 415). */
export function sniffContentType(data: Buffer): AttachmentType | null {
  if (startsWith(data, '\x89PNG\r\n\x1a\n')) return 'image/png';
  if (startsWith(data, '\xff\xd8\xff')) return 'image/jpeg';
  if (startsWith(data, 'GIF87a') || startsWith(data, 'GIF89a')) return 'image/gif';
  if (startsWith(data, 'RIFF') && startsWith(data, 'WEBP', 8)) return 'image/webp';
  if (startsWith(data, '%PDF-')) return 'application/pdf';
  if (data.length > 0 && isPlainText(data)) return 'text/plain';
  return null;
}

export const isImage = (type: string) => type.startsWith('image/');
