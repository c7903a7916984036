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

/** The longest period the backend reports on, both days counted. */
export const MAX_PERIOD_DAYS = 366;

/** Whether a date field holds a whole date of the calendar (no 02-30). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Days from `from` to `to`, both counted. */
export function periodDays(period: Period): number {
  return (Date.parse(period.to) - Date.parse(period.from)) / DAY + 1;
}

/** Which field of the period picker a problem is about. */
export type PeriodField = 'from' | 'to' | 'both';

/**
 * What is wrong with a period before it is sent, in the words of the
 * picker, with what to do; undefined when the backend will take it.
 */
export function periodProblem(
  period: Period,
): { field: PeriodField; message: string } | undefined {
  if (period.from === '' || period.to === '') {
    return {
      field: period.from === '' ? 'from' : 'to',
      message: 'Enter both dates, e.g. 2026-12-01.',
    };
  }
  for (const field of ['from', 'to'] as const) {
    if (!isDay(period[field])) {
      const name = field === 'from' ? 'From' : 'To';
      return {
        field,
        message: `The ${name} date “${period[field]}” is not a day of the calendar: pick it with the date picker, or write it as YYYY-MM-DD.`,
      };
    }
  }
  if (period.from > period.to) {
    return {
      field: 'both',
      message: `The From date (${period.from}) is after the To date (${period.to}): pick a From date on or before the To date.`,
    };
  }
  const days = periodDays(period);
  if (days > MAX_PERIOD_DAYS) {
    return {
      field: 'both',
      message: `The period ${period.from} to ${
        period.to
      } is ${days} days long; it may be at most ${MAX_PERIOD_DAYS}: move From to ${addDays(
        period.to,
        1 - MAX_PERIOD_DAYS,
      )} or later, or pick a quick choice.`,
    };
  }
  return undefined;
}

/**
 * Why the backend refused a period (a 400), in the picker's words: the
 * answer names query parameters and instants the user never typed.
 */
export function refusalOf(period: Period, answer: string): string {
  const problem = periodProblem(period);
  if (problem) {
    return problem.message;
  }
  const longest = /at most (\d+) days/.exec(answer);
  if (longest) {
    return `The backend shows at most ${longest[1]} days at once: pick a shorter period, e.g. one of the quick choices.`;
  }
  if (/must be before/.test(answer)) {
    return 'The From date must be before the To date: pick a From date on or before the To date.';
  }
  if (/not a date/.test(answer)) {
    return 'The backend could not read one of the dates: pick both with the date picker, or choose a quick choice.';
  }
  return `The backend did not accept this period (${answer}): pick other dates, or one of the quick choices.`;
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
