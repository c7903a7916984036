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
    case 'number': {
      const n = Number(trimmed);
      const whole = column.type === 'integer';
      return Number.isFinite(n) && (!whole || Number.isInteger(n))
        ? { value: n }
        : {
            problem: `"${trimmed}" is not ${
              whole ? 'a whole number' : 'a number'
            }`,
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

  if (byColumn.size === 0) {
    return { filters: undefined, rowProblems };
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
  return { filters, rowProblems };
}
