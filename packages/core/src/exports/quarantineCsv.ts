import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import type { Job, RowError } from '../client/types';
import type { JobStore } from '../store/JobStore';

/** The columns added after the job's own, dropped again before re-import. */
export const QUARANTINE_ERROR_COLUMNS = [
  'error_row',
  'error_column',
  'error_message',
];

type QuarantinedError = RowError & { raw?: string };

/**
 * The quarantined rows of a job (or the rows its target rejected, with
 * `kind: 'rejected'`) as CSV in the job's own columns, with the delimiter
 * the job was read with, plus where and why each row was set aside. Fix
 * the cells, drop the three error columns, and the file imports with the
 * job's options. A row with several problems appears once, its messages
 * joined with "; ".
 */
export function quarantineCsv(
  store: JobStore,
  job: Job,
  kind: RowError['kind'] = 'quarantined',
): Readable {
  return Readable.from(quarantineLines(store, job, kind));
}

async function* quarantineLines(
  store: JobStore,
  job: Job,
  kind: RowError['kind'],
): AsyncGenerator<string> {
  const columns = job.columns ?? [];
  const delimiter = job.options.delimiter ?? ',';
  const csv = (record: string[]) =>
    stringify([record], { delimiter, record_delimiter: '\r\n' });

  yield csv([...columns, ...QUARANTINE_ERROR_COLUMNS]);
  let group: QuarantinedError[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listRowErrors(job.id, {
      kind,
      limit: 1000,
      cursor,
    });
    let text = '';
    for (const error of page.items) {
      if (group.length > 0 && group[0].row !== error.row) {
        text += csv(toRecord(group, columns.length, delimiter));
        group = [];
      }
      group.push(error);
    }
    if (text) {
      yield text;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (group.length > 0) {
    yield csv(toRecord(group, columns.length, delimiter));
  }
}

/** The original fields of one row, fitted to the header, and its errors. */
function toRecord(
  errors: QuarantinedError[],
  width: number,
  delimiter: string,
): string[] {
  const first = errors[0];
  const messages = errors.map(e => e.message);
  let fields = splitRecord(first.raw ?? '', delimiter);
  if (!fields) {
    fields = [first.raw ?? ''];
    messages.push(
      'the record could not be split into fields; it is all in the first column',
    );
  }
  if (fields.length > width && width > 0) {
    messages.push(
      `${
        fields.length - width
      } fields past the header were left out: ${JSON.stringify(
        fields.slice(width),
      )}`,
    );
    fields = fields.slice(0, width);
  }
  while (fields.length < width) {
    fields.push('');
  }
  const columns = [...new Set(errors.map(e => e.column).filter(Boolean))];
  return [
    ...fields,
    String(first.row),
    columns.join('; '),
    messages.join('; '),
  ];
}

function splitRecord(raw: string, delimiter: string): string[] | undefined {
  if (raw === '') {
    return [];
  }
  try {
    const records = parse(raw, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as string[][];
    return records.length === 1 ? records[0] : undefined;
  } catch {
    return undefined;
  }
}
