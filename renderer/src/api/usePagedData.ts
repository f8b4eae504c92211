import { useCallback, useRef } from 'react';
import { useApiData, type ApiData } from './useApiData.js';

/** One page of a list endpoint: its rows and the list's `meta.total`. */
export type Page<T> = { rows: T[]; total: number };

export type PagedData<T> = ApiData<Page<T>> & {
  /** Appends the next page (rejects when it fails; what is shown stays). */
  loadMore: () => Promise<void>;
};

/**
 * A list loaded page by page: page 1 whenever `deps` change (as `useApiData`, the last call wins), and the next
 * page appended on `loadMore()`. Offset pages shift when rows arrive meanwhile: a row already shown is not
 * repeated, and when the list has grown since page 1 the rows that arrived on top are put first. `keyOf` names
 * a row (its `id` unless said).
 */
export function usePagedData<T>(
  loadPage: (page: number, signal?: AbortSignal) => Promise<Page<T>>,
  deps: React.DependencyList,
  keyOf: (row: T) => number = (row) => (row as { id: number }).id,
): PagedData<T> {
  const pages = useRef(1);
  // Which load of page 1 the pages belong to: a next page asked for before the filters changed is dropped.
  const generation = useRef(0);
  const list = useApiData(async (signal) => {
    generation.current += 1;
    const first = await loadPage(1, signal);
    pages.current = 1;
    return first;
  }, deps);
  const { setData } = list;
  const shownTotal = useRef(0);
  shownTotal.current = list.data?.total ?? 0;

  const loadMore = useCallback(async () => {
    const asked = generation.current;
    const next = await loadPage(pages.current + 1);
    const arrived = next.total > shownTotal.current ? (await loadPage(1)).rows : [];
    if (asked !== generation.current) return;
    pages.current += 1;
    setData((shown) => {
      if (!shown) return shown;
      const known = new Set(shown.rows.map(keyOf));
      const unseen = (rows: T[]) =>
        rows.filter((row) => {
          const fresh = !known.has(keyOf(row));
          known.add(keyOf(row));
          return fresh;
        });
      const rows = [...unseen(arrived), ...shown.rows, ...unseen(next.rows)];
      // Past the end (rows left meanwhile): nothing more to load, whatever the count said before.
      return { rows, total: next.rows.length ? next.total : rows.length };
    });
  }, [...deps, setData]);

  return { ...list, loadMore };
}
