import { useCallback, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

export interface PollingOptions<T> {
  /** Time between loads while the value is followed. */
  intervalMs?: number | ((value: T) => number);
  /** Whether the value may still change on its own; false stops loading. */
  active?: (value: T) => boolean;
  /**
   * A followed value older than this is stale: the backend has stopped
   * answering, and what is shown may no longer be true.
   */
  staleAfterMs?: number;
}

export interface Polled<T> {
  value: T | undefined;
  loading: boolean;
  error: Error | undefined;
  retry: () => void;
  /** When the value shown was loaded, in epoch milliseconds. */
  loadedAt: number | undefined;
  /** True while followed and no load has answered for staleAfterMs. */
  stale: boolean;
}

/**
 * Loads a value and loads it again every `intervalMs` while `active` says
 * so (running jobs, exports in progress), keeping the last value shown. A
 * load that hangs does not stop the following: after `staleAfterMs` the
 * value is marked stale and a new load replaces the hung one.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
  options: PollingOptions<T> = {},
): Polled<T> {
  const { active } = options;
  // Not useAsyncRetry: its retry does nothing while a load hangs.
  const [attempt, setAttempt] = useState(0);
  const state = useAsync(load, [...deps, attempt]);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  const last = useRef<{ value: T; at: number }>();
  if (state.value !== undefined && last.current?.value !== state.value) {
    last.current = { value: state.value, at: Date.now() };
  }
  const value = state.value ?? last.current?.value;
  const polling = value !== undefined && active ? active(value) : false;
  const intervalMs =
    value !== undefined && typeof options.intervalMs === 'function'
      ? options.intervalMs(value)
      : (options.intervalMs as number | undefined) ?? 2000;
  const staleAfterMs = options.staleAfterMs ?? Math.max(15_000, 5 * intervalMs);

  const loadingSince = useRef<number>();
  if (!state.loading) {
    loadingSince.current = undefined;
  } else if (loadingSince.current === undefined) {
    loadingSince.current = Date.now();
  }

  // Each tick re-renders, so that staleness shows even when nothing answers.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!polling) {
      return undefined;
    }
    const timer = setTimeout(() => {
      const since = loadingSince.current;
      if (since === undefined || Date.now() - since >= staleAfterMs) {
        retry();
      }
      setTick(n => n + 1);
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [polling, retry, intervalMs, staleAfterMs, value, tick]);

  const loadedAt = last.current?.at;
  return {
    value,
    loading: state.loading && value === undefined,
    error: state.error,
    retry,
    loadedAt,
    stale:
      polling && loadedAt !== undefined && Date.now() - loadedAt > staleAfterMs,
  };
}
