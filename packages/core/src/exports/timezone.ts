import { currentZoneName } from '../client/timeZones';
import { inputError } from '../errors';

/** Wall-clock fields of an instant in a time zone. */
export interface ZonedTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC at that instant. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
// Offsets only change on quarter hours, so one look-up per quarter hour
// serves every instant in it; Intl is far slower than this cache.
const QUARTER_HOUR = 15 * 60 * 1000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * Abbreviations that Intl reads as a fixed offset although people who
 * write them mostly mean a region's time, summer time included.
 */
const FIXED_ABBREVIATIONS: Record<
  string,
  { hours: number; city: string; zone: string }
> = {
  EST: { hours: 5, city: 'New York', zone: 'America/New_York' },
  MST: { hours: 7, city: 'Denver', zone: 'America/Denver' },
};

/**
 * A zone's canonical IANA name ("europe/berlin" is "Europe/Berlin",
 * "Asia/Calcutta" is "Asia/Kolkata"), or a 400 naming the field and the
 * bad value.
 */
export function canonicalTimeZone(value: unknown, field: string): string {
  const fixed =
    typeof value === 'string' ? FIXED_ABBREVIATIONS[value.trim()] : undefined;
  if (fixed) {
    throw inputError(
      'invalid_timezone',
      `${field} is "${value}", which is UTC-0${fixed.hours}:00 all year, ` +
        `without daylight saving; for the time in ${fixed.city} use ` +
        `"${fixed.zone}", or "Etc/GMT+${fixed.hours}" if a fixed offset is ` +
        'meant.',
    );
  }
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      return currentZoneName(
        formatter(value.trim()).resolvedOptions().timeZone,
      );
    } catch {
      // reported below
    }
  }
  throw inputError(
    'invalid_timezone',
    `${field} is ${JSON.stringify(value)}, which is not an IANA time zone; ` +
      'use a name such as "Europe/Berlin", "America/New_York" or "UTC".',
  );
}

/** The export's zone, UTC when none is given. */
export function checkTimeZone(value: unknown): string {
  return value === undefined
    ? 'UTC'
    : canonicalTimeZone(value, 'options.timezone');
}

/** Minutes east of UTC of the zone at an instant. */
export function offsetAt(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / QUARTER_HOUR);
  const key = `${timeZone}|${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const at = bucket * QUARTER_HOUR;
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') {
      parts[part.type] = Number(part.value);
    }
  }
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const offset = Math.round((wall - at) / 60000);
  if (offsets.size > 50_000) {
    offsets.clear();
  }
  offsets.set(key, offset);
  return offset;
}

/** The wall clock of an instant in a zone. */
export function zonedTime(epochMs: number, timeZone: string): ZonedTime {
  const offsetMinutes = offsetAt(epochMs, timeZone);
  const wall = new Date(epochMs + offsetMinutes * 60000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds(),
    offsetMinutes,
  };
}

/** The instant a wall-clock time in a zone stands for. */
export function instantOf(
  wall: Omit<ZonedTime, 'offsetMinutes' | 'millisecond'> & {
    millisecond?: number;
  },
  timeZone: string,
): number {
  const utc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
    wall.millisecond ?? 0,
  );
  // Two rounds settle the offset, also next to a daylight-saving change.
  let instant = utc - offsetAt(utc, timeZone) * 60000;
  instant = utc - offsetAt(instant, timeZone) * 60000;
  return instant;
}
