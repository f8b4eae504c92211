import coBody from 'co-body';
import { AppError, badRequest } from '../errors.js';
import { assertJsonDepth, assertNoNul } from '../validation.js';
import type { AppContext } from './route.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body of a route that declares one. */
    body?: unknown;
  }
}

/** zlib and brotli stream errors (`Z_DATA_ERROR`, `Z_BUF_ERROR`, `ERR__ERROR_FORMAT_…`): the client sent a corrupt body. */
function isDecompressionError(err: unknown): boolean {
  const e = err as { errno?: unknown; code?: unknown };
  return typeof e?.errno === 'number' && typeof e.code === 'string' && /^(Z_|ERR__)/.test(e.code);
}

const unsupportedEncoding = (encoding: string) =>
  new AppError(415, 'unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send identity, gzip, deflate or br.`);

/**
 * The request body as text, decompressed per `Content-Encoding` (gzip, deflate, br) and bounded by
 * `limit` after decompression (413 past it, so a small bomb cannot expand without bound). A corrupt
 * compressed body is a 400 and an unknown encoding a 415. Every route that reads a body reads it here.
 */
export async function readBodyText(ctx: AppContext, limit: string | number): Promise<string> {
  try {
    return await coBody.text(ctx, { limit, encoding: 'utf8' });
  } catch (err) {
    if (isDecompressionError(err))
      throw badRequest('invalid_encoding', `The request body is not valid ${ctx.get('content-encoding')} data.`);
    if ((err as { status?: number }).status === 415) throw unsupportedEncoding(ctx.get('content-encoding'));
    throw err;
  }
}

/** For bodies a library reads straight off the socket (multipart): only uncompressed ones can be read. */
export function assertIdentityEncoding(ctx: AppContext): void {
  const encoding = ctx.get('content-encoding').trim().toLowerCase();
  if (encoding && encoding !== 'identity') throw unsupportedEncoding(encoding);
}

/** Parses JSON text (a leading BOM is allowed): 400 when it is not JSON or nests deeper than any real body does. */
export function parseJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.');
  }
  assertJsonDepth(parsed);
  return parsed;
}

/**
 * Reads the body and parses it as JSON whatever the Content-Type says, so `curl -d` without a header
 * still works; an empty body is `undefined` (the route's schema decides whether that is allowed).
 */
export async function readJsonBody(ctx: AppContext, limit: string): Promise<unknown> {
  const raw = await readBodyText(ctx, limit);
  if (raw.trim() === '') return undefined;
  const parsed = parseJson(raw);
  assertNoNul(parsed);
  return parsed;
}
