import type {
  ColumnRule,
  ColumnType,
  JobSchema,
  Transform,
} from '../client/types';
import { inputError } from '../errors';

/** A problem with one row, kept as a row error. */
export interface RowProblem {
  column?: string;
  code: string;
  message: string;
  value?: string;
}

export type RowData = Record<string, string | number | boolean | null>;

const COLUMN_TYPES: ColumnType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'enum',
];

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'f']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Checks a schema given with a job before any row is read. */
export function checkSchema(schema: JobSchema): void {
  if (!schema || typeof schema.columns !== 'object' || !schema.columns) {
    throw inputError(
      'invalid_schema',
      'options.schema must be an object with "columns": { "<name>": { "type": ... } }.',
    );
  }
  for (const [name, rule] of Object.entries(schema.columns)) {
    const where = `options.schema.columns.${name}`;
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) {
      throw inputError(
        'invalid_schema',
        `${where} must be an object such as { "type": "integer" }, got ${JSON.stringify(
          rule,
        )}.`,
      );
    }
    if (rule.type && !COLUMN_TYPES.includes(rule.type)) {
      throw inputError(
        'invalid_schema',
        `${where}.type is '${rule.type}'; allowed: ${COLUMN_TYPES.join(', ')}.`,
      );
    }
    if (rule.type === 'enum' && !Array.isArray(rule.values)) {
      throw inputError(
        'invalid_schema',
        `${where} is an enum and needs "values": [...].`,
      );
    }
    if (rule.pattern !== undefined) {
      try {
        new RegExp(rule.pattern);
      } catch (error) {
        throw inputError(
          'invalid_schema',
          `${where}.pattern is not a valid regular expression: ${
            (error as Error).message
          }.`,
        );
      }
    }
  }
}

/** Header problems that make a file unusable: empty or repeated names. */
export function checkHeader(columns: string[]): void {
  const seen = new Map<string, number>();
  columns.forEach((name, index) => {
    if (name.trim() === '') {
      throw inputError(
        'empty_header',
        `Column ${
          index + 1
        } of the header row has no name; give every column a name.`,
      );
    }
    if (seen.has(name)) {
      throw inputError(
        'duplicate_header',
        `The header names '${name}' twice (columns ${seen.get(name)! + 1} and ${
          index + 1
        }); ` + 'rename one of them so every value has one place to go.',
      );
    }
    seen.set(name, index);
  });
}

export function checkSchemaAgainstHeader(
  schema: JobSchema,
  columns: string[],
): void {
  const missing = Object.entries(schema.columns)
    .filter(([name, rule]) => rule.required && !columns.includes(name))
    .map(([name]) => name);
  if (missing.length > 0) {
    throw inputError(
      'missing_columns',
      `The file has no column ${missing.map(m => `'${m}'`).join(', ')}, ` +
        `which the schema requires; the header has: ${columns.join(', ')}.`,
    );
  }
  if (schema.strict) {
    const extra = columns.filter(c => !(c in schema.columns));
    if (extra.length > 0) {
      throw inputError(
        'unexpected_columns',
        `The schema is strict and does not name ${extra.join(', ')}.`,
      );
    }
  }
}

/**
 * Turns a record into an object keyed by header. Values stay the file's
 * text unless the schema casts them, so '02134' keeps its zero.
 */
export function validateRecord(
  columns: string[],
  values: string[],
  schema: JobSchema | undefined,
): { data: RowData; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  if (values.length !== columns.length) {
    problems.push({
      code: 'field_count',
      message:
        `The row has ${values.length} ${
          values.length === 1 ? 'field' : 'fields'
        } but the header has ${columns.length}; check for a missing or ` +
        'extra delimiter.',
    });
    return { data: {}, problems };
  }

  const data: RowData = {};
  columns.forEach((column, index) => {
    const text = values[index];
    if (text.includes('\uFFFD')) {
      problems.push({
        column,
        code: 'invalid_encoding',
        message:
          `Column '${column}' holds bytes that are not valid in the file's ` +
          'encoding; save the file as UTF-8, or upload it again with its encoding (latin1 or utf-16le; `encoding` in the options).',
        value: text,
      });
      return;
    }
    const rule = schema?.columns[column];
    const result = rule ? castValue(column, text, rule) : { value: text };
    if ('problem' in result) {
      problems.push(result.problem);
    } else {
      data[column] = result.value;
    }
  });
  return { data, problems };
}

