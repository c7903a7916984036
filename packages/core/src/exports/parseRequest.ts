import { inputError } from '../errors';
import type { Dataset, DatasetColumn, DatasetSort } from './Dataset';
import type { DatasetRegistry } from './DatasetRegistry';
import type { ExportPlan } from './ExportPlan';
import { parseFilters } from './filters';
import { checkTimeZone, zonedTime } from './timezone';
import type { OutputColumn } from './values';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  type ExportRequest,
  type ExportSortKey,
  type ExportValueFormat,
  type ExportValueFormatSpec,
} from './wire';

const REQUEST_KEYS = [
  'dataset',
  'format',
  'filters',
  'columns',
  'transformations',
  'sort',
  'options',
];
const OPTION_KEYS = [
  'timezone',
  'bom',
  'excel',
  'neutraliseFormulas',
  'fileName',
  'title',
  'orientation',
];
const TRANSFORMATION_KEYS = ['rename', 'format'];
const VALUE_FORMATS: ExportValueFormat[] = [
  'date',
  'datetime',
  'number',
  'percentage',
  'text',
];
/** Which column types each value format applies to. */
const FORMAT_TYPES: Record<ExportValueFormat, DatasetColumn['type'][]> = {
  date: ['date', 'datetime'],
  datetime: ['datetime'],
  number: ['integer', 'number', 'text'],
  percentage: ['integer', 'number'],
  text: ['text', 'id', 'integer', 'number', 'date', 'datetime', 'boolean'],
};
export const EXTENSIONS: Record<ExportFormat, string> = {
  csv: 'csv',
  json: 'json',
  ndjson: 'ndjson',
  xlsx: 'xlsx',
  pdf: 'pdf',
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkKeys(
  value: Record<string, unknown>,
  allowed: string[],
  where: string,
) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw inputError(
        'invalid_export_request',
        `${where}${key} is not known; allowed: ${allowed.join(', ')}.`,
      );
    }
  }
}

/**
 * Checks a POST /exports body against the datasets and formats; every
 * refusal names the bad value and what is allowed.
 */
export function parseExportRequest(
  registry: DatasetRegistry,
  body: unknown,
  now: Date,
): ExportPlan {
  if (!isPlainObject(body)) {
    throw inputError(
      'invalid_export_request',
      'The export request must be a JSON object with at least "dataset" and "format".',
    );
  }
  checkKeys(body, REQUEST_KEYS, '');
  const dataset = registry.get(body.dataset);
  const format = parseFormat(body.format);
  const options = parseOptions(body.options);
  const timezone = checkTimeZone(options.timezone);

  const columns = parseColumns(dataset, body.columns);
  const output = applyTransformations(dataset, columns, body.transformations);
  const filters = parseFilters(dataset, body.filters, timezone);
  const sort = parseSort(dataset, body.sort);

  const request: ExportRequest = {
    dataset: dataset.name,
    format,
    ...(body.filters !== undefined
      ? { filters: body.filters as ExportRequest['filters'] }
      : {}),
    ...(body.columns !== undefined
      ? { columns: body.columns as string[] }
      : {}),
    ...(body.transformations !== undefined
      ? {
          transformations:
            body.transformations as ExportRequest['transformations'],
        }
      : {}),
    ...(body.sort !== undefined
      ? { sort: body.sort as ExportRequest['sort'] }
      : {}),
    ...(body.options !== undefined ? { options } : {}),
  };
  return {
    request,
    dataset,
    format,
    columns: output,
    filters,
    sort,
    timezone,
    neutraliseFormulas: options.neutraliseFormulas ?? true,
    bom: options.bom ?? options.excel ?? false,
    fileName: fileNameFor(dataset, format, options.fileName, now, timezone),
    title: options.title ?? dataset.title,
    orientation: options.orientation ?? 'auto',
  };
}

function parseFormat(value: unknown): ExportFormat {
  if (!EXPORT_FORMATS.includes(value as ExportFormat)) {
    throw inputError(
      'unknown_format',
      `format ${JSON.stringify(
        value,
      )} is not known; allowed: ${EXPORT_FORMATS.join(', ')}.`,
    );
  }
  return value as ExportFormat;
}

