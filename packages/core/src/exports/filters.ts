import {
  calendarProblem,
  clockProblem,
  DATE_ONLY,
  DATE_TIME,
} from '../client/calendar';
import { inputError } from '../errors';
import type { Dataset, DatasetColumn, DatasetFilter } from './Dataset';
import { instantOf } from './timezone';
import type { ExportFilterValue } from './wire';

export const FILTER_OPERATORS = [
  'eq',
  'in',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;
type Operator = (typeof FILTER_OPERATORS)[number];

const RANGE_TYPES = ['integer', 'number', 'date', 'datetime'];
const TEXT_TYPES = ['text', 'id'];
const DATE_TIME_FORMS =
  'use YYYY-MM-DD for a whole day or YYYY-MM-DDTHH:MM[:SS], e.g. ' +
  "2026-12-04T10:00 in the export's time zone or 2026-12-04T10:00:00Z";

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks `filters` against the dataset's columns and turns each into
 * operators with values of the column's stored type. Dates without an
 * offset are wall-clock times in the export's time zone; a bare date
 * stands for the whole day.
 */
export function parseFilters(
  dataset: Dataset,
  filters: unknown,
  timeZone: string,
): DatasetFilter[] {
  if (filters === undefined || filters === null) {
    return [];
  }
  if (!isPlainObject(filters)) {
    throw inputError(
      'invalid_filters',
      'filters must be an object mapping a column to a value or to ' +
        'operators, e.g. { "status": "failed", "createdAt": { "gte": "2026-12-01" } }.',
    );
  }
  const result: DatasetFilter[] = [];
  for (const [name, spec] of Object.entries(filters)) {
    const column = filterColumn(dataset, name);
    const operators: [string, unknown][] = isPlainObject(spec)
      ? Object.entries(spec)
      : [[Array.isArray(spec) ? 'in' : 'eq', spec]];
    if (operators.length === 0) {
      throw inputError(
        'invalid_filters',
        `filters.${name} has no operator; allowed: ${FILTER_OPERATORS.join(
          ', ',
        )}.`,
      );
    }
    for (const [op, value] of operators) {
      result.push(
        ...parseOperator(column, `filters.${name}`, op, value, timeZone),
      );
    }
  }
  return result;
}

function filterColumn(dataset: Dataset, name: string): DatasetColumn {
  const filterable = dataset.columns.filter(c => c.source !== undefined);
  const column = filterable.find(c => c.name === name);
  if (!column) {
    const known = dataset.columns.some(c => c.name === name);
    throw inputError(
      'unknown_filter_column',
      `filters.${name}: ${
        known ? 'that column cannot be filtered' : 'no such column'
      } in dataset '${dataset.name}'; allowed: ${filterable
        .map(c => c.name)
        .join(', ')}.`,
    );
  }
  return column;
}

function parseOperator(
  column: DatasetColumn,
  where: string,
  op: string,
  value: unknown,
  timeZone: string,
): DatasetFilter[] {
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
    throw inputError(
      'unknown_filter_operator',
      `${where}: operator '${op}' is not known; allowed: ${FILTER_OPERATORS.join(
        ', ',
      )}.`,
    );
  }
  const operator = op as Operator;
  if (operator === 'contains') {
    if (!TEXT_TYPES.includes(column.type) || typeof value !== 'string') {
      throw inputError(
        'invalid_filter_value',
        `${where}.contains takes text and works on text columns; ` +
          `'${column.name}' is ${column.type}, the value ${JSON.stringify(
            value,
          )}.`,
      );
    }
    return [{ column, op: operator, value }];
  }
  if (['gt', 'gte', 'lt', 'lte'].includes(operator)) {
    if (!RANGE_TYPES.includes(column.type)) {
      throw inputError(
        'invalid_filter_operator',
        `${where}.${operator} compares numbers and dates; '${column.name}' ` +
          `is ${column.type}. Use eq, in or contains.`,
      );
    }
  }
  if (operator === 'in') {
    if (!Array.isArray(value)) {
      throw inputError(
        'invalid_filter_value',
        `${where}.in must be an array of values, got ${JSON.stringify(value)}.`,
      );
    }
    if (value.length === 0) {
      throw inputError(
        'invalid_filter_value',
        `${where}.in is an empty list, which no row matches; list at least ` +
          'one value, or remove the filter to export every row.',
      );
    }
    return [
      {
        column,
        op: 'in',
        value: value.map(v => scalar(column, `${where}.in`, v, timeZone)),
      },
    ];
  }
  // The message names the operator too: "filters.createdAt.gte".
  const at = operator === 'eq' ? where : `${where}.${operator}`;
  if (column.type === 'datetime' && typeof value === 'string') {
    const day = DATE_ONLY.exec(value);
    if (day) {
      return wholeDay(column, operator, day, at, timeZone);
    }
  }
  return [{ column, op: operator, value: scalar(column, at, value, timeZone) }];
}

