import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/**
 * Loads a value and loads it again every `intervalMs` while `active` says
 * so (running jobs, exports in progress), keeping the last value shown.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
  options: { intervalMs?: number; active?: (value: T) => boolean } = {},
) {
  const { intervalMs = 2000, active } = options;
  const state = useAsyncRetry(load, deps);
  const last = useRef<T | undefined>(undefined);
  if (state.value !== undefined) {
    last.current = state.value;
  }
  const value = state.value ?? last.current;
  const polling = value !== undefined && active ? active(value) : false;
  const { retry } = state;
  useEffect(() => {
    if (!polling) {
      return undefined;
    }
    const timer = setTimeout(retry, intervalMs);
    return () => clearTimeout(timer);
  }, [polling, retry, intervalMs, value]);
  return {
    value,
    loading: state.loading && value === undefined,
    error: state.error,
    retry,
  };
}
