import type { Context, Next } from 'koa';
import { ZodError } from 'zod';
import type { Logger } from 'pino';

/**
 * The one error type routes throw. Its JSON is the contract's error shape:
 * `{"error":{"code","message","details"}}`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type FieldError = { field: string; message: string };

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Missing or invalid credentials.') => new AppError(401, 'unauthorized', message);
export const forbidden = (code: string, message: string, details?: unknown) => new AppError(403, code, message, details);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooLarge = (message: string, details?: unknown) => new AppError(413, 'payload_too_large', message, details);
export const validationFailed = (details: FieldError[]) =>
  new AppError(422, 'validation_failed', `Invalid ${details.map((d) => d.field).join(', ')}.`, details);
export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many requests; try again later.') =>
  new AppError(429, 'rate_limited', message, { retry_after: retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
export const planLimitReached = (limit: string, max: number) =>
  new AppError(403, 'plan_limit_reached', `Your plan allows at most ${max} ${limit.replace('_', ' ')}.`, { limit, max });

type Issue = ZodError['issues'][number];

/**
 * For a union that matched no branch, report the branch that came closest rather than a bare
 * "Invalid input", so a 422 still names the bad fields: fewest issues, then fewest issues about the
 * body as a whole (a branch that only objects to one field's value fits better than one rejecting keys).
 */
function flattenIssues(issues: readonly Issue[], path: PropertyKey[] = []): { path: PropertyKey[]; message: string; code: string }[] {
  return issues.flatMap((issue) => {
    const here = [...path, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length) {
      const rootIssues = (branch: readonly Issue[]) => branch.filter((i) => i.path.length === 0).length;
      const closest = [...issue.errors].sort((a, b) => a.length - b.length || rootIssues(a) - rootIssues(b))[0]!;
      return flattenIssues(closest, here);
    }
    return [{ path: here, message: issue.message, code: issue.code }];
  });
}

export function zodToFieldErrors(error: ZodError, prefix = ''): FieldError[] {
  const flat = flattenIssues(error.issues).map((issue) => ({ ...issue, key: issue.path.map(String).join('.') }));
  // zod runs length checks even on a value of the wrong type (a string has a length too); the type error says it all.
  const wrongType = new Set(flat.filter((issue) => issue.code === 'invalid_type').map((issue) => issue.key));
  const relevant = flat.filter((issue) => issue.code === 'invalid_type' || !wrongType.has(issue.key));
  return relevant.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

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

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? ''));
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
