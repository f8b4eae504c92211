/** A detail of a 422: the contract names each bad field (`title`, `items.3.content`, …). */
export type FieldError = { field: string; message: string };

/** Any non-2xx answer, carrying the contract's `{"error":{code,message,details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Field errors of a 422 as `{field: message}` (first message per field). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.fieldErrorList) out[d.field] ??= d.message;
    return out;
  }

  get fieldErrorList(): FieldError[] {
    if (!Array.isArray(this.details)) return [];
    return this.details
      .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
      .map((d) => ({
        field: String(d.field ?? (d.row !== undefined ? `row ${String(d.row)}` : '')),
        message: String(d.message ?? ''),
      }));
  }
}

/** An error answer's body (parsed JSON, or text): anything not in the contract's shape still becomes a readable ApiError. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  if (typeof error?.message === 'string' && error.message) return new ApiError(status, error.code ?? 'error', error.message, error.details);
  if (status === 404) return new ApiError(404, 'endpoint_missing', 'This feature is not available on this server yet.');
  if (status === 0) return new ApiError(0, 'network_error', 'Cannot reach the server. Check the connection and try again.');
  return new ApiError(status, 'http_error', `The server answered ${status}.`);
}

/** Parses an error answer's text (status 0: the request never got an answer). */
export function toApiError(status: number, text: string): ApiError {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return errorFromBody(status, body);
}

export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : typeof err === 'string' ? err : 'Something went wrong.';
