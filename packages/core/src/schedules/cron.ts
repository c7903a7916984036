import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { MONTH_NAMES as MONTHS } from '../client/calendar';
import { inputError } from '../errors';
import { CRON_FIELDS, cronDayProblem, cronFieldProblem } from './cronFields';
import { canonicalTimeZone, offsetAt, zonedTime } from '../exports/timezone';
import type { DaylightSavingChange, PreviewRun, SchedulePreview } from './wire';

const DAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Offsets change on quarter hours; zone offsets are looked up per one. */
const QUARTER_HOUR_MS = 15 * 60_000;
/** How far a preview looks for a clock change that moves a run. */
export const DAYLIGHT_SAVING_HORIZON_MS = 366 * DAY_MS;
/** Runs looked at around one clock change, at most (every minute: 360). */
const RUNS_PER_CHANGE = 1000;

/** The zone's canonical IANA name, or a 400 that names the field. */
export function checkScheduleTimeZone(value: unknown): string {
  return canonicalTimeZone(value, 'timezone');
}

/**
 * A five-field cron expression (minute hour day-of-month month
 * day-of-week) parsed in a zone, or a 400 that names the field.
 */
export function parseCron(
  cron: unknown,
  timezone: string,
  from: Date = new Date(),
): CronExpression {
  const help =
    'use five fields: minute hour day-of-month month day-of-week, ' +
    'e.g. "0 8 * * 1" for every Monday at 08:00.';
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw inputError(
      'invalid_cron',
      `cron is ${JSON.stringify(cron)}; ${help}`,
    );
  }
  const fields = cron.trim().split(/\s+/);
  if (fields.length === 1 && fields[0].startsWith('@')) {
    throw inputError(
      'invalid_cron',
      `cron "${cron}" is a shorthand, which schedules do not take ` +
        '("@daily" is "0 0 * * *", "@hourly" is "0 * * * *"); ' +
        help,
    );
  }
  if (fields.length !== 5) {
    throw inputError(
      'invalid_cron',
      `cron "${cron}" has ${fields.length} ${
        fields.length === 1 ? 'field' : 'fields'
      }; ${help}`,
    );
  }
  try {
    return CronExpressionParser.parse(
      [...fields.slice(0, 4), sundayOnce(fields[4])].join(' '),
      { tz: timezone, currentDate: from },
    );
  } catch {
    throw inputError(
      'invalid_cron',
      `cron "${cron}" is not valid: ${cronProblems(fields).join(
        '; ',
      )}; ${help}`,
    );
  }
}

/**
 * A day-of-week list naming Sunday as both 0 (or SUN) and 7, which cron
 * reads as one day and the parser refuses as a repeat, with the 7 left
 * out.
 */
function sundayOnce(dayOfWeek: string): string {
  const items = dayOfWeek.split(',');
  const sunday = items.some(item => item === '0' || /^sun$/i.test(item));
  return sunday && items.includes('7')
    ? items.filter(item => item !== '7').join(',')
    : dayOfWeek;
}

/**
 * Every field the parser refuses, each probed alone in an expression
 * that is otherwise right, in plain words; when each is right alone,
 * why they never meet.
 */
function cronProblems(fields: string[]): string[] {
  const refused = fields.flatMap((text, i) => {
    const probe = ['0', '0', '1', '1', '*'];
    probe[i] = text;
    try {
      CronExpressionParser.parse(probe.join(' '));
      return [];
    } catch {
      return [
        cronFieldProblem(i, text) ??
          `the ${CRON_FIELDS[i].name} field "${text}" is not something cron reads`,
      ];
    }
  });
  return refused.length > 0 ? refused : [cronDayProblem(fields)];
}

/** The next runs strictly after `from`. */
export function nextRuns(
  cron: string,
  timezone: string,
  from: Date,
  count: number,
): Date[] {
  const expression = parseCron(cron, timezone, from);
  const runs: Date[] = [];
  for (let i = 0; i < count; i++) {
    runs.push(expression.next().toDate());
  }
  return runs;
}

/** Slots after `after` up to and including `until`, at most `limit`. */
export function slotsBetween(
  cron: string,
  timezone: string,
  after: Date,
  until: Date,
  limit = 1000,
): Date[] {
  const expression = parseCron(cron, timezone, after);
  const slots: Date[] = [];
  while (slots.length < limit) {
    const next = expression.next().toDate();
    if (next.getTime() > until.getTime()) {
      break;
    }
    slots.push(next);
  }
  return slots;
}

/** The newest slot at or before `at`, or undefined when there is none. */
export function latestSlot(
  cron: string,
  timezone: string,
  at: Date,
): Date | undefined {
  const expression = parseCron(cron, timezone, new Date(at.getTime() + 1));
  return expression.hasPrev() ? expression.prev().toDate() : undefined;
}

/**
 * The next runs in the zone and in UTC, with their daylight-saving notes,
 * and the first clock change within a year of `from` that moves or merges
 * a run, however few runs were asked for.
 */
