/** Scales and ticks of the analytics charts: pure, so they are tested alone. */

/** Maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to r0. */
export function linearScale(
  domain: [number, number],
  range: [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) {
    return () => r0;
  }
  return value => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/**
 * Ticks of a count axis from 0: whole numbers in steps of 1, 2 or 5 times a
 * power of ten, the last at or above `max`, about `count` of them.
 */
export function countTicks(max: number, count = 5): number[] {
  if (!(max > 0)) {
    return [0, 1];
  }
  const raw = max / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map(f => f * power).find(s => s >= raw) ?? 10 * power,
  );
  const ticks = [0];
  while (ticks[ticks.length - 1] < max) {
    ticks.push(ticks[ticks.length - 1] + step);
  }
  return ticks;
}

/** The shares 0, 25, 50, 75 and 100 % of a rate axis. */
export const RATE_TICKS = [0, 0.25, 0.5, 0.75, 1];

/**
 * Splits `length` into `count` equal bands, each holding a bar of
 * `1 - padding` of the band, centred.
 */
export function bands(count: number, length: number, padding = 0.3) {
  const step = count > 0 ? length / count : length;
  const size = step * (1 - padding);
  return {
    step,
    size,
    /** Where the bar of band `index` starts. */
    start: (index: number) => index * step + (step - size) / 2,
  };
}

/**
 * Which of `count` evenly spaced days get a tick: every n-th from the
 * first, so that at most `max` of them do.
 */
export function dayTickIndexes(count: number, max = 6): number[] {
  if (count <= 0) {
    return [];
  }
  const every = Math.max(1, Math.ceil(count / Math.max(1, max)));
  const indexes: number[] = [];
  for (let i = 0; i < count; i += every) {
    indexes.push(i);
  }
  return indexes;
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/**
 * A day of the API (YYYY-MM-DD) as a tick: "Dec 4", with the year when it
 * differs from the previous tick's or there is none before.
 */
export function dayLabel(day: string, previous?: string): string {
  const [year, month, date] = day.split('-');
  const label = `${MONTHS[Number(month) - 1] ?? month} ${Number(date)}`;
  return previous === undefined || previous.slice(0, 4) !== year
    ? `${label}, ${year}`
    : label;
}
