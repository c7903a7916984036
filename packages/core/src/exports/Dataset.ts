import type { Knex } from 'knex';
import type { FormatWriterFactory } from './writers/FormatWriter';
import type {
  ExportColumnType,
  ExportFormat,
  ExportFilterValue,
  ExportSortKey,
} from './wire';

/** A value as a dataset hands it to the writers, before presentation. */
export type CellValue = string | number | boolean | null;

/**
 * One column of a dataset. `source` is where SQL finds it: a qualified
 * column name (`jobs.created_at`) or an expression. A column without a
 * source is computed from the row in JavaScript and can be neither
 * filtered nor sorted.
 *
 * @public
 */
export interface DatasetColumn {
  name: string;
  type: ExportColumnType;
  /** Header text unless the request renames it. */
  label: string;
  source?: string | ((knex: Knex) => Knex.Raw);
  /** False when the source is never NULL: sorts then use plain indexes. */
  nullable?: boolean;
  /** Computes the value from the selected sources (by column name). */
  compute?: (row: Record<string, unknown>) => unknown;
  /** Sources a computed column reads, as extra selected values. */
  reads?: Record<string, string | ((knex: Knex) => Knex.Raw)>;
}

/** A filter after checking: one operator on one column. */
export interface DatasetFilter {
  column: DatasetColumn;
  op: 'eq' | 'in' | 'contains' | 'gt' | 'gte' | 'lt' | 'lte';
  /** Already converted to what the column stores. */
  value: ExportFilterValue | ExportFilterValue[];
}

export interface DatasetSort {
  column: DatasetColumn;
  direction: 'asc' | 'desc';
}

/** What a dataset is asked for: pushed into SQL as far as it goes. */
export interface DatasetQuery {
  /** The columns to return, in order. */
  columns: DatasetColumn[];
  filters: DatasetFilter[];
  sort: DatasetSort[];
  /** Rows per database round trip. */
  pageSize: number;
  signal?: AbortSignal;
}

/**
 * Something that can be exported: typed columns and a way to stream its
 * rows with filters and sort applied. `jobs`, `errors` and `recoveries`
 * are SQL datasets; more (such as analytics) register the same way.
 *
 * @public
 */
export interface Dataset {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly DatasetColumn[];
  readonly defaultColumns: readonly string[];
  readonly defaultSort: readonly ExportSortKey[];
  /** Rows in the query's order, a page at a time; values by column order. */
  read(knex: Knex, query: DatasetQuery): AsyncIterable<CellValue[][]>;
  /** How many rows read() would yield. */
  count(knex: Knex, query: DatasetQuery): Promise<number>;
  /** Layouts of its own for some formats, e.g. a report instead of a table. */
  readonly writers?: Partial<Record<ExportFormat, FormatWriterFactory>>;
}
