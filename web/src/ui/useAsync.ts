import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, toApiError } from '../api';

export interface AsyncState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  /** Runs the loader again (e.g. after a live event or a retry click); keeps the old data meanwhile. */
  reload: () => void;
  /** Replaces the data locally (e.g. patching a list from a live event without a round trip). */
  setData: (update: T | ((previous: T | undefined) => T)) => void;
}

/**
 * Loads data with `load` whenever `deps` change; errors arrive as ApiError with the server's message.
 * Stale answers (from an earlier `deps`) are dropped.
 *
 *   const incidents = useAsync(() => unwrap(api.GET('/api/v1/incidents')), []);
 *   if (incidents.loading && !incidents.data) return <Loading />;
 *   if (incidents.error) return <ErrorState error={incidents.error} onRetry={incidents.reload} />;
 */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: callers list the deps of `load`
  useEffect(() => {
    let current = true;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (!current) return;
        setDataState(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((update: T | ((previous: T | undefined) => T)) => {
    setDataState((previous) =>
      typeof update === 'function' ? (update as (p: T | undefined) => T)(previous) : update,
    );
  }, []);
  return { data, error, loading, reload, setData };
}

export interface ActionState<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
}

/**
 * Wraps a mutation (form submit, button): tracks `busy`, keeps the server's error for display and
 * resolves to undefined on failure instead of throwing.
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): ActionState<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const actionRef = useRef(action);
  actionRef.current = action;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await actionRef.current(...args);
    } catch (err) {
      setError(toApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