function parseOptions(value: unknown): ExportOptions {
  if (value === undefined) {
    return {};
  }
  if (!isPlainObject(value)) {
    throw inputError('invalid_export_request', 'options must be an object.');
  }
  checkKeys(value, OPTION_KEYS, 'options.');
  for (const flag of ['bom', 'excel', 'neutraliseFormulas']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      throw inputError(
        'invalid_export_request',
        `options.${flag} must be true or false, got ${JSON.stringify(
          value[flag],
        )}.`,
      );
    }
  }
  for (const text of ['timezone', 'fileName', 'title']) {
    if (value[text] !== undefined && typeof value[text] !== 'string') {
      throw inputError(
        'invalid_export_request',
        `options.${text} must be text, got ${JSON.stringify(value[text])}.`,
      );
    }
  }
  const orientations = ['auto', 'portrait', 'landscape'];
  if (
    value.orientation !== undefined &&
    !orientations.includes(value.orientation as string)
  ) {
    throw inputError(
      'invalid_export_request',
      `options.orientation is ${JSON.stringify(
        value.orientation,
      )}; allowed: ${orientations.join(', ')}.`,
    );
  }
  return value as ExportOptions;
}

function parseColumns(dataset: Dataset, value: unknown): DatasetColumn[] {
  const names = value === undefined ? dataset.defaultColumns : value;
  const allowed = dataset.columns.map(c => c.name).join(', ');
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    names.some(n => typeof n !== 'string')
  ) {
    throw inputError(
      'invalid_columns',
      `columns must be a non-empty array of column names; allowed: ${allowed}.`,
    );
  }
  const seen = new Set<string>();
  return names.map((name: string) => {
    const column = dataset.columns.find(c => c.name === name);
    if (!column) {
      throw inputError(
        'unknown_column',
        `column '${name}' is not in dataset '${dataset.name}'; allowed: ${allowed}.`,
      );
    }
    if (seen.has(name)) {
      throw inputError(
        'invalid_columns',
        `column '${name}' is named twice in columns.`,
      );
    }
    seen.add(name);
    return column;
  });
}

function applyTransformations(
  dataset: Dataset,
  columns: DatasetColumn[],
  value: unknown,
): OutputColumn[] {
  const transformations = value ?? {};
  if (!isPlainObject(transformations)) {
    throw inputError(
      'invalid_transformations',
      'transformations must be an object: { "rename": {...}, "format": {...} }.',
    );
  }
  checkKeys(transformations, TRANSFORMATION_KEYS, 'transformations.');
  const rename = objectOf(transformations.rename, 'transformations.rename');
  const formats = objectOf(transformations.format, 'transformations.format');
  const selected = columns.map(c => c.name);
  for (const name of [...Object.keys(rename), ...Object.keys(formats)]) {
    if (!selected.includes(name)) {
      throw inputError(
        'unknown_column',
        `transformations name column '${name}', which the export does not ` +
          `include; its columns: ${selected.join(', ')}.`,
      );
    }
  }

  const headers = new Set<string>();
  return columns.map(column => {
    const header = rename[column.name] ?? column.label;
    if (
      typeof header !== 'string' ||
      header.trim() === '' ||
      header.length > 200
    ) {
      throw inputError(
        'invalid_transformations',
        `transformations.rename.${column.name} must be text of 1 to 200 characters.`,
      );
    }
    if (headers.has(header)) {
      throw inputError(
        'invalid_transformations',
        `Two columns would both be headed '${header}'; rename one of them.`,
      );
    }
    headers.add(header);
    const format = parseValueFormat(dataset, column, formats[column.name]);
    return { column, header, ...(format ? { format } : {}) };
  });
}

function objectOf(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) {
    return {};
  }
  if (!isPlainObject(value)) {
    throw inputError(
      'invalid_transformations',
      `${where} must be an object keyed by column.`,
    );
  }
  return value;
}

