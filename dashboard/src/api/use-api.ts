/** Loads a JSON resource for a component, with loading and error states and a way to reload. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get } from './client';

/** State of one fetched resource. */
export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetches again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

/** GETs `url` (null: nothing to fetch) whenever it changes, or when `reload()` is called. */
export function useApi<T>(url: string | null): ApiState<T> {
  const [state, setState] = useState<{ url: string | null; data: T | undefined; error: ApiError | undefined; loading: boolean }>({
    url,
    data: undefined,
    error: undefined,
    loading: url !== null,
  });
  const [tick, setTick] = useState(0);
  const lastUrl = useRef(url);

  useEffect(() => {
    if (url === null) {
      setState({ url, data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    const sameUrl = lastUrl.current === url;
    lastUrl.current = url;
    setState((s) => ({ url, data: sameUrl ? s.data : undefined, error: undefined, loading: true }));
    get<T>(url, controller.signal).then(
      (data) => setState({ url, data, error: undefined, loading: false }),
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        const e = error instanceof ApiError ? error : new ApiError(0, 'error', String(error));
        setState((s) => ({ url, data: sameUrl ? s.data : undefined, error: e, loading: false }));
      },
    );
    return () => controller.abort();
  }, [url, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = state.url === url;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: current ? state.loading : url !== null, reload };
}
