import { useCallback, useEffect, useEffectEvent, useState, type DependencyList } from 'react';
import { ApiError } from './client.ts';

export interface Remote<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetches again with the same inputs (after a save, or when the user asks). */
  reload: () => void;
}

/**
 * Loads data for a screen and reloads when `deps` change. A newer load aborts
 * the older one, so a slow answer to an old search never overwrites a new one.
 */
export function useRemote<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Remote<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const runLoad = useEffectEvent(load);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    runLoad(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason instanceof ApiError ? reason : toApiError(reason));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}

function toApiError(reason: unknown): ApiError {
  const detail = reason instanceof Error ? reason.message : String(reason);
  return new ApiError({ type: 'about:blank', title: 'Error', status: 0, detail, code: 'internal' });
}
