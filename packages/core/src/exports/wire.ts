/**
 * Wire types of the export routes (docs/exports.md). Isomorphic: the
 * frontend imports them through `@rebound/core/client`.
 */

/** @public */
export type ExportFormat = 'csv' | 'json' | 'ndjson' | 'xlsx' | 'pdf';

/** @public */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  'csv',
  'json',
  'ndjson',
  'xlsx',
  'pdf',
];

/** @public */
export type ExportStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'expired';

/** A scalar a filter compares with. @public */
export type ExportFilterValue = string | number | boolean | null;

/** Operators of one filter; several given together must all hold. @public */
export interface ExportFilterOperators {
  eq?: ExportFilterValue;
  in?: ExportFilterValue[];
  contains?: string;
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
}

/** A value (equals) or an object of operators. @public */
export type ExportFilter = ExportFilterValue | ExportFilterOperators;

/** How a cell is presented, beyond its column's type. @public */
export type ExportValueFormat =
  | 'date'
  | 'datetime'
  | 'number'
  | 'percentage'
  | 'text';

/** A format with its settings, e.g. `{ "type": "number", "decimals": 2 }`. @public */
export interface ExportValueFormatSpec {
  type: ExportValueFormat;
  /** Digits after the decimal point: number and percentage only. */
  decimals?: number;
}

/** @public */
export interface ExportTransformations {
  /** Header text per column, e.g. `{ "createdAt": "Created" }`. */
  rename?: Record<string, string>;
  /** Presentation per column, e.g. `{ "createdAt": "date" }`. */
  format?: Record<string, ExportValueFormat | ExportValueFormatSpec>;
}

/** @public */
export interface ExportSortKey {
  column: string;
  direction?: 'asc' | 'desc';
}

/** @public */
export interface ExportOptions {
  /** IANA time zone dates are shown in. Default UTC. */
  timezone?: string;
  /** CSV: start with a UTF-8 byte order mark. Default: the value of `excel`. */
  bom?: boolean;
  /** CSV: the file is meant for Microsoft Excel (turns the BOM on). */
  excel?: boolean;
  /** CSV and xlsx: make formula-like text inert. Default true. */
  neutraliseFormulas?: boolean;
  /** Name of the downloaded file; the format's extension is added. */
  fileName?: string;
  /** PDF: the title on the first page. */
  title?: string;
  /** PDF: page orientation; `auto` turns to landscape for wide tables. */
  orientation?: 'auto' | 'portrait' | 'landscape';
}

/** Body of POST /exports. @public */
export interface ExportRequest {
  dataset: string;
  format: ExportFormat;
  filters?: Record<string, ExportFilter>;
  columns?: string[];
  transformations?: ExportTransformations;
  /** `"-createdAt"`, `["status", "-createdAt"]` or `[{ column, direction }]`. */
  sort?: string | (string | ExportSortKey)[];
  options?: ExportOptions;
}

/** @public */
export interface ExportRecord {
  id: string;
  dataset: string;
  format: ExportFormat;
  status: ExportStatus;
  /** Rows written so far. */
  progress: number;
  /** Rows the export expects to write, counted when it started. */
  rowsTotal: number | null;
  rowCount: number | null;
  size: number | null;
  sha256: string | null;
  fileName: string;
  request: ExportRequest;
  error: { code: string; message: string } | null;
  attempts: number;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string;
  /** Where the file downloads from; null until it has succeeded. */
  downloadUrl: string | null;
}

/** The filters and page of GET /exports, newest first. @public */
export interface ExportQuery {
  status?: ExportStatus;
  dataset?: string;
  format?: ExportFormat;
  limit?: number;
  cursor?: string;
}

/** @public */
export type ExportColumnType =
  | 'text'
  | 'integer'
  | 'number'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'id';

/** A dataset as GET /exports/datasets describes it. @public */
export interface ExportDatasetInfo {
  name: string;
  title: string;
  columns: {
    name: string;
    type: ExportColumnType;
    label: string;
    filterable: boolean;
    sortable: boolean;
  }[];
  defaultColumns: string[];
  defaultSort: ExportSortKey[];
}
