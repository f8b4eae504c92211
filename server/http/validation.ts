import { z, type ZodType } from 'zod';
import { validationFailed, zodToFieldErrors } from './errors.js';

/** Parses `value` with `schema`; a failure is a 422 naming each bad field (prefixed with `where`). */
export function validate<T>(schema: ZodType<T>, value: unknown, where = ''): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodToFieldErrors(result.error, where));
  return result.data;
}

export const idParam = (value: string | undefined): number => {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw validationFailed([{ field: 'id', message: 'must be a positive integer' }]);
  return id;
};

/** `?page=&per_page=` as the contract's list convention (per_page at most 100). */
export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
});
export type Pagination = z.infer<typeof paginationQuery>;

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
