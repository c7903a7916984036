import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';
import { QUARANTINE_ERROR_COLUMNS, quarantineCsv } from './quarantineCsv';
import { airports, JOB_COLUMNS } from './testing/fixtures';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) {
    out += chunk.toString();
  }
  return out;
}

describe.each(DATABASE_KINDS)('quarantine CSV on %s', kind => {
  let rebound: TestRebound;

  beforeEach(async () => {
    rebound = await createTestRebound(kind, {
      targets: { local: { type: 'table', table: 'imported_rows' } },
    });
  });

  afterEach(async () => {
    await rebound.close();
  });

  it('holds the set-aside rows in the job columns and re-imports once fixed', async () => {
    const records = airports(300);
    // Bad latitudes, with commas, quotes and a line break around them.
    const bad = new Map<number, string[]>([
      [
        5,
        [
          'X05',
          'Quote "Field", Inc',
          'Town, ST',
          'TX',
          'USA',
          'north',
          '-95.1',
        ],
      ],
      [40, ['X40', 'Line\nbreak', 'City', 'CA', 'USA', '', '-120']],
      [41, ['X41', '=cmd|" /c calc"!A0', 'Zürich', 'ZH', 'CH', 'n/a', 'east']],
      [250, ['X250', 'Ünïcödé 空港', 'Κέρκυρα', '', 'GR', '39.6O', '19.9']],
    ]);
    for (const [index, record] of bad) {
      records[index] = record;
    }
    const csv = stringify([JOB_COLUMNS, ...records], {
      record_delimiter: '\n',
    });
    const job = await rebound.submit(
      csv,
      {
        type: 'csv_import',
        target: 'local',
        schema: {
          columns: {
            latitude: { type: 'number', required: true },
            longitude: { type: 'number' },
          },
        },
      },
      'airports.csv',
    );
    const done = await rebound.waitFor(job.id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.progress.rowsQuarantined).toBe(bad.size);

    const out = await text(quarantineCsv(rebound.store, done));
    const [header, ...rows] = parse(out) as string[][];
    expect(header).toEqual([...JOB_COLUMNS, ...QUARANTINE_ERROR_COLUMNS]);
    expect(rows.map(r => Number(r[JOB_COLUMNS.length]))).toEqual(
      [...bad.keys()].map(i => i + 1),
    );
    // Row 42 has two bad cells: one line, both columns, both messages.
    const two = rows.find(r => r[0] === 'X41')!;
    expect(two[JOB_COLUMNS.length + 1]).toBe('latitude; longitude');
    expect(two[JOB_COLUMNS.length + 2].split('; ')).toHaveLength(2);

    // Drop the error columns: the job's header and its original records.
    const fixed = stringify(
      [JOB_COLUMNS, ...rows.map(r => r.slice(0, JOB_COLUMNS.length))],
      { record_delimiter: '\n' },
    );
    expect(parse(fixed)).toEqual([JOB_COLUMNS, ...bad.values()]);

    // Fix the cells and import the file again: every row goes in.
    const repaired = (parse(fixed) as string[][]).map((r, i) =>
      i === 0 ? r : [...r.slice(0, 5), '10.5', '20.25'],
    );
    const again = await rebound.submit(
      stringify(repaired),
      done.options,
      'airports-quarantine.csv',
    );
    const reimported = await rebound.waitFor(again.id, ['succeeded', 'failed']);
    expect(reimported.status).toBe('succeeded');
    expect(reimported.progress).toMatchObject({
      rowsAccepted: bad.size,
      rowsQuarantined: 0,
    });
  });

  it('writes the header alone for a job without quarantined rows', async () => {
    const job = await rebound.submit('a,b\n1,2\n', {
      type: 'csv_import',
      target: 'local',
    });
    const done = await rebound.waitFor(job.id, ['succeeded']);
    const out = await text(quarantineCsv(rebound.store, done));
    expect(out).toBe('a,b,error_row,error_column,error_message\r\n');
  });
});
