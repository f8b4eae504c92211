import { z, type ZodType } from 'zod';
import { validationFailed, zodToFieldErrors } from './errors.js';

/** Parses `value` with `schema`; a failure is a 422 naming each bad field (prefixed with `where`). */
export function validate<T>(schema: ZodType<T>, value: unknown, where = ''): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodToFieldErrors(result.error, where));
  return result.data;
}

/** Ids are 32-bit `increments()` columns on both databases; a larger number would be a PostgreSQL error, not a miss. */
export const MAX_ID = 2_147_483_647;

export const idParam = (value: string | undefined): number => {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_ID) throw validationFailed([{ field: 'id', message: 'must be a positive integer' }]);
  return id;
};

/** An id in a JSON body (`domain_id`, `ai_bot_config_id`, …). */
export const idSchema = z.number().int().positive().max(MAX_ID);

/** Paths (`contact.name`) of strings holding a NUL character, which PostgreSQL cannot store and no client means to send. */
export function nulFields(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path.join('.') || '(body)'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulFields(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nulFields(v, [...path, k]));
  return [];
}

export function assertNoNul(value: unknown, prefix: string[] = []): void {
  const fields = nulFields(value, prefix);
  if (fields.length) throw validationFailed(fields.map((field) => ({ field, message: 'must not contain NUL characters' })));
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
export type Pagination = z.infer<typeof paginationQuery>;

export const pageRange = (p: Pagination) => ({ offset: (p.page - 1) * p.per_page, limit: p.per_page });

export function listMeta(total: number, pagination: Pagination) {
  return { total, page: pagination.page, per_page: pagination.per_page };
}

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
