import coBody from 'co-body';
import { badRequest } from '../errors.js';
import { assertNoNul } from '../validation.js';
import type { AppContext } from './route.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body of a route that declares one. */
    body?: unknown;
  }
}

/**
 * Reads the body as text (bounded by BODY_LIMIT: 413 past it) and parses it as JSON whatever the
 * Content-Type says, so `curl -d` without a header still works; bad JSON is a 400.
 */
export async function readJsonBody(ctx: AppContext, limit: string): Promise<unknown> {
  const raw = await coBody.text(ctx, { limit, encoding: 'utf8' });
  if (raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.');
  }
  assertNoNul(parsed);
  return parsed;
}
