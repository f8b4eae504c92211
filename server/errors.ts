/**
 * The errors every layer throws (repos, services, routes alike): the HTTP layer turns an AppError into
 * its status and the contract's error body, `{"error":{"code","message","details"}}`.
 */
/** An error with the HTTP status, code and details the client gets. */
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
export const unsupportedMediaType = (message: string) => new AppError(415, 'unsupported_media_type', message);
export const validationFailed = (details: FieldError[]) =>
  new AppError(422, 'validation_failed', `Invalid ${details.map((d) => d.field).join(', ')}.`, details);
export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many requests; try again later.') =>
  new AppError(429, 'rate_limited', message, { retry_after: retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
export const planLimitReached = (limit: string, max: number) =>
  new AppError(403, 'plan_limit_reached', `Your plan allows at most ${max} ${limit.replace('_', ' ')}.`, { limit, max });
