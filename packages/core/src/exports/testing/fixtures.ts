import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

/** Values that break naive CSV, JSON, spreadsheet and PDF writers. */
export const HOSTILE_VALUES: (string | null)[] = [
  'plain',
  'comma, inside',
  'quote "inside" here',
  'line\nbreak',
  'windows\r\nline break',
  'tab\tinside',
  '\tleading tab',
  '\rleading carriage return',
  'emoji 😀 👍🏽 family 👨‍👩‍👧',
  'עברית מימין לשמאל',
  'مرحبا بالعالم',
  '=1+2',
  '+SUM(A1:A9)',
  '-2+3',
  '@SUM(A1)',
  '=HYPERLINK("http://127.0.0.1/x","click")',
  '-12.5',
  '-7',
  '12345678901234567890',
  '01234',
  '',
  null,
  'Ελληνικά κείμενο',
  'Кириллица текст',
  '中文字符 简体',
  '日本語のテキスト',
  '한국어 텍스트',
  '  padded  ',
  '"',
  ',',
  'ends with quote"',
];

/** Instants near midnight in Europe/Berlin and America/New_York. */
export const NEAR_MIDNIGHT = [
  '2026-06-30T22:15:00.000Z', // Berlin 2026-07-01 00:15 (+02:00)
  '2026-03-28T23:30:00.000Z', // Berlin 2026-03-29 00:30 (+01:00), DST day
  '2026-01-01T04:59:59.999Z', // New York 2025-12-31 23:59:59.999
  '2026-10-24T22:00:00.000Z', // Berlin 2026-10-25 00:00 (+02:00)
  '2026-12-31T23:00:00.000Z', // Berlin 2027-01-01 00:00 (+01:00)
];

export const JOB_COLUMNS = [
  'iata',
  'name',
  'city',
  'state',
  'country',
  'latitude',
  'longitude',
];

/** The airports of vega-datasets: real names with commas, quotes, accents. */
export function airports(limit = Infinity): string[][] {
  const file = path.resolve(
    __dirname,
    '../../../../../node_modules/vega-datasets/data/airports.csv',
  );
  const records = parse(fs.readFileSync(file, 'utf8')) as string[][];
  return records.slice(1, 1 + Math.min(limit, records.length - 1));
}

export interface Fixture {
  jobIds: string[];
  /** The job whose row errors hold airports and hostile values. */
  mainJobId: string;
  errorCount: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Jobs, row errors and recovery attempts written straight into the
 * tables: every hostile value, dates near midnight, real airports.
 */
export async function seedExportFixture(
  knex: Knex,
  options: { airports?: number } = {},
): Promise<Fixture> {
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  await knex('source_files').insert({
    id: 'file-1',
    name: 'airports, "2026".csv',
    size: 244438,
    sha256: 'ab'.repeat(32),
    storage_key: 'sources/file-1',
    created_at: iso(base),
  });

  const jobIds: string[] = [];
  const statuses = [
    'succeeded',
    'failed',
    'pending',
    'manual_intervention_required',
  ];
  const jobs = HOSTILE_VALUES.map((value, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    jobIds.push(id);
    const createdAt =
      i < NEAR_MIDNIGHT.length ? NEAR_MIDNIGHT[i] : iso(base + i * 3_600_000);
    return {
      id,
      type: i % 2 ? 'api_upload' : 'csv_import',
      status: statuses[i % statuses.length],
      target: i % 3 ? 'local' : 'crm',
      priority: ['critical', 'high', 'normal', 'low'][i % 4],
      priority_rank: i % 4,
      file_id: 'file-1',
      columns: JSON.stringify(JOB_COLUMNS),
      options: JSON.stringify({ type: 'csv_import', target: 'local' }),
      settings: JSON.stringify({ batchSize: 500 }),
      version: 1,
      attempts: i % 5,
      not_before: createdAt,
      created_at: createdAt,
      updated_at: createdAt,
      finished_at: i % 2 ? null : createdAt,
      rows_total: i % 3 === 0 ? null : 1000 + i,
      rows_done: 100 * i,
      rows_accepted: 90 * i,
      rows_rejected: 7 * i,
      rows_quarantined: 3 * i,
      bytes_done: 0,
      failure_type: i % 2 ? 'timeout' : null,
      failure:
        i % 2
          ? JSON.stringify({ type: 'timeout', message: value ?? 'no message' })
          : null,
      created_by: value,
    };
  });
  for (let i = 0; i < jobs.length; i += 10) {
    await knex('jobs').insert(jobs.slice(i, i + 10));
  }

  const mainJobId = jobIds[0];
  const errors: Record<string, unknown>[] = [];
  HOSTILE_VALUES.forEach((value, i) => {
    errors.push({
      job_id: mainJobId,
      row: i + 1,
      column: i % 4 === 0 ? null : JOB_COLUMNS[i % JOB_COLUMNS.length],
      code: i % 2 ? 'invalid_number' : 'required',
      message: `Row ${i + 1}: ${value ?? 'null'}`,
      value,
      raw:
        value === null
          ? null
          : `X${i},"${value.replace(/"/g, '""')}",c,s,US,1,2`,
      kind: i % 3 === 0 ? 'rejected' : 'quarantined',
      created_at: NEAR_MIDNIGHT[i % NEAR_MIDNIGHT.length],
    });
  });
  airports(options.airports ?? 600).forEach((record, i) => {
    errors.push({
      job_id: jobIds[1 + (i % 3)],
      row: i + 1,
      column: 'name',
      code: 'too_long',
      message: `${record[1]} (${record[2]}, ${record[3]})`,
      value: record[0],
      raw: record.join(','),
      kind: 'quarantined',
      created_at: iso(base + i * 61_000),
    });
  });
  for (let i = 0; i < errors.length; i += 100) {
    await knex('row_errors').insert(errors.slice(i, i + 100));
  }

  const attempts = jobIds.slice(0, 12).map((jobId, i) => ({
    id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    job_id: jobId,
    attempt: i + 1,
    trigger: ['manual', 'automatic', 'batch'][i % 3],
    target: 'local',
    failure_type: 'timeout',
    strategy: 'automatic_retry',
    plan: JSON.stringify({ reason: HOSTILE_VALUES[i] ?? 'no reason' }),
    status: i % 2 ? 'failed' : 'succeeded',
    outcome: HOSTILE_VALUES[i],
    requested_by: 'user:default/ana',
    created_at: NEAR_MIDNIGHT[i % NEAR_MIDNIGHT.length],
    started_at: NEAR_MIDNIGHT[i % NEAR_MIDNIGHT.length],
    finished_at:
      i % 4 === 3 ? null : NEAR_MIDNIGHT[(i + 1) % NEAR_MIDNIGHT.length],
    // Negative and beyond 2^53: numbers stay numbers, digits stay digits.
    duration_ms: i === 1 ? -250 : i * 1000,
    rows_processed: i === 2 ? '9007199254740993' : i * 10,
  }));
  await knex('recovery_attempts').insert(attempts);
  return { jobIds, mainJobId, errorCount: errors.length };
}
