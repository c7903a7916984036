/**
 * The filter editor shows one row per column and operator; the request
 * holds them as `filters` (docs/exports.md): a column maps to a value
 * (equals) or to an object of operators that must all hold.
 */
import type {
  ExportColumnType,
  ExportDatasetInfo,
  ExportFilter,
  ExportFilterOperators,
  ExportFilterValue,
} from '@rebound/core/client';
import {
  calendarProblem,
  clockProblem,
  DATE_ONLY,
  DATE_TIME,
} from '@rebound/core/client';

export type FilterOperator = keyof ExportFilterOperators;

export type DatasetColumn = ExportDatasetInfo['columns'][number];

export const OPERATOR_LABELS: Record<FilterOperator, string> = {
  eq: 'equals',
  in: 'in',
  contains: 'contains',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** The operators the backend accepts for a column of this type. */
export function operatorsFor(type: ExportColumnType): FilterOperator[] {
  switch (type) {
    case 'text':
    case 'id':
      return ['eq', 'in', 'contains'];
    case 'boolean':
      return ['eq'];
    default:
      return ['eq', 'in', 'gt', 'gte', 'lt', 'lte'];
  }
}

export interface FilterRow {
  /** Stable across edits, for React keys. */
  id: number;
  column: string;
  operator: FilterOperator;
  /** What the user typed; `in` takes values separated by commas. */
  text: string;
}

let lastRowId = 0;

export function newRow(column: DatasetColumn): FilterRow {
  lastRowId += 1;
  return { id: lastRowId, column: column.name, operator: 'eq', text: '' };
}

const isOperators = (filter: ExportFilter): filter is ExportFilterOperators =>
  typeof filter === 'object' && filter !== null && !Array.isArray(filter);

const textOf = (value: unknown): string =>
  Array.isArray(value)
    ? value.map(v => textOf(v)).join(', ')
    : value === null || value === undefined
    ? ''
    : String(value);

/** The rows that show a request's filters. */
export function rowsOf(
  filters: Record<string, ExportFilter> | undefined,
): FilterRow[] {
  const rows: FilterRow[] = [];
  for (const [column, filter] of Object.entries(filters ?? {})) {
    const operators: [string, unknown][] = isOperators(filter)
      ? Object.entries(filter)
      : [[Array.isArray(filter) ? 'in' : 'eq', filter]];
    for (const [operator, value] of operators) {
      lastRowId += 1;
      rows.push({
        id: lastRowId,
        column,
        operator: operator as FilterOperator,
        text: textOf(value),
      });
    }
  }
  return rows;
}

type Parsed<T> = { value: T } | { problem: string };

/**
 * A date as the backend reads it, or what is wrong with it. The pattern
 * alone would let 2026-02-31 and 25:99 through, which the backend refuses.
 */
function parseDate(trimmed: string, withTime: boolean): Parsed<string> {
  const example = withTime
    ? 'a date (2026-12-04) or a time (2026-12-04T10:00)'
    : 'a date such as 2026-12-04';
  const match =
    DATE_ONLY.exec(trimmed) ?? (withTime ? DATE_TIME.exec(trimmed) : null);
  if (!match) {
    return { problem: `"${trimmed}" is not ${example}` };
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(i =>
    Number(match[i] ?? 0),
  );
  const calendar = calendarProblem(year, month, day);
  if (calendar) {
    return {
      problem: `"${trimmed}" is not a calendar date: ${calendar}; write ${example}`,
    };
  }
  const clock = clockProblem({ hour, minute, second }, match[8]);
  if (clock) {
    return {
      problem: `"${trimmed}" is not a real time: ${clock}; write ${example}`,
    };
  }
  return { value: trimmed };
}

/** Digits alone, with an optional sign: no 1e3, 1,000, 0x10 or 1.0. */
const WHOLE = /^[+-]?\d+$/;
/** A decimal number as people write it, 12.5 or -3 or 1e-3; no 0x10. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A whole number as the backend reads it: `Number` alone would take 1e3
 * as 1000 while 1,000 is refused, and carry 2^53 + 1 over to 2^53.
 */
function parseWhole(trimmed: string): Parsed<number> {
  if (!WHOLE.test(trimmed)) {
    return {
      problem: `"${trimmed}" is not a whole number: write digits only, with no separators, point or exponent (an optional - in front), e.g. 1000 or -25`,
    };
  }
  const n = Number(trimmed);
  return Number.isSafeInteger(n)
    ? { value: n }
    : {
        problem: `"${trimmed}" is too large: a whole number here is at most ${Number.MAX_SAFE_INTEGER} either side of 0`,
      };
}

/** One value as the column's type, or what is wrong with it. */
function parseScalar(
  column: DatasetColumn,
  text: string,
): Parsed<ExportFilterValue> {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { problem: 'enter a value or remove the filter' };
  }
  switch (column.type) {
    case 'integer':
      return parseWhole(trimmed);
    case 'number': {
      const n = Number(trimmed);
      return DECIMAL.test(trimmed) && Number.isFinite(n)
        ? { value: n }
        : {
            problem: `"${trimmed}" is not a number: write it with digits and a point, e.g. 12.5 or -3`,
          };
    }
    case 'boolean':
      return trimmed === 'true' || trimmed === 'false'
        ? { value: trimmed === 'true' }
        : { problem: 'choose true or false' };
    case 'date':
      return parseDate(trimmed, false);
    case 'datetime':
      return parseDate(trimmed, true);
    default:
      // Text is compared as typed: spaces may matter to `contains`.
      return { value: text };
  }
}

function parseRow(
  column: DatasetColumn,
  row: FilterRow,
): Parsed<ExportFilterValue | ExportFilterValue[]> {
  if (row.operator !== 'in') {
    return parseScalar(column, row.text);
  }
  const items = row.text
    .split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
  if (items.length === 0) {
    return { problem: 'enter values separated by commas' };
  }
  const values: ExportFilterValue[] = [];
  for (const item of items) {
    const parsed = parseScalar(column, item);
    if ('problem' in parsed) {
      return parsed;
    }
    values.push(parsed.value);
  }
  return { value: values };
}

/**
 * How a message names a filter row, e.g. "Filter 2 (Created >=)", so it
 * can be told apart away from the form, as a disabled button's reason.
 */
export function rowTitle(
  row: FilterRow,
  index: number,
  columns: DatasetColumn[],
): string {
  const label = columns.find(c => c.name === row.column)?.label ?? row.column;
  return `Filter ${index + 1} (${label} ${OPERATOR_LABELS[row.operator]})`;
}

export interface ParsedFilters {
  /** undefined when no row is complete, so the request leaves it out. */
  filters: Record<string, ExportFilter> | undefined;
  /** Per row, what keeps it out of the request. */
  rowProblems: (string | undefined)[];
  /**
   * Per row, a warning that does not keep it out: with the row before
   * it on the same column, it leaves no row to export.
   */
  rowWarnings: (string | undefined)[];
}

/** The request's filters from the rows that are complete and valid. */
export function filtersOf(
  rows: FilterRow[],
  columns: DatasetColumn[],
): ParsedFilters {
  const byColumn = new Map<string, ExportFilterOperators>();
  const rowProblems = rows.map(row => {
    const column = columns.find(c => c.name === row.column && c.filterable);
    if (!column) {
      return `"${row.column}" cannot be filtered on: choose another column`;
    }
    if (!operatorsFor(column.type).includes(row.operator)) {
      return `${column.label} cannot be compared with "${
        OPERATOR_LABELS[row.operator]
      }"`;
    }
    const parsed = parseRow(column, row);
    if ('problem' in parsed) {
      return parsed.problem;
    }
    const operators = byColumn.get(column.name) ?? {};
    if (row.operator in operators) {
      return `${column.label} ${
        OPERATOR_LABELS[row.operator]
      } is already filtered on: remove one of the two`;
    }
    byColumn.set(column.name, { ...operators, [row.operator]: parsed.value });
    return undefined;
  });

  const rowWarnings = rows.map((): string | undefined => undefined);
  if (byColumn.size === 0) {
    return { filters: undefined, rowProblems, rowWarnings };
  }
  const filters: Record<string, ExportFilter> = {};
  for (const [column, operators] of byColumn) {
    const keys = Object.keys(operators);
    // A lone equals is written as the bare value, as people write it.
    filters[column] =
      keys.length === 1 && keys[0] === 'eq'
        ? (operators.eq as ExportFilterValue)
        : operators;
  }
  for (const warning of emptyRangeWarnings(filters, columns)) {
    // On the last valid row of the column, where the range closes.
    const last = rows.reduce(
      (found, row, index) =>
        row.column === warning.column && !rowProblems[index] ? index : found,
      -1,
    );
    if (last >= 0) {
      rowWarnings[last] = warning.message;
    }
  }
  return { filters, rowProblems, rowWarnings };
}

/** One end of a range, comparable with the others of its column. */
interface Bound {
  operator: FilterOperator;
  value: string | number;
  /** What is compared: a number, or a time as sortable text. */
  key: number | string;
  /** The end itself is left out (> and <). */
  strict: boolean;
}

/** The day after a YYYY-MM-DD day. */
function nextDay(day: string): string {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
  return next.toISOString().slice(0, 10);
}

/**
 * Where a value of a datetime filter starts, as sortable text of the
 * wall clock ("2026-12-04T10:00:00.000"), or undefined for a time with an
 * offset, which only the export's zone could compare with the others.
 */
function wallClock(value: string): string | undefined {
  if (DATE_ONLY.test(value)) {
    return `${value}T00:00:00.000`;
  }
  const time = DATE_TIME.exec(value);
  if (!time || time[8]) {
    return undefined;
  }
  const seconds = (time[6] ?? '00').padStart(2, '0');
  const millis = (time[7] ?? '').slice(0, 3).padEnd(3, '0');
  return `${value.slice(0, 10)}T${time[4]}:${time[5]}:${seconds}.${millis}`;
}

/**
 * The lower and upper ends a column's operators set. A bare date on a
 * datetime column stands for the whole day, as the backend reads it.
 */
function boundsOf(
  column: DatasetColumn,
  operators: ExportFilterOperators,
): { lower: Bound[]; upper: Bound[] } | undefined {
  const lower: Bound[] = [];
  const upper: Bound[] = [];
  for (const operator of ['eq', 'gt', 'gte', 'lt', 'lte'] as const) {
    const value = operators[operator];
    if (typeof value !== 'number' && typeof value !== 'string') {
      continue;
    }
    let start: number | string = value;
    let end: number | string = value;
    let wholeDay = false;
    if (column.type === 'datetime') {
      const clock = wallClock(String(value));
      if (clock === undefined) {
        return undefined;
      }
      wholeDay = DATE_ONLY.test(String(value));
      start = clock;
      end = wholeDay ? `${nextDay(String(value))}T00:00:00.000` : clock;
    }
    const bound = (key: number | string, strict: boolean): Bound => ({
      operator,
      value,
      key,
      strict,
    });
    if (operator === 'eq' || operator === 'gte') {
      lower.push(bound(start, false));
    }
    if (operator === 'gt') {
      lower.push(wholeDay ? bound(end, false) : bound(start, true));
    }
    if (operator === 'eq' || operator === 'lte') {
      upper.push(wholeDay ? bound(end, true) : bound(end, false));
    }
    if (operator === 'lt') {
      upper.push(bound(start, true));
    }
  }
  return { lower, upper };
}

/**
 * Range filters of one column that no value can meet together, such as
 * Created >= 2026-12-05 and Created < 2026-12-01: the export would be
 * empty. Not an error: the backend runs it, and it holds no rows.
 */
export function emptyRangeWarnings(
  filters: Record<string, ExportFilter> | undefined,
  columns: DatasetColumn[],
): { column: string; message: string }[] {
  const warnings: { column: string; message: string }[] = [];
  for (const [name, filter] of Object.entries(filters ?? {})) {
    const column = columns.find(c => c.name === name);
    if (
      !column ||
      !isOperators(filter) ||
      !['integer', 'number', 'date', 'datetime'].includes(column.type)
    ) {
      continue;
    }
    const bounds = boundsOf(column, filter);
    const clash = bounds?.lower
      .flatMap(low => bounds.upper.map(high => [low, high] as const))
      .find(
        ([low, high]) =>
          low.key > high.key ||
          (low.key === high.key && (low.strict || high.strict)),
      );
    if (clash) {
      const [low, high] = clash;
      const said = (bound: Bound) =>
        `${column.label} ${OPERATOR_LABELS[bound.operator]} ${bound.value}`;
      warnings.push({
        column: name,
        message: `${said(low)} and ${said(
          high,
        )} leave no value between them: the export will have no rows. Check the two values, or remove one of the filters.`,
      });
    }
  }
  return warnings;
}
