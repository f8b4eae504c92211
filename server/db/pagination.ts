/** A page of a list, as the contract's `?page=&per_page=` names it (parsed by `paginationQuery`). */
export type Pagination = { page: number; per_page: number };

export const pageRange = (p: Pagination) => ({ offset: (p.page - 1) * p.per_page, limit: p.per_page });

/** The `meta` of a list response. */
export function listMeta(total: number, pagination: Pagination) {
  return { total, page: pagination.page, per_page: pagination.per_page };
}
