/** @public */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff with full jitter: a delay drawn evenly from zero to
 * min(cap, base * 2^(attempt-1)), so retries of many jobs spread out
 * instead of arriving together. A Retry-After answer is a floor.
 *
 * @public
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  options: { retryAfterSeconds?: number; random?: () => number } = {},
): number {
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  const floor = (options.retryAfterSeconds ?? 0) * 1000;
  return Math.max(jittered, Math.min(floor, policy.capMs * 10));
}