function parseValueFormat(
  dataset: Dataset,
  column: DatasetColumn,
  value: unknown,
): ExportValueFormatSpec | undefined {
  if (value === undefined) {
    return undefined;
  }
  const where = `transformations.format.${column.name}`;
  const spec = (
    typeof value === 'string' ? { type: value } : value
  ) as ExportValueFormatSpec;
  if (!isPlainObject(spec) || !VALUE_FORMATS.includes(spec.type)) {
    throw inputError(
      'invalid_transformations',
      `${where} is ${JSON.stringify(value)}; allowed: ${VALUE_FORMATS.join(
        ', ',
      )}, ` + 'or { "type": "number" | "percentage", "decimals": 0-10 }.',
    );
  }
  checkKeys(
    spec as unknown as Record<string, unknown>,
    ['type', 'decimals'],
    `${where}.`,
  );
  if (!FORMAT_TYPES[spec.type].includes(column.type)) {
    const fits = dataset.columns
      .filter(c => FORMAT_TYPES[spec.type].includes(c.type))
      .map(c => c.name);
    throw inputError(
      'invalid_transformations',
      `${where}: '${spec.type}' does not apply to '${column.name}' (${column.type}); ` +
        `it applies to ${fits.join(', ') || 'no column of this dataset'}.`,
    );
  }
  if (spec.decimals !== undefined) {
    if (
      !['number', 'percentage'].includes(spec.type) ||
      !Number.isInteger(spec.decimals) ||
      spec.decimals < 0 ||
      spec.decimals > 10
    ) {
      throw inputError(
        'invalid_transformations',
        `${where}.decimals must be a whole number from 0 to 10, for number and percentage only.`,
      );
    }
  }
  return {
    type: spec.type,
    ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
  };
}

function parseSort(dataset: Dataset, value: unknown): DatasetSort[] {
  const raw = value === undefined ? [...dataset.defaultSort] : value;
  const items: unknown[] =
    typeof raw === 'string'
      ? raw.split(',').map(s => s.trim())
      : (raw as unknown[]);
  if (!Array.isArray(items)) {
    throw inputError(
      'invalid_sort',
      'sort must be "column", "-column" or an array of them or of { "column", "direction" }.',
    );
  }
  const sortable = dataset.columns.filter(c => c.source !== undefined);
  return items.map(item => {
    const key: ExportSortKey =
      typeof item === 'string'
        ? item.startsWith('-')
          ? { column: item.slice(1), direction: 'desc' }
          : { column: item, direction: 'asc' }
        : (item as ExportSortKey);
    const column = sortable.find(c => c.name === key?.column);
    if (!column) {
      throw inputError(
        'unknown_sort_column',
        `sort: ${JSON.stringify(
          key?.column ?? item,
        )} is not a sortable column of ` +
          `'${dataset.name}'; allowed: ${sortable
            .map(c => c.name)
            .join(', ')}.`,
      );
    }
    const direction = key.direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') {
      throw inputError(
        'invalid_sort',
        `sort direction of '${column.name}' is ${JSON.stringify(
          direction,
        )}; allowed: asc, desc.`,
      );
    }
    return { column, direction };
  });
}

const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f/\\:*?"<>|]/g;

/** The download's name: given or `<dataset>-<local time>`, with the extension. */
export function fileNameFor(
  dataset: Dataset,
  format: ExportFormat,
  given: string | undefined,
  now: Date,
  timeZone: string,
): string {
  const extension = `.${EXTENSIONS[format]}`;
  let base = (given ?? '').replace(UNSAFE_IN_NAMES, '_').trim().slice(0, 200);
  if (base.toLowerCase().endsWith(extension)) {
    base = base.slice(0, -extension.length);
  }
  if (base === '' || /^\.+$/.test(base)) {
    const t = zonedTime(now.getTime(), timeZone);
    const p = (n: number) => String(n).padStart(2, '0');
    base = `${dataset.name}-${t.year}${p(t.month)}${p(t.day)}-${p(t.hour)}${p(
      t.minute,
    )}${p(t.second)}`;
  }
  return base + extension;
}
