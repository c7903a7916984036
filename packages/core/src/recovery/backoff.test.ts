import { backoffDelay, type BackoffPolicy } from './backoff';

const policy: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };
const lowest = () => 0;
const highest = () => 0.999;

describe('backoffDelay', () => {
  it('draws zero when the random draw is zero (full jitter)', () => {
    for (const attempt of [1, 2, 5, 20]) {
      expect(backoffDelay(attempt, policy, { random: lowest })).toBe(0);
    }
  });

  it('draws just under the ceiling when the random draw is near one', () => {
    expect(backoffDelay(1, policy, { random: highest })).toBe(999);
    expect(backoffDelay(3, policy, { random: highest })).toBe(3996);
  });

  it('doubles the ceiling with each attempt', () => {
    const ceilings = [1, 2, 3, 4, 5].map(attempt =>
      backoffDelay(attempt, policy, { random: () => 0.5 }),
    );

    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('never goes past the cap, however many attempts', () => {
    for (const attempt of [7, 10, 31, 100, 10_000]) {
      const delay = backoffDelay(attempt, policy, { random: highest });

      expect(delay).toBeLessThan(policy.capMs);
      expect(delay).toBeGreaterThanOrEqual(policy.capMs * 0.99);
    }
  });

  it('treats attempt 0 or below as the first attempt', () => {
    expect(backoffDelay(0, policy, { random: highest })).toBe(999);
    expect(backoffDelay(-3, policy, { random: highest })).toBe(999);
  });

  it('stays within [0, ceiling) for real random draws', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(4, policy);

      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(8000);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it('waits at least what Retry-After asks', () => {
    expect(
      backoffDelay(1, policy, { retryAfterSeconds: 30, random: lowest }),
    ).toBe(30_000);
    expect(
      backoffDelay(1, policy, { retryAfterSeconds: 30, random: highest }),
    ).toBe(30_000);
  });

  it('keeps the jittered delay when it is longer than Retry-After', () => {
    expect(
      backoffDelay(6, policy, { retryAfterSeconds: 1, random: highest }),
    ).toBe(31_968);
  });

  it('honours a Retry-After above the cap, within ten caps', () => {
    expect(
      backoffDelay(1, policy, { retryAfterSeconds: 120, random: lowest }),
    ).toBe(120_000);
    expect(
      backoffDelay(1, policy, { retryAfterSeconds: 86_400, random: lowest }),
    ).toBe(600_000);
  });

  it('treats Retry-After: 0 as no floor', () => {
    expect(
      backoffDelay(2, policy, { retryAfterSeconds: 0, random: () => 0.25 }),
    ).toBe(500);
  });
});
