/**
 * The checks of a date or time that a pattern alone cannot make (no
 * 2026-02-31, no 25:99), shared by the backend's filters and the forms
 * that check a value before sending it. Isomorphic.
 */

/** @public */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A whole day: year, month, day. @public */
export const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date and a time of day, with or without a UTC offset: year, month,
 * day, hour, minute, second, fraction, offset. @public
 */
export const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** @public */
export function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why year, month and day are no calendar date, or undefined. @public */
export function calendarProblem(
  year: number,
  month: number,
  day: number,
): string | undefined {
  if (month < 1 || month > 12) {
    return `there is no month ${String(month).padStart(2, '0')}`;
  }
  const days = daysIn(year, month);
  return day < 1 || day > days
    ? `${MONTH_NAMES[month - 1]} ${year} has ${days} days`
    : undefined;
}

/**
 * Why the time of day or the offset ("+01:00") is out of range, or
 * undefined. @public
 */
export function clockProblem(
  time: { hour: number; minute: number; second?: number },
  offset?: string,
): string | undefined {
  const pad = (n: number) => String(n).padStart(2, '0');
  const problems: string[] = [];
  if (time.hour > 23) {
    problems.push(`hour ${pad(time.hour)} is not 00 to 23`);
  }
  if (time.minute > 59) {
    problems.push(`minute ${pad(time.minute)} is not 00 to 59`);
  }
  if ((time.second ?? 0) > 59) {
    problems.push(`second ${pad(time.second ?? 0)} is not 00 to 59`);
  }
  const parts = /^[+-](\d{2}):(\d{2})$/.exec(offset ?? '');
  if (parts && (Number(parts[1]) > 23 || Number(parts[2]) > 59)) {
    problems.push(`offset ${offset} is not -23:59 to +23:59`);
  }
  return problems.length > 0 ? problems.join(' and ') : undefined;
}
