import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AppError, badRequest, conflict, tooLarge, validationFailed } from '../errors.js';
import { isUniqueViolation } from '../db/knex.js';
import { zodToFieldErrors } from '../validation.js';

/** Errors raised by co-body / raw-body carry an HTTP status and a `type`. */
type BodyParserError = Error & { status?: number; type?: string; expose?: boolean };

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationFailed(zodToFieldErrors(err));
  const e = err as BodyParserError;
  if (e?.type === 'entity.too.large' || e?.status === 413) return tooLarge('The request body is too large.');
  if (e?.type === 'entity.parse.failed' || (e?.status === 400 && e?.expose))
    return badRequest('invalid_json', 'The request body is not valid JSON.');
  if (e?.status === 415 || e?.type === 'encoding.unsupported')
    return new AppError(415, 'unsupported_media_type', 'Unsupported request encoding.');
  if (isUniqueViolation(err)) return conflict('conflict', 'A record with the same unique value already exists.');
  if (isBadValueForColumn(err))
    return validationFailed([{ field: '(body)', message: 'a value is out of range or not storable (ids are at most 2147483647)' }]);
  return null;
}

/** PostgreSQL's "numeric value out of range" and "character not storable" errors: bad input that slipped past a schema. */
function isBadValueForColumn(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '22003' || code === '22021' || code === '22P05';
}

export function errorBody(err: AppError) {
  return { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
}

/** Catches everything below it; known errors become their 4xx, the rest a bare 500 with the stack only in the log. */
export function errorMiddleware(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (err) {
      const known = toAppError(err);
      const appError = known ?? new AppError(500, 'internal_error', 'Something went wrong on the server.');
      if (!known) log.error({ err, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = appError.status;
      ctx.set(appError.headers);
      ctx.body = errorBody(appError);
    }
  };
}
