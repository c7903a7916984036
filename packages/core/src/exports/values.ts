import type { CellValue, DatasetColumn } from './Dataset';
import { zonedTime } from './timezone';
import type { ExportColumnType, ExportValueFormatSpec } from './wire';

/**
 * Turns what a database driver returned into the dataset's value:
 * PostgreSQL hands bigints and numerics over as text, SQLite booleans
 * as 0/1. An integer too large for a double stays text, never rounded.
 */
export function toCellValue(type: ExportColumnType, raw: unknown): CellValue {
  if (raw === null || raw === undefined) {
    return null;
  }
  switch (type) {
    case 'integer': {
      if (typeof raw === 'number') {
        return raw;
      }
      const text = String(raw);
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return Number.isFinite(n) ? n : String(raw);
    }
    case 'boolean':
      return raw === true || raw === 1 || raw === '1' || raw === 'true';
    case 'datetime':
      return raw instanceof Date ? raw.toISOString() : String(raw);
    case 'date':
      return raw instanceof Date
        ? raw.toISOString().slice(0, 10)
        : String(raw).slice(0, 10);
    default:
      return String(raw);
  }
}

/** A column as the output shows it: header and presentation. */
export interface OutputColumn {
  column: DatasetColumn;
  header: string;
  format?: ExportValueFormatSpec;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** ISO 8601 with the zone's offset: 2026-12-04T00:30:00.000+01:00. */
export function isoInZone(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return iso;
  }
  const t = zonedTime(ms, timeZone);
  return (
    `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:` +
    `${pad(t.minute)}:${pad(t.second)}.${pad(t.millisecond, 3)}` +
    offsetText(t.offsetMinutes)
  );
}

/** Wall-clock text in the zone: 2026-12-04 00:30:00, or the date only. */
export function wallTimeInZone(
  iso: string,
  timeZone: string,
  dateOnly: boolean,
): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return iso;
  }
  const t = zonedTime(ms, timeZone);
  const date = `${t.year}-${pad(t.month)}-${pad(t.day)}`;
  return dateOnly
    ? date
    : `${date} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/**
 * The wall clock of the instant in the zone as a Date whose UTC fields
 * carry it: spreadsheets know no zones, and exceljs writes UTC fields.
 */
export function wallDate(
  iso: string,
  timeZone: string,
  dateOnly: boolean,
): Date | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return undefined;
  }
  const t = zonedTime(ms, timeZone);
  return new Date(
    Date.UTC(
      t.year,
      t.month - 1,
      t.day,
      dateOnly ? 0 : t.hour,
      dateOnly ? 0 : t.minute,
      dateOnly ? 0 : t.second,
      dateOnly ? 0 : t.millisecond,
    ),
  );
}

const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number from a numeric value or numeric text that survives as one. */
export function asNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string' || !NUMERIC_TEXT.test(value.trim())) {
    return undefined;
  }
  const n = Number(value);
  // Long digit strings (ids, account numbers) would lose digits.
  const digits = value.replace(/[^0-9]/g, '').replace(/^0+/, '');
  return Number.isFinite(n) && digits.length <= 15 ? n : undefined;
}

export function fixed(n: number, decimals: number | undefined): string {
  return decimals === undefined ? String(n) : n.toFixed(decimals);
}

export function percentText(n: number, decimals: number | undefined): string {
  return `${(n * 100).toFixed(decimals ?? 1)}%`;
}

/** How a datetime column shows when no format is asked for. */
export type DefaultDateStyle = 'iso' | 'wall';

/**
 * A cell as text, for CSV and PDF. Formula neutralisation is the
 * caller's business: only text from the data needs it.
 */
export function presentText(
  value: CellValue,
  output: OutputColumn,
  timeZone: string,
  dateStyle: DefaultDateStyle,
): { text: string; fromData: boolean } {
  if (value === null) {
    return { text: '', fromData: false };
  }
  const type = output.column.type;
  const format = output.format?.type;
  if (format === 'text') {
    return { text: String(value), fromData: true };
  }
  if (type === 'datetime' && typeof value === 'string') {
    if (format === 'date' || format === 'datetime' || dateStyle === 'wall') {
      return {
        text: wallTimeInZone(value, timeZone, format === 'date'),
        fromData: false,
      };
    }
    return { text: isoInZone(value, timeZone), fromData: false };
  }
  if (format === 'number' || format === 'percentage') {
    const n = asNumber(value);
    if (n !== undefined) {
      return {
        text:
          format === 'number'
            ? fixed(n, output.format?.decimals)
            : percentText(n, output.format?.decimals),
        fromData: false,
      };
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { text: String(value), fromData: false };
  }
  return { text: value, fromData: true };
}

/** A cell as a JSON value: numbers stay numbers, dates become text. */
export function presentJson(
  value: CellValue,
  output: OutputColumn,
  timeZone: string,
): CellValue {
  if (value === null) {
    return null;
  }
  const format = output.format?.type;
  if (format === 'number') {
    const n = asNumber(value);
    if (n !== undefined) {
      const decimals = output.format?.decimals;
      return decimals === undefined ? n : Number(n.toFixed(decimals));
    }
    return value;
  }
  if (format === 'percentage' || format === 'text' || format === 'date') {
    return presentText(value, output, timeZone, 'iso').text;
  }
  if (output.column.type === 'datetime') {
    return presentText(value, output, timeZone, 'iso').text;
  }
  return value;
}