export function previewSchedule(
  cron: string,
  timezone: string,
  from: Date,
  count = 5,
): SchedulePreview {
  const zone = checkScheduleTimeZone(timezone);
  const expression = parseCron(cron, zone, from);
  const runs: PreviewRun[] = nextRuns(cron, zone, from, count).map(at =>
    previewRun(expression, at, zone),
  );
  const until = from.getTime() + DAYLIGHT_SAVING_HORIZON_MS;
  return {
    cron: cron.trim(),
    timezone: zone,
    description: describeCron(cron),
    from: from.toISOString(),
    runs,
    warnings: runs.flatMap(r => (r.warning ? [r.warning] : [])),
    daylightSaving: {
      checkedUntil: new Date(until).toISOString(),
      next: nextDaylightSavingChange(cron, zone, from.getTime(), until),
    },
  };
}

function previewRun(
  expression: CronExpression,
  at: Date,
  zone: string,
): PreviewRun {
  const warning = dstWarning(expression, at, zone);
  return {
    at: at.toISOString(),
    local: localIso(at.getTime(), zone),
    ...(warning ? { warning } : {}),
  };
}

/**
 * The first change of the zone's offset in (from, until] that moves a
 * run out of a gap or merges it in a repeated hour; changes on days the
 * cron does not run at those hours are passed over.
 */
export function nextDaylightSavingChange(
  cron: string,
  timezone: string,
  from: number,
  until: number,
): DaylightSavingChange | null {
  for (const change of offsetChanges(timezone, from, until)) {
    // dstWarning compares the offsets three hours either side of a run.
    const start = Math.max(from, change.at - 3 * HOUR_MS);
    const expression = parseCron(cron, timezone, new Date(start));
    for (let i = 0; i < RUNS_PER_CHANGE; i++) {
      let at: Date;
      try {
        at = expression.next().toDate();
      } catch {
        break; // the cron has no further run
      }
      if (at.getTime() > change.at + 3 * HOUR_MS || at.getTime() > until) {
        break;
      }
      const run = previewRun(expression, at, timezone);
      if (run.warning) {
        return {
          at: new Date(change.at).toISOString(),
          clocks: change.after > change.before ? 'forward' : 'back',
          offsetBefore: offsetText(change.before),
          offsetAfter: offsetText(change.after),
          run: { ...run, warning: run.warning },
        };
      }
    }
  }
  return null;
}

/** The instants in (from, until] at which the zone's offset changes. */
function offsetChanges(
  timezone: string,
  from: number,
  until: number,
): { at: number; before: number; after: number }[] {
  const changes: { at: number; before: number; after: number }[] = [];
  let at = from;
  let offset = offsetAt(at, timezone);
  // No zone changes its offset twice within a day.
  while (at < until) {
    const next = Math.min(at + DAY_MS, until);
    const after = offsetAt(next, timezone);
    if (after !== offset) {
      let low = Math.floor(at / QUARTER_HOUR_MS);
      let high = Math.floor(next / QUARTER_HOUR_MS);
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(middle * QUARTER_HOUR_MS, timezone) === offset) {
          low = middle;
        } else {
          high = middle;
        }
      }
      changes.push({ at: high * QUARTER_HOUR_MS, before: offset, after });
      offset = after;
    }
    at = next;
  }
  return changes;
}

/** Minutes east of UTC as "+01:00". */
function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

/** `2025-03-30T03:30:00+02:00`: the wall clock with its offset. */
export function localIso(epochMs: number, timezone: string): string {
  const t = zonedTime(epochMs, timezone);
  return (
    `${t.year}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}:` +
    `${p(t.second)}${offsetText(t.offsetMinutes)}`
  );
}

/**
 * A run whose wall clock is not what the cron asked for was moved out of
 * a daylight-saving gap; one whose wall clock also names another instant
 * falls in a repeated hour, and the schedule runs only at the first.
 */
function dstWarning(
  expression: CronExpression,
  at: Date,
  timezone: string,
): string | undefined {
  const t = at.getTime();
  const local = zonedTime(t, timezone);
  const day = `${local.year}-${p(local.month)}-${p(local.day)}`;
  const hours = expression.fields.hour.values as number[];
  const minutes = expression.fields.minute.values as number[];
  if (!hours.includes(local.hour) || !minutes.includes(local.minute)) {
    const gap = offsetAt(t, timezone) - offsetAt(t - 3 * HOUR_MS, timezone);
    const wall = (local.hour * 60 + local.minute - gap + 1440) % 1440;
    const asked = `${p(Math.floor(wall / 60))}:${p(wall % 60)}`;
    return (
      `${asked} does not exist on ${day} in ${timezone} (the clocks go ` +
      `forward); this run is at ${p(local.hour)}:${p(local.minute)} local time.`
    );
  }
  const back =
    offsetAt(t - 3 * HOUR_MS, timezone) - offsetAt(t + 3 * HOUR_MS, timezone);
  if (back > 0) {
    const wall = localIso(t, timezone).slice(0, 16);
    const twin = [t - back * 60_000, t + back * 60_000].find(
      other => localIso(other, timezone).slice(0, 16) === wall,
    );
    if (twin !== undefined) {
      const first = twin < t ? 'second' : 'first';
      return (
        `${p(local.hour)}:${p(local.minute)} happens twice on ${day} in ` +
        `${timezone} (the clocks go back); the schedule runs once, at the ` +
        `${first} (${localIso(t, timezone).slice(19)}).`
      );
    }
  }
  return undefined;
}

