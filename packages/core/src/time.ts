/** Fixed-width ISO 8601 UTC text: it sorts and compares as time does. */
export function isoNow(clock: () => number = Date.now): string {
  return new Date(clock()).toISOString();
}

export function isoIn(ms: number, clock: () => number = Date.now): string {
  return new Date(clock() + ms).toISOString();
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
