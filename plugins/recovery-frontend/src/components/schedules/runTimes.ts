/** How the instants of a schedule read: in its zone with the offset, and in UTC. */
import { offsetMinutes, utcOffset } from '../common/TimeZonePicker';
import { browserTimeZone } from '../exports/ExportDefinitionFields';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * The backend's wall clock with its offset, `2025-03-30T03:30:00+02:00`,
 * as "Sun 2025-03-30 03:30 (UTC+02:00)". The text is read as given, not
 * converted: it is already in the schedule's zone.
 */
export function formatZonedLocal(local: string): string {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(
      local,
    );
  if (!match) {
    return local;
  }
  const [, year, month, day, time, offset] = match;
  const weekday =
    WEEKDAYS[
      new Date(
        Date.UTC(Number(year), Number(month) - 1, Number(day)),
      ).getUTCDay()
    ];
  const utcOffset = offset === 'Z' ? '+00:00' : offset;
  return `${weekday} ${year}-${month}-${day} ${time} (UTC${utcOffset})`;
}

/** An instant as "2025-03-30 01:30 UTC". */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const text = date.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/**
 * The instant just before a day (YYYY-MM-DD) begins in a zone, as ISO: a
 * preview from it lists the runs strictly after, a run at 00:00 included.
 */
export function startOfDayIn(day: string, zone: string): string {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  // The offset at midnight UTC, then at the instant it gave: right across
  // a change of the clocks that day too.
  const guess = midnight - offsetMinutes(zone, new Date(midnight)) * 60_000;
  const start = midnight - offsetMinutes(zone, new Date(guess)) * 60_000;
  return new Date(start - 1).toISOString();
}

/** The day part of the backend's wall clock, `2025-03-30T03:30:00+02:00`. */
export function localDay(local: string): string {
  return local.slice(0, 10);
}

/** The wall clock of an instant in a zone: "Sat 2026-12-05 02:30". */
function wallClock(date: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map(part => [part.type, part.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * An instant of a schedule in its zone, the zone named, and in the
 * viewer's zone when that is another: "Sat 2026-12-05 02:30 Europe/Berlin
 * (UTC+01:00); Sat 2026-12-05 10:30 in your zone, Asia/Tokyo".
 */
export function formatScheduleTime(
  iso: string | null | undefined,
  zone: string,
  viewerZone: string = browserTimeZone(),
): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    return iso ?? '—';
  }
  let text: string;
  try {
    text = `${wallClock(date, zone)} ${zone} (${utcOffset(zone, date)})`;
  } catch {
    return formatUtc(iso);
  }
  if (viewerZone === zone) {
    return text;
  }
  return `${text}; ${wallClock(date, viewerZone)} in your zone, ${viewerZone}`;
}