/**
 * The cron in plain words, e.g. "every Monday at 08:00". When both day
 * of month and day of week are restricted, cron runs on a day matching
 * either (not both), and the description says so.
 */
export function describeCron(cron: string): string {
  const expression = parseCron(cron, 'UTC');
  const [minuteRaw, hourRaw, domRaw, monthRaw, dowRaw] = cron
    .trim()
    .split(/\s+/);
  const f = expression.fields;
  const minutes = [...f.minute.values] as number[];
  const hours = [...f.hour.values] as number[];
  const doms = ([...f.dayOfMonth.values] as unknown[]).filter(
    (d): d is number => typeof d === 'number',
  );
  const months = [...f.month.values] as number[];
  const dows = [
    ...new Set(
      ([...f.dayOfWeek.values] as (number | string)[])
        .filter((d): d is number => typeof d === 'number')
        .map(d => d % 7),
    ),
  ].sort((a, b) => a - b);

  const time = describeTime(minuteRaw, hourRaw, minutes, hours);
  const domSet = domRaw !== '*' && domRaw !== '?';
  const dowSet = dowRaw !== '*' && dowRaw !== '?';
  let days: string;
  const dowOfMonth = describeDowOfMonth(dowRaw);
  const domText = describeDoms(doms, /L/i.test(domRaw));
  if (domSet && dowSet) {
    days = `on ${domText} and on ${dowOfMonth ?? describeDows(dows)}`;
  } else if (dowSet) {
    days = dowOfMonth ? `on ${dowOfMonth}` : `every ${describeDows(dows)}`;
  } else if (domSet) {
    days = `on ${domText}`;
  } else {
    days = 'every day';
  }
  const monthText =
    monthRaw === '*' ? '' : ` in ${list(months.map(m => MONTHS[m - 1]))}`;
  const either =
    domSet && dowSet
      ? ' (either day is enough: day of month and day of week are OR-ed)'
      : '';
  if (!time.startsWith('every')) {
    return `${days}${monthText} ${time}${either}`;
  }
  return days === 'every day' && monthText === ''
    ? time
    : `${time}, ${days}${monthText}${either}`;
}

function describeTime(
  minuteRaw: string,
  hourRaw: string,
  minutes: number[],
  hours: number[],
): string {
  if (hourRaw === '*' && minuteRaw === '*') {
    return 'every minute';
  }
  if (hourRaw === '*') {
    const step = /^\*\/(\d+)$/.exec(minuteRaw);
    return step
      ? `every ${step[1] === '1' ? 'minute' : `${step[1]} minutes`}`
      : `every hour at minute ${list(minutes.map(String))}`;
  }
  if (minutes.length * hours.length <= 6) {
    const times = hours.flatMap(h => minutes.map(m => `${p(h)}:${p(m)}`));
    return `at ${list(times)}`;
  }
  return `at minute ${list(minutes.map(String))} of hours ${list(
    hours.map(String),
  )}`;
}

function describeDows(dows: number[]): string {
  if (dows.join() === '1,2,3,4,5') {
    return 'weekday (Monday to Friday)';
  }
  return list(dows.map(d => DAYS[d]));
}

function describeDoms(doms: number[], last: boolean): string {
  if (doms.length === 0) {
    return 'the last day of the month';
  }
  const days = `day ${list(doms.map(String))}`;
  return last
    ? `${days} and the last day of the month`
    : `${days} of the month`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];
const DAY_ABBREVIATIONS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * "5#2" as "the second Friday of the month", "5L" as "the last Friday
 * of the month"; undefined for a day of week of another form.
 */
function describeDowOfMonth(dowRaw: string): string | undefined {
  const match = /^([0-7]|[a-z]{3})(?:#([1-5])|L)$/i.exec(dowRaw);
  if (!match) {
    return undefined;
  }
  const index = /^\d$/.test(match[1])
    ? Number(match[1]) % 7
    : DAY_ABBREVIATIONS.indexOf(match[1].toUpperCase());
  if (index < 0) {
    return undefined;
  }
  const which = match[2] ? ORDINALS[Number(match[2]) - 1] : 'last';
  return `the ${which} ${DAYS[index]} of the month`;
}

function list(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function p(n: number): string {
  return String(n).padStart(2, '0');
}
