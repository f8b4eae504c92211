// The one home of input validation: zod parsing into 422s that name each field, ids, text and list queries.
import { z, type ZodError, type ZodType } from 'zod';
import { badRequest, notFound, validationFailed, type FieldError } from './errors.js';

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

/** Parses `value` with `schema`; a failure is a 422 naming each bad field (prefixed with `where`). */
export function validate<T>(schema: ZodType<T>, value: unknown, where = ''): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodToFieldErrors(result.error, where));
  return result.data;
}

/** Ids are 32-bit `increments()` columns on both databases; a larger number would be a PostgreSQL error, not a miss. */
export const MAX_ID = 2_147_483_647;

/**
 * The id a path segment names, or null. Only the canonical spelling counts (`12`, not `+12`, `0x0c`,
 * `1.2e1`, `012` or ` 12`), so one object has one URL and nothing `Number()` would also read slips through.
 */
export const ID_PATTERN = /^[1-9][0-9]{0,9}$/;

export function parseId(value: string | undefined): number | null {
  if (value === undefined || !ID_PATTERN.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}

/** A path id: anything but a canonical one names no object, so it is a 404 like a missing one. */
export const idParam = (value: string | undefined, what?: string): number => {
  const id = parseId(value);
  if (id === null) throw notFound(what);
  return id;
};

/** An id in a JSON body (`domain_id`, `ai_bot_config_id`, …). */
export const idSchema = z.number().int().positive().max(MAX_ID);

/** How deep arrays and objects may nest in a request body; real bodies nest a few levels, hostile ones 100 000. */
export const MAX_JSON_DEPTH = 64;

/** Refuses parsed JSON nested deeper than MAX_JSON_DEPTH (iteratively: checking it must not exhaust the stack either). */
export function assertJsonDepth(value: unknown): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      throw badRequest('nesting_too_deep', `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels.`);
    for (const child of Object.values(current)) if (child && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
  }
}

/** Paths (`contact.name`) of strings holding a NUL character, which PostgreSQL cannot store and no client means to send. */
export function nulFields(value: unknown, prefix: string[] = []): string[] {
  const found: string[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value, path: prefix }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) found.push(path.join('.') || '(body)');
    } else if (current && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return found;
}

export function assertNoNul(value: unknown, prefix: string[] = []): void {
  const fields = nulFields(value, prefix);
  if (fields.length) throw validationFailed(fields.map((field) => ({ field, message: 'must not contain NUL characters' })));
}

/** An update body that names no field (`{}`): it would change nothing, and an empty UPDATE is not valid SQL. */
export function isEmptyUpdate(body: unknown): boolean {
  return !!body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
}

/** `?page=&per_page=` as the contract's list convention (per_page at most 100). */
export const paginationQueryWith = (defaultPerPage: number) =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    per_page: z.coerce.number().int().min(1).max(100).default(defaultPerPage),
  });
export const paginationQuery = paginationQueryWith(25);
/** For lists a settings screen shows whole (websites, agents, keys: bounded by the plan), a full page by default. */
export const settingsListQuery = paginationQueryWith(100);
export const listResponse = <T extends ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    meta: z.object({ total: z.number().int(), page: z.number().int(), per_page: z.number().int() }),
  });

/** Trimmed, non-empty, bounded text — the common shape of names and labels. */
export const text = (max: number) => z.string().trim().min(1).max(max);

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