/** A bare date against a datetime column covers that whole local day. */
function wholeDay(
  column: DatasetColumn,
  operator: Operator,
  day: RegExpExecArray,
  where: string,
  timeZone: string,
): DatasetFilter[] {
  const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
  checkDate(year, month, date, where, day[0]);
  const start = new Date(
    instantOf(
      { year, month, day: date, hour: 0, minute: 0, second: 0 },
      timeZone,
    ),
  ).toISOString();
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  const end = new Date(
    instantOf(
      {
        year: next.getUTCFullYear(),
        month: next.getUTCMonth() + 1,
        day: next.getUTCDate(),
        hour: 0,
        minute: 0,
        second: 0,
      },
      timeZone,
    ),
  ).toISOString();
  switch (operator) {
    case 'eq':
      return [
        { column, op: 'gte', value: start },
        { column, op: 'lt', value: end },
      ];
    case 'gte':
      return [{ column, op: 'gte', value: start }];
    case 'gt':
      return [{ column, op: 'gte', value: end }];
    case 'lt':
      return [{ column, op: 'lt', value: start }];
    default:
      return [{ column, op: 'lt', value: end }];
  }
}

function checkDate(
  year: number,
  month: number,
  day: number,
  where: string,
  text: string,
) {
  const problem = calendarProblem(year, month, day);
  if (problem) {
    throw inputError(
      'invalid_filter_value',
      `${where}: '${text}' is not a calendar date (${problem}); use YYYY-MM-DD.`,
    );
  }
}

/** Hours, minutes, seconds and offset within their ranges, or a 400. */
function checkClock(
  fields: { hour: number; minute: number; second: number },
  offset: string | undefined,
  where: string,
  text: string,
) {
  const problem = clockProblem(fields, offset);
  if (problem) {
    throw inputError(
      'invalid_filter_value',
      `${where}: '${text}' is not a real time (${problem}); ${DATE_TIME_FORMS}.`,
    );
  }
}

/** A value as a message shows it; JSON would write Infinity as null. */
function shownValue(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value)
    ? String(value)
    : JSON.stringify(value);
}

/** One value converted to what the column stores. */
function scalar(
  column: DatasetColumn,
  where: string,
  value: unknown,
  timeZone: string,
): ExportFilterValue {
  if (value === null) {
    return null;
  }
  const bad = (expected: string) =>
    inputError(
      'invalid_filter_value',
      `${where}: ${shownValue(value)} is not ${expected} ('${column.name}' is ${
        column.type
      }).`,
    );
  switch (column.type) {
    case 'integer': {
      const n = numberOf(value, WHOLE);
      if (!Number.isSafeInteger(n)) {
        throw bad(
          'a whole number; write digits only, with no separators, point or ' +
            'exponent (an optional - in front), e.g. 1000 or -25',
        );
      }
      return n;
    }
    case 'number': {
      const n = numberOf(value, DECIMAL);
      if (!Number.isFinite(n)) {
        throw bad('a number; write it with digits and a point, e.g. 12.5');
      }
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') {
        return value;
      }
      if (value === 'true' || value === 'false') {
        return value === 'true';
      }
      throw bad('true or false');
    case 'datetime':
      if (typeof value !== 'string') {
        throw bad(`a date or time; ${DATE_TIME_FORMS}`);
      }
      return (
        instantText(value, where, timeZone) ??
        throwError(bad(`a date or time; ${DATE_TIME_FORMS}`))
      );
    case 'date': {
      const day = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
      if (!day) {
        throw bad('a date such as 2026-12-04');
      }
      checkDate(Number(day[1]), Number(day[2]), Number(day[3]), where, day[0]);
      return value as string;
    }
    default:
      if (typeof value === 'string' || typeof value === 'number') {
        return String(value);
      }
      throw bad('text');
  }
}

/** Digits alone, with an optional sign: no 1e3, 1,000, 0x10 or 1.0. */
const WHOLE = /^[+-]?\d+$/;
/** A decimal number as people write it, 12.5 or -3 or 1e-3; no 0x10. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A JSON number as it is, or text in the given form as its number; NaN
 * otherwise. `Number` alone would read "1e3" and "0x10" while "1,000" is
 * refused, which no one writing a filter expects.
 */
function numberOf(value: unknown, form: RegExp): number {
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'string' && form.test(value.trim())
    ? Number(value.trim())
    : NaN;
}

function throwError(error: Error): never {
  throw error;
}

/**
 * ISO UTC text of a time given with an offset, or in the zone without;
 * undefined when the text has neither form. Every field is checked, as
 * `Date.parse` would carry 2026-02-31 over into March.
 */
function instantText(
  value: string,
  where: string,
  timeZone: string,
): string | undefined {
  const day = DATE_ONLY.exec(value);
  const time = day ? null : DATE_TIME.exec(value);
  const m = day ?? time;
  if (!m) {
    return undefined;
  }
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const fields = {
    year,
    month,
    day: date,
    hour: time ? Number(time[4]) : 0,
    minute: time ? Number(time[5]) : 0,
    second: time?.[6] ? Number(time[6]) : 0,
    millisecond: time?.[7] ? Number(time[7].slice(0, 3).padEnd(3, '0')) : 0,
  };
  const offset = time?.[8]?.toUpperCase();
  checkDate(year, month, date, where, value);
  checkClock(fields, offset, where, value);

  if (offset === undefined) {
    return new Date(instantOf(fields, timeZone)).toISOString();
  }
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMinutes =
    offset === 'Z'
      ? 0
      : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const wall = Date.UTC(
    year,
    month - 1,
    date,
    fields.hour,
    fields.minute,
    fields.second,
    fields.millisecond,
  );
  return new Date(wall - offsetMinutes * 60_000).toISOString();
}
