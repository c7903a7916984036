/**
 * The period the analytics tab reports on: whole UTC days, both ends
 * included, as the date fields show them (YYYY-MM-DD).
 */
export interface Period {
  from: string;
  to: string;
}

const DAY = 86_400_000;

/** The quick choices of the period picker, in days. */
export const QUICK_DAYS = [7, 30, 90];

/** The day `days` after `day` (negative: before), both YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * DAY).toISOString().slice(0, 10);
}

/** The last `days` days up to and including today (UTC). */
export function lastDays(days: number, now = Date.now()): Period {
  const today = new Date(now).toISOString().slice(0, 10);
  return { from: addDays(today, 1 - days), to: today };
}

/** Whether a date field holds a whole date. */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * The query of GET /analytics. Its `to` is the instant the period ends, so
 * the last day is included by asking up to its last millisecond; the
 * backend's messages then name the days as the fields show them.
 */
export function periodQuery(period: Period): { from: string; to: string } {
  return { from: period.from, to: `${period.to}T23:59:59.999Z` };
}

/** The quick choice a period equals, if any. */
export function quickChoiceOf(
  period: Period,
  now = Date.now(),
): number | undefined {
  return QUICK_DAYS.find(days => {
    const quick = lastDays(days, now);
    return quick.from === period.from && quick.to === period.to;
  });
}
