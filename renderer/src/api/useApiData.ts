import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './errors.js';

export type ApiData<T> = {
  data: T | undefined;
  error: ApiError | Error | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: React.Dispatch<React.SetStateAction<T | undefined>>;
};

/**
 * Loads `load()` on mount and whenever `deps` change; the last call wins (earlier answers are dropped),
 * so filters typed quickly never show stale results.
 */
export function useApiData<T>(load: (signal: AbortSignal) => Promise<T>, deps: React.DependencyList): ApiData<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(true);
  const current = useRef<AbortController | null>(null);

  const run = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    try {
      const value = await load(controller.signal);
      if (controller.signal.aborted) return;
      setData(value);
      setError(null);
    } catch (err) {
      if (controller.signal.aborted || (err as Error).name === 'AbortError') return;
      setError(err as Error);
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, deps);

  useEffect(() => {
    void run();
    return () => current.current?.abort();
  }, [run]);

  return { data, error, loading, reload: run, setData };
}
