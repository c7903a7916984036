/** How the instants of a schedule read: in its zone with the offset, and in UTC. */

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
