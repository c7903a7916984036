import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import { unzipSync, strFromU8 } from 'fflate';
import { silentLogger } from '../logger';
import { LocalStorageService } from '../storage/LocalStorageService';
import { DatabaseJobStore } from '../store/DatabaseJobStore';
import { migrateDown, migrateUp } from '../store/migrate';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../testing/databases';
import { ExportService, type ExportSettings } from './ExportService';
import {
  HOSTILE_VALUES,
  seedExportFixture,
  type Fixture,
} from './testing/fixtures';
import type { ExportRecord, ExportRequest } from './wire';
import { jobsDataset } from './datasets/jobs';

// Expected values are worked out here without the export code: Intl's
// Swedish locale prints ISO-like wall clocks, longOffset the offset.
function wallClock(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone, hour12: false });
}
function offsetOf(iso: string, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', {
    timeZone,
    timeZoneName: 'longOffset',
  })
    .formatToParts(new Date(iso))
    .find(p => p.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.slice(3);
}
function isoIn(iso: string, timeZone: string): string {
  const ms = iso.slice(19, 23);
  return `${wallClock(iso, timeZone).replace(' ', 'T')}${ms}${offsetOf(
    iso,
    timeZone,
  )}`;
}
/** What a spreadsheet must show as text: formula-like text gets a quote. */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)
    ? `'${text}`
    : text;
}
function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const ZONE = 'Europe/Berlin';
const ERROR_COLUMNS = [
  'id',
  'jobId',
  'row',
  'column',
  'code',
  'message',
  'value',
  'kind',
  'raw',
  'createdAt',
];

