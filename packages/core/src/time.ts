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

/** A window in whole minutes, in words: "1 minute", "60 minutes". */
export function minutesText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}