function castValue(
  column: string,
  text: string,
  rule: ColumnRule,
): { value: RowData[string] } | { problem: RowProblem } {
  const fail = (code: string, message: string) => ({
    problem: { column, code, message, value: text },
  });
  if (text === '') {
    return rule.required
      ? fail('required', `Column '${column}' is required but empty.`)
      : { value: rule.type && rule.type !== 'string' ? null : '' };
  }
  if (rule.pattern && !new RegExp(rule.pattern).test(text)) {
    return fail(
      'pattern',
      `Column '${column}' value '${text}' does not match ${rule.pattern}.`,
    );
  }
  switch (rule.type ?? 'string') {
    case 'integer': {
      if (!INTEGER.test(text)) {
        return fail(
          'integer',
          `Column '${column}' value '${text}' is not a whole number.`,
        );
      }
      // Past 2^53 a number loses digits; such ids stay text.
      const value = Number(text);
      return { value: Number.isSafeInteger(value) ? value : text };
    }
    case 'number':
      return NUMBER.test(text.trim())
        ? { value: Number(text) }
        : fail('number', `Column '${column}' value '${text}' is not a number.`);
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) {
        return { value: true };
      }
      return FALSE_WORDS.has(word)
        ? { value: false }
        : fail(
            'boolean',
            `Column '${column}' value '${text}' is not true/false, yes/no or 1/0.`,
          );
    }
    case 'date':
      return isDate(text)
        ? { value: text }
        : fail(
            'date',
            `Column '${column}' value '${text}' is not a real date in ISO form (YYYY-MM-DD, optionally with a time).`,
          );
    case 'enum':
      return rule.values!.includes(text)
        ? { value: text }
        : fail(
            'enum',
            `Column '${column}' value '${text}' is not one of: ${rule.values!.join(
              ', ',
            )}.`,
          );
    default:
      return { value: text };
  }
}

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map(part => Number(part ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    // The pattern takes any two digits; 25:99 is no time of day.
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

/** Applies the job's transforms in order, after validation. */
export function applyTransforms(
  data: RowData,
  transforms: Transform[],
): RowData {
  let result = data;
  for (const transform of transforms) {
    const value = result[transform.column];
    switch (transform.op) {
      case 'trim':
      case 'lowercase':
      case 'uppercase':
        if (typeof value === 'string') {
          result[transform.column] =
            transform.op === 'trim'
              ? value.trim()
              : transform.op === 'lowercase'
              ? value.toLowerCase()
              : value.toUpperCase();
        }
        break;
      case 'default':
        if (value === '' || value === null || value === undefined) {
          result[transform.column] = transform.value;
        }
        break;
      case 'rename':
        result = renameKey(result, transform.column, transform.to);
        break;
      case 'drop':
        delete result[transform.column];
        break;
      default:
        break;
    }
  }
  return result;
}

function renameKey(data: RowData, from: string, to: string): RowData {
  const result: RowData = {};
  for (const [key, value] of Object.entries(data)) {
    result[key === from ? to : key] = value;
  }
  return result;
}

const TRANSFORM_OPS = [
  'trim',
  'lowercase',
  'uppercase',
  'rename',
  'default',
  'drop',
];

export function checkTransforms(transforms: unknown): Transform[] {
  if (transforms === undefined) {
    return [];
  }
  if (!Array.isArray(transforms)) {
    throw inputError(
      'invalid_transforms',
      'options.transforms must be an array.',
    );
  }
  transforms.forEach((t, i) => {
    const where = `options.transforms[${i}]`;
    if (!t || typeof t.column !== 'string' || !TRANSFORM_OPS.includes(t.op)) {
      throw inputError(
        'invalid_transforms',
        `${where} needs "column" and "op" (one of ${TRANSFORM_OPS.join(
          ', ',
        )}).`,
      );
    }
    if (t.op === 'rename' && typeof t.to !== 'string') {
      throw inputError(
        'invalid_transforms',
        `${where} renames and needs "to".`,
      );
    }
    if (t.op === 'default' && typeof t.value !== 'string') {
      throw inputError('invalid_transforms', `${where} needs a text "value".`);
    }
  });
  return transforms as Transform[];
}

/**
 * Transforms must name columns the file has (after earlier renames), and
 * a rename must not land on a column that exists: its values would go.
 */
export function checkTransformsAgainstHeader(
  transforms: Transform[],
  header: string[],
): void {
  const columns = new Set(header);
  transforms.forEach((transform, i) => {
    const where = `options.transforms[${i}]`;
    if (!columns.has(transform.column)) {
      throw inputError(
        'invalid_transforms',
        `${where} names column '${transform.column}', which the file does not have at that point; ` +
          `its columns are: ${[...columns].join(', ')}.`,
      );
    }
    if (transform.op === 'rename') {
      if (columns.has(transform.to) && transform.to !== transform.column) {
        throw inputError(
          'invalid_transforms',
          `${where} renames '${transform.column}' to '${transform.to}', which is already a column; ` +
            'its values would be lost. Rename or drop that column first.',
        );
      }
      columns.delete(transform.column);
      columns.add(transform.to);
    }
    if (transform.op === 'drop') {
      columns.delete(transform.column);
    }
  });
}