describe.each(DATABASE_KINDS)('exports on %s', kind => {
  let db: TestDatabase;
  let fixture: Fixture;
  let storageDir: string;
  let storage: LocalStorageService;
  // Rows as the driver returns them, the truth every export is checked against.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let truth: Record<string, any>[];

  const service = (settings: Partial<ExportSettings> = {}) =>
    new ExportService({
      knex: db.knex,
      storage,
      logger: silentLogger,
      // Small pages: every export crosses many keyset boundaries.
      settings: { pageSize: 37, ...settings },
    });

  async function content(svc: ExportService, record: ExportRecord) {
    const { stream } = await svc.openContent(record.id);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function exportOf(
    request: ExportRequest,
    settings?: Partial<ExportSettings>,
  ) {
    const svc = service(settings);
    const record = await svc.create(request, 'user:default/test');
    await svc.whenIdle();
    const done = await svc.get(record.id);
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    const bytes = await content(svc, done);
    // The recorded digest and size are those of the bytes served.
    expect(sha256(bytes)).toBe(done.sha256);
    expect(bytes.length).toBe(done.size);
    return { record: done, bytes, svc };
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await DatabaseJobStore.create(db.knex);
    fixture = await seedExportFixture(db.knex);
    storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-exports-'));
    storage = await LocalStorageService.create(storageDir);
    truth = await db.knex('row_errors').orderBy([
      { column: 'job_id', order: 'asc' },
      { column: 'row', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  });

  afterAll(async () => {
    await db?.close();
    await fs.rm(storageDir, { recursive: true, force: true });
  });

  const errorsRequest = (
    format: ExportRequest['format'],
    extra: Partial<ExportRequest> = {},
  ): ExportRequest => ({
    dataset: 'errors',
    format,
    columns: ERROR_COLUMNS,
    options: { timezone: ZONE },
    ...extra,
  });

  it('writes CSV that csv-parse reads back cell for cell', async () => {
    const { bytes, record } = await exportOf(errorsRequest('csv'));
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(
      false,
    );
    expect(bytes.toString('utf8')).toContain('\r\n');
    const [header, ...rows] = parse(bytes, {
      relax_column_count: false,
    }) as string[][];
    expect(header).toEqual([
      'Error',
      'Job',
      'Row',
      'Column',
      'Code',
      'Message',
      'Value',
      'Kind',
      'Record',
      'Recorded',
    ]);
    expect(rows).toHaveLength(truth.length);
    expect(record.rowCount).toBe(fixture.errorCount);
    rows.forEach((row, i) => {
      const t = truth[i];
      expect(row).toEqual([
        String(t.id),
        t.job_id,
        String(t.row),
        inert(t.column ?? ''),
        t.code,
        inert(t.message),
        inert(t.value ?? ''),
        t.kind,
        inert(t.raw ?? ''),
        isoIn(t.created_at, ZONE),
      ]);
    });
  });

  it('keeps every hostile value intact in CSV, neutralising formulas', async () => {
    const { bytes } = await exportOf(
      errorsRequest('csv', {
        columns: ['row', 'value'],
        filters: { jobId: fixture.mainJobId },
        options: { timezone: ZONE, excel: true },
      }),
    );
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(
      true,
    );
    const rows = (parse(bytes, { bom: true }) as string[][]).slice(1);
    expect(rows.map(r => r[1])).toEqual(
      HOSTILE_VALUES.map(v => inert(v ?? '')),
    );
    const byValue = new Map(rows.map(r => [r[1], r]));
    expect(byValue.get('-12.5')).toBeDefined();
    expect(byValue.get('-7')).toBeDefined();
    expect(byValue.get("'=1+2")).toBeDefined();
    expect(byValue.get("'-2+3")).toBeDefined();
    expect(byValue.get("'\tleading tab")).toBeDefined();
    expect(byValue.get('12345678901234567890')).toBeDefined();
    expect(byValue.get('01234')).toBeDefined();
  });

  it('writes formulas as given when neutralisation is turned off', async () => {
    const { bytes } = await exportOf(
      errorsRequest('csv', {
        columns: ['value'],
        filters: { jobId: fixture.mainJobId },
        options: { neutraliseFormulas: false },
      }),
    );
    const rows = (parse(bytes) as string[][]).slice(1);
    expect(rows.map(r => r[0])).toEqual(HOSTILE_VALUES.map(v => v ?? ''));
  });

  it('writes JSON and NDJSON that JSON.parse reads back value for value', async () => {
    const expected = truth.map(t => ({
      Error: String(t.id),
      Job: t.job_id,
      Row: Number(t.row),
      Column: t.column,
      Code: t.code,
      Message: t.message,
      Value: t.value,
      Kind: t.kind,
      Record: t.raw,
      Recorded: isoIn(t.created_at, ZONE),
    }));
    const json = await exportOf(errorsRequest('json'));
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual(expected);

    const ndjson = await exportOf(errorsRequest('ndjson'));
    const lines = ndjson.bytes.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map(line => JSON.parse(line))).toEqual(expected);
  });

  it('writes an empty JSON array when nothing matches', async () => {
    const { bytes, record } = await exportOf(
      errorsRequest('json', { filters: { jobId: 'no-such-job' } }),
    );
    expect(JSON.parse(bytes.toString('utf8'))).toEqual([]);
    expect(record.rowCount).toBe(0);
  });

  it('writes Excel with real dates, numbers, text ids and a metadata sheet', async () => {
    const { bytes, record } = await exportOf(errorsRequest('xlsx'));
    const file = path.join(storageDir, `read-${record.id}.xlsx`);
    await fs.writeFile(file, bytes);
    const sheets = await readXlsxFile(file, { trim: false });
    expect(sheets.map(s => s.sheet)).toEqual(['Row errors', 'Metadata']);
    const [header, ...rows] = sheets[0].data;
    expect(header).toEqual([
      'Error',
      'Job',
      'Row',
      'Column',
      'Code',
      'Message',
      'Value',
      'Kind',
      'Record',
      'Recorded',
    ]);
    expect(rows).toHaveLength(truth.length);
    const text = (v: string | null) =>
      v === null || v === '' ? null : inert(v);
    rows.forEach((row, i) => {
      const t = truth[i];
      const wall = wallClock(t.created_at, ZONE).replace(' ', 'T');
      expect(row.slice(0, 9)).toEqual([
        String(t.id),
        t.job_id,
        Number(t.row),
        text(t.column),
        t.code,
        text(t.message),
        text(t.value),
        t.kind,
        text(t.raw),
      ]);
      // The wall clock of Berlin, as a date Excel shows without a zone.
      const date = row[9] as unknown as Date;
      expect(date).toBeInstanceOf(Date);
      expect(
        Math.abs(
          date.getTime() - Date.parse(`${wall}${t.created_at.slice(19, 23)}Z`),
        ),
      ).toBeLessThan(2);
    });

    const meta = Object.fromEntries(
      sheets[1].data.slice(1) as [string, string][],
    );
    const rowsDigest = createHash('sha256');
    for (const t of truth) {
      rowsDigest.update(
        `${JSON.stringify([
          String(t.id),
          t.job_id,
          Number(t.row),
          t.column,
          t.code,
          t.message,
          t.value,
          t.kind,
          t.raw,
          t.created_at,
        ])}\n`,
      );
    }
    expect(meta).toMatchObject({
      Dataset: 'errors (Row errors)',
      Rows: String(truth.length),
      'Time zone': ZONE,
      'Rows SHA-256': rowsDigest.digest('hex'),
    });
    expect(meta['Formula neutralisation']).toMatch(/^on/);
    expect(meta['Created at']).toMatch(/^\d{4}-\d\d-\d\dT.*\+0[12]:00$/);

    const xml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']);
    expect(xml).toMatch(/<pane ySplit="1"[^>]*state="frozen"/);
    expect(xml).toContain('<autoFilter ref="A1:J1"/>');
    // exceljs merges equal neighbours and leaves out its default width, 9.
    const widths: number[] = Array(10).fill(9);
    for (const m of xml.matchAll(
      /<col min="(\d+)" max="(\d+)" width="([\d.]+)"/g,
    )) {
      for (let c = Number(m[1]); c <= Number(m[2]); c++) {
        widths[c - 1] = Number(m[3]);
      }
    }
    // A uuid is 36 characters; the header "Row" is short.
    expect(widths[1]).toBeGreaterThanOrEqual(38);
    expect(widths[2]).toBeLessThan(12);
  });

  it('keeps numbers as numbers and long digit strings as text in Excel', async () => {
    const { bytes, record } = await exportOf({
      dataset: 'recoveries',
      format: 'xlsx',
      columns: [
        'id',
        'attempt',
        'durationMs',
        'rowsProcessed',
        'outcome',
        'createdAt',
      ],
      sort: ['attempt'],
      transformations: {
        format: { createdAt: 'date' },
        rename: { durationMs: 'Dauer (ms)' },
      },
      options: { timezone: ZONE },
    });
    const file = path.join(storageDir, `read-${record.id}.xlsx`);
    await fs.writeFile(file, bytes);
    const [sheet] = await readXlsxFile(file, { trim: false });
    const attempts = await db.knex('recovery_attempts').orderBy('attempt');
    expect(sheet.data[0]).toEqual([
      'Attempt',
      'Attempt no.',
      'Dauer (ms)',
      'Rows processed',
      'Outcome',
      'Created',
    ]);
    sheet.data.slice(1).forEach((row, i) => {
      const a = attempts[i];
      expect(row[0]).toBe(a.id);
      expect(row[1]).toBe(Number(a.attempt));
      expect(row[2]).toBe(Number(a.duration_ms));
      if (String(a.rows_processed) === '9007199254740993') {
        expect(row[3]).toBe('9007199254740993');
      } else {
        expect(row[3]).toBe(Number(a.rows_processed));
      }
      expect(row[4]).toBe(
        a.outcome === null || a.outcome === '' ? null : inert(a.outcome),
      );
      const day = wallClock(a.created_at, ZONE).slice(0, 10);
      expect((row[5] as unknown as Date).toISOString()).toBe(
        `${day}T00:00:00.000Z`,
      );
    });
    expect(attempts.some(a => Number(a.duration_ms) < 0)).toBe(true);
  });

  it('writes a PDF whose text pdftotext reads back, header on every page', async () => {
    const { bytes, record } = await exportOf({
      dataset: 'errors',
      format: 'pdf',
      columns: ['row', 'code', 'value', 'message'],
      filters: { jobId: fixture.jobIds[1] },
      options: { timezone: ZONE, title: 'Fehlerbericht — ошибки — 错误' },
    });
    const file = path.join(storageDir, `read-${record.id}.pdf`);
    await fs.writeFile(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], {
      encoding: 'utf8',
    });
    const pages = text.split('\f').filter(p => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toMatch(/Row\s+Code\s+Value\s+Message/);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    expect(text).toContain('Fehlerbericht — ошибки — 错误');
    const rows = truth.filter(t => t.job_id === fixture.jobIds[1]);
    expect(text).toContain(`Rows: ${rows.length}`);
    const lines = text.split('\n');
    // Each row's cells stand on one line, in column order.
    const missing = rows.filter(t => {
      const pattern = new RegExp(
        `^\\s*${t.row}\\s+${t.code}\\s+${escape(t.value)}\\s+${escape(
          t.message.split(' ')[0],
        )}`,
      );
      return !lines.some(line => pattern.test(line));
    });
    expect(missing).toEqual([]);
  });

  it('keeps the words of a PDF whole when its columns shrink to fit the page', async () => {
    const { bytes, record } = await exportOf({
      dataset: 'jobs',
      format: 'pdf',
    });
    const file = path.join(storageDir, `read-${record.id}.pdf`);
    await fs.writeFile(file, bytes);
    const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean);

    // Every header word, and each job's type, stands whole on its line.
    for (const word of [
      'Attempts',
      'quarantined',
      'Priority',
      'Failure',
      'Finished',
      'csv_import',
      'api_upload',
    ]) {
      expect(words).toContain(word);
    }
  });

  it('lists every column of a wide PDF in its metadata, wrapped, not cut', async () => {
    const columns = jobsDataset.columns.map(column => column.name);
    const { bytes, record } = await exportOf({
      dataset: 'jobs',
      format: 'pdf',
      columns,
    });
    const file = path.join(storageDir, `read-${record.id}.pdf`);
    await fs.writeFile(file, bytes);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });

    expect(text.replace(/\s+/g, '')).toContain(`Columns:${columns.join(',')}`);
    expect(text).toContain(`Rows: ${record.rowCount}`);
  });

  it('wraps long and multilingual values in a PDF without cutting them', async () => {
    const { bytes, record } = await exportOf({
      dataset: 'errors',
      format: 'pdf',
      columns: ERROR_COLUMNS,
      filters: { jobId: fixture.mainJobId },
      options: { timezone: ZONE },
    });
    const file = path.join(storageDir, `read-${record.id}.pdf`);
    await fs.writeFile(file, bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    // Ten columns do not fit a portrait A4 page.
    expect(info).toMatch(/Page size:\s+841.89 x 595.28/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toContain('DejaVuSans');
    expect(fonts).toContain('NotoSansSC');
    expect(fonts).toContain('NotoSansKR');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    const squashed = text.replace(/\s+/g, '');
    // Emoji beyond DejaVu's own are drawn as empty boxes: no shipped font has them.
    expect(squashed).toContain('emoji😀');
    for (const value of [
      'Ελληνικά κείμενο',
      'Кириллица текст',
      '中文字符 简体',
      '日本語のテキスト',
      '한국어 텍스트',
      'quote "inside" here',
      '12345678901234567890',
    ]) {
      expect(squashed).toContain(value.replace(/\s+/g, ''));
    }
    // Long raw records wrap over several lines and stay whole.
    for (const t of truth.filter(
      t =>
        t.job_id === fixture.mainJobId &&
        t.raw &&
        !/[\u0590-\u08ff]|emoji/.test(t.raw),
    )) {
      expect(squashed).toContain(t.raw.replace(/\s+/g, ''));
    }
  });

  it('refuses a PDF over the row limit and suggests CSV or Excel', async () => {
    const svc = service({ pdfMaxRows: 10 });
    await expect(
      svc.create({ dataset: 'errors', format: 'pdf' }),
    ).rejects.toMatchObject({
      kind: 'input',
      code: 'pdf_too_many_rows',
      message: expect.stringMatching(/csv.*xlsx/),
    });
  });

  it('applies filters, renames and formats in the time zone asked for', async () => {
    const { bytes } = await exportOf({
      dataset: 'jobs',
      format: 'csv',
      columns: ['id', 'status', 'createdAt', 'acceptedShare', 'rowsDone'],
      filters: {
        status: { in: ['succeeded', 'failed'] },
        rowsDone: { gte: 200, lt: 2500 },
        createdAt: { lte: '2026-12-31' },
      },
      sort: [{ column: 'rowsDone', direction: 'desc' }],
      transformations: {
        rename: { createdAt: 'Erstellt', acceptedShare: 'Quote' },
        format: {
          createdAt: 'datetime',
          acceptedShare: { type: 'percentage', decimals: 2 },
        },
      },
      options: { timezone: 'America/New_York' },
    });
    const [header, ...rows] = parse(bytes) as string[][];
    expect(header).toEqual(['Job', 'Status', 'Erstellt', 'Quote', 'Rows done']);
    const jobs = (await db.knex('jobs').orderBy('rows_done', 'desc')).filter(
      j =>
        ['succeeded', 'failed'].includes(j.status) &&
        j.rows_done >= 200 &&
        j.rows_done < 2500 &&
        new Date(j.created_at) < new Date('2027-01-01T05:00:00Z'),
    );
    expect(rows).toEqual(
      jobs.map(j => [
        j.id,
        j.status,
        wallClock(j.created_at, 'America/New_York'),
        `${((Number(j.rows_accepted) / Number(j.rows_done)) * 100).toFixed(
          2,
        )}%`,
        String(j.rows_done),
      ]),
    );
  });

  it('shows dates near midnight on the day of the zone', async () => {
    const { bytes } = await exportOf({
      dataset: 'jobs',
      format: 'json',
      columns: ['createdAt', 'finishedAt'],
      filters: { createdAt: { lt: '2026-07-01T00:30:00+02:00' } },
      sort: ['createdAt'],
      transformations: { format: { createdAt: 'date' } },
      options: { timezone: ZONE },
    });
    const rows = JSON.parse(bytes.toString('utf8'));
    expect(rows.map((r: { Created: string }) => r.Created)).toEqual([
      '2026-01-01',
      '2026-03-29',
      '2026-07-01',
    ]);
    expect(rows[2].Finished).toBe('2026-07-01T00:15:00.000+02:00');
  });

  it('filters with contains, equality on null and whole local days', async () => {
    const svc = service();
    const count = async (filters: ExportRequest['filters']) => {
      const record = await svc.create({
        dataset: 'errors',
        format: 'ndjson',
        filters,
      });
      return (await svc.get(record.id)).rowCount;
    };
    const main = truth.filter(t => t.job_id === fixture.mainJobId);
    expect(await count({ jobId: fixture.mainJobId })).toBe(main.length);
    expect(await count({ jobId: fixture.mainJobId, value: null })).toBe(1);
    expect(await count({ value: { contains: '"' } })).toBe(
      truth.filter(t => t.value?.includes('"')).length,
    );
    expect(await count({ value: { contains: '%' } })).toBe(0);
    expect(
      await count({ row: { gt: 3, lte: 5 }, jobId: fixture.mainJobId }),
    ).toBe(2);
    const berlinDay = truth.filter(t =>
      wallClock(t.created_at, ZONE).startsWith('2026-07-01'),
    ).length;
    expect(berlinDay).toBeGreaterThan(0);
    const record = await svc.create({
      dataset: 'errors',
      format: 'csv',
      filters: { createdAt: '2026-07-01' },
      options: { timezone: ZONE },
    });
    expect((await svc.get(record.id)).rowCount).toBe(berlinDay);
  });

  it('pages through any sort without losing or repeating a row', async () => {
    for (const sort of [
      ['-column', 'row'],
      ['value'],
      ['-createdAt', 'code'],
      ['kind', '-row'],
    ]) {
      const request = errorsRequest('ndjson', { columns: ['id'], sort });
      const paged = await exportOf(request, { pageSize: 13 });
      const whole = await exportOf(request, { pageSize: 100_000 });
      const ids = paged.bytes.toString('utf8').trim().split('\n');
      expect(ids).toHaveLength(truth.length);
      expect(new Set(ids).size).toBe(truth.length);
      expect(paged.bytes.equals(whole.bytes)).toBe(true);
    }
  });

  it('names the bad dataset, format, column and operator', async () => {
    const svc = service();
    const refused = (body: unknown, pattern: RegExp) =>
      expect(svc.create(body)).rejects.toMatchObject({
        kind: 'input',
        message: expect.stringMatching(pattern),
      });
    await refused(
      { dataset: 'nope', format: 'csv' },
      /"nope".*jobs, errors, recoveries/,
    );
    await refused(
      { dataset: 'jobs', format: 'docx' },
      /"docx".*csv, json, ndjson, xlsx, pdf/,
    );
    await refused(
      { dataset: 'jobs', format: 'csv', columns: ['id', 'colour'] },
      /'colour'.*allowed: id, type/,
    );
    await refused(
      { dataset: 'jobs', format: 'csv', filters: { status: { like: 'f%' } } },
      /'like'.*eq, in, contains/,
    );
    await refused(
      { dataset: 'jobs', format: 'csv', filters: { colour: 1 } },
      /colour.*allowed: id/,
    );
    await refused(
      {
        dataset: 'jobs',
        format: 'csv',
        filters: { rowsDone: { gte: 'many' } },
      },
      /"many"/,
    );
    await refused(
      { dataset: 'jobs', format: 'csv', sort: ['failureMessage'] },
      /not a sortable column/,
    );
    await refused(
      { dataset: 'jobs', format: 'csv', options: { timezone: 'Mars/Olympus' } },
      /Mars\/Olympus/,
    );
    await refused(
      {
        dataset: 'jobs',
        format: 'csv',
        transformations: { format: { status: 'date' } },
      },
      /'date' does not apply to 'status'/,
    );
  });

  it('refuses impossible dates and times in filters, naming the filter and the form', async () => {
    const svc = service();
    const refused = (filters: ExportRequest['filters'], pattern: RegExp) =>
      expect(
        svc.create({ dataset: 'jobs', format: 'csv', filters }),
      ).rejects.toMatchObject({
        kind: 'input',
        code: 'invalid_filter_value',
        message: expect.stringMatching(pattern),
      });
    await refused(
      { createdAt: { gte: '2026-12-04T25:99' } },
      /^filters\.createdAt\.gte: '2026-12-04T25:99' is not a real time \(hour 25 is not 00 to 23 and minute 99 is not 00 to 59\); use YYYY-MM-DD for a whole day or YYYY-MM-DDTHH:MM\[:SS\]/,
    );
    await refused(
      { createdAt: '2026-02-31' },
      /^filters\.createdAt: '2026-02-31' is not a calendar date \(February 2026 has 28 days\); use YYYY-MM-DD\.$/,
    );
    // With an offset too, where Date.parse would carry it into March.
    await refused(
      { createdAt: { lt: '2026-02-31T10:00:00Z' } },
      /^filters\.createdAt\.lt: '2026-02-31T10:00:00Z' is not a calendar date/,
    );
    await refused(
      { createdAt: { gte: '2026-13-01' } },
      /'2026-13-01' is not a calendar date \(there is no month 13\)/,
    );
    await refused(
      { createdAt: { in: ['2026-12-04T10:00', '2026-12-04T24:00'] } },
      /^filters\.createdAt\.in: '2026-12-04T24:00' is not a real time \(hour 24/,
    );
    await refused(
      { createdAt: { gte: '2026-12-04T10:00:61+01:00' } },
      /second 61 is not 00 to 59/,
    );
    await refused(
      { createdAt: { gte: '2026-12-04T10:00+25:00' } },
      /offset \+25:00 is not -23:59 to \+23:59/,
    );
    await refused(
      { createdAt: { gte: 'yesterday' } },
      /^filters\.createdAt\.gte: "yesterday" is not a date or time; use YYYY-MM-DD/,
    );
  });

  it('reads a filter time with Z, an offset or none in the zone alike', async () => {
    const svc = service();
    const count = async (createdAt: string, timezone = 'UTC') => {
      const record = await svc.create({
        dataset: 'jobs',
        format: 'ndjson',
        filters: { createdAt: { lt: createdAt } },
        options: { timezone },
      });
      return (await svc.get(record.id)).rowCount;
    };
    const expected = (await db.knex('jobs').select('created_at')).filter(
      j => new Date(j.created_at) < new Date('2026-07-01T00:30:00Z'),
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(await count('2026-07-01T00:30:00Z')).toBe(expected);
    expect(await count('2026-07-01t00:30:00.000z')).toBe(expected);
    expect(await count('2026-07-01 02:30+02:00')).toBe(expected);
    expect(await count('2026-06-30T20:30:00.000000-04:00')).toBe(expected);
    expect(await count('2026-07-01T02:30', ZONE)).toBe(expected);
  });

  it('fails an export whose storage cannot be written, serves nothing and retries', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-unwritable-'));
    const broken = await LocalStorageService.create(dir);
    // A file where the exports folder should be: even root cannot write.
    await fs.writeFile(path.join(dir, 'exports'), 'not a folder');
    const svc = new ExportService({
      knex: db.knex,
      storage: broken,
      logger: silentLogger,
    });
    const record = await svc.create({ dataset: 'errors', format: 'xlsx' });
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('export_storage_failed');
    expect(record.error?.message).toMatch(/EEXIST|ENOTDIR/);
    expect(record.error?.message).toContain('recovery.storage.dir');
    expect(record.downloadUrl).toBeNull();
    await expect(svc.openContent(record.id)).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect(await fs.readdir(dir)).toEqual(['exports']);

    await fs.rm(path.join(dir, 'exports'));
    const retried = await svc.retry(record.id);
    expect(retried).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      error: null,
    });
    expect(retried.rowCount).toBe(truth.length);
    await expect(svc.retry(record.id)).rejects.toMatchObject({
      kind: 'conflict',
    });
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs large exports in the background and reports progress', async () => {
    const svc = service({ inlineRows: 10, pageSize: 50 });
    const record = await svc.create({ dataset: 'errors', format: 'csv' });
    expect(['pending', 'running']).toContain(record.status);
    expect(record.rowsTotal).toBe(truth.length);
    expect(record.downloadUrl).toBeNull();
    await svc.whenIdle();
    const done = await svc.get(record.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: truth.length,
      rowCount: truth.length,
    });
    expect(done.downloadUrl).toBe(`/api/recovery/exports/${record.id}/content`);
  });

  it('deletes expired files and answers 404 for them', async () => {
    const { record, svc } = await exportOf({ dataset: 'jobs', format: 'csv' });
    const key = path.join(storageDir, 'exports', `${record.id}.csv`);
    await fs.access(key);
    await db
      .knex('exports')
      .where({ id: record.id })
      .update({ expires_at: '2000-01-01T00:00:00.000Z' });
    await expect(svc.openContent(record.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
    const upkeep = await svc.runMaintenance();
    expect(upkeep.expired).toBeGreaterThanOrEqual(1);
    await expect(fs.access(key)).rejects.toThrow();
    expect(await svc.get(record.id)).toMatchObject({
      status: 'expired',
      downloadUrl: null,
    });
    await expect(svc.openContent(record.id)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'export_expired',
    });
  });

  it('fails exports whose process stopped heartbeating', async () => {
    const svc = service();
    const record = await svc.create({ dataset: 'jobs', format: 'csv' });
    await db.knex('exports').where({ id: record.id }).update({
      status: 'running',
      heartbeat_at: '2000-01-01T00:00:00.000Z',
    });
    expect((await svc.runMaintenance()).interrupted).toBe(1);
    expect(await svc.get(record.id)).toMatchObject({
      status: 'failed',
      error: { code: 'export_interrupted' },
    });
  });

  it('lists exports newest first in pages', async () => {
    const svc = service();
    const first = await svc.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await svc.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items[0].createdAt <= first.items[1].createdAt).toBe(true);
    expect(second.items.map(i => i.id)).not.toContain(first.items[0].id);
  });
});

describe.each(DATABASE_KINDS)('exports migration on %s', kind => {
  it('goes up and down', async () => {
    const db = await createTestDatabase(kind);
    try {
      await migrateUp(db.knex);
      expect(await db.knex.schema.hasTable('exports')).toBe(true);
      await migrateDown(db.knex);
      expect(await db.knex.schema.hasTable('exports')).toBe(false);
      await migrateUp(db.knex);
      expect(await db.knex.schema.hasColumn('exports', 'expires_at')).toBe(
        true,
      );
    } finally {
      await db.close();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
