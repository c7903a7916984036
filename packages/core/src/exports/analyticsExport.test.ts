import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import readXlsxFile from 'read-excel-file/node';
import type { Knex } from 'knex';
import { AlertService } from '../analytics/AlertService';
import { AnalyticsService } from '../analytics/AnalyticsService';
import { recordFailure } from '../analytics/failureLog';
import type { AnalyticsReport } from '../client/analytics';
import type { FailureType, Job, RecoveryTrigger } from '../client/types';
import { silentLogger } from '../logger';
import { reboundMetrics } from '../metrics';
import { RECOVERABILITY } from '../recovery/classifier';
import { LocalStorageService } from '../storage/LocalStorageService';
import { DatabaseJobStore } from '../store/DatabaseJobStore';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../testing/databases';
import { ExportService } from './ExportService';
import type { ExportRecord, ExportRequest } from './wire';

const FROM = '2026-03-10T00:00:00.000Z';
const TO = '2026-03-13T00:00:00.000Z';
const ZONE = 'America/New_York';
const PERIOD = { from: { gte: FROM }, to: { lt: TO } };
const HEADERS = [
  'Section',
  'Key',
  'Metric',
  'Value',
  'Count',
  'Rate',
  'Date',
  'First seen',
  'Last seen',
  'Title',
  'Detail',
  'Period from',
  'Period to',
];

type Cell = string | number | null;

/**
 * The rows the export must hold, worked out here from the report's
 * fields: one measure a row, in the order docs/analytics.md lists.
 */
function expectedRows(report: AnalyticsReport): Cell[][] {
  const rows: Cell[][] = [];
  const add = (
    section: string,
    key: string,
    metric: string,
    cells: {
      value?: number | null;
      count?: number | null;
      rate?: number | null;
      date?: string;
      firstSeen?: string;
      lastSeen?: string;
      title?: string;
      detail?: string;
    },
  ) =>
    rows.push([
      section,
      key,
      metric,
      cells.value ?? null,
      cells.count ?? null,
      cells.rate ?? null,
      cells.date ?? null,
      cells.firstSeen ?? null,
      cells.lastSeen ?? null,
      cells.title ?? null,
      cells.detail ?? null,
      report.from,
      report.to,
    ]);
  const s = report.summary;
  add('summary', 'all', 'failures', { value: s.failures });
  add('summary', 'all', 'successes', {
    value: s.successes,
    count: s.attempts,
    rate: s.rate,
  });
  add('summary', 'all', 'recoverable_successes', {
    value: s.recoverableSuccesses,
    count: s.recoverableAttempts,
    rate: s.recoverableRate,
  });
  for (const [section, rates] of [
    ['success_rate_by_failure_type', report.successRateByFailureType],
    ['success_rate_by_job_type', report.successRateByJobType],
    ['success_rate_by_target', report.successRateByTarget],
  ] as const) {
    for (const r of rates) {
      add(section, r.key, 'successes', {
        value: r.successes,
        count: r.attempts,
        rate: r.rate,
      });
    }
  }
  const ttr = report.timeToRecover;
  add('time_to_recover', 'all', 'median_ms', {
    value: ttr.medianMs,
    count: ttr.count,
  });
  add('time_to_recover', 'all', 'p90_ms', {
    value: ttr.p90Ms,
    count: ttr.count,
  });
  const apj = report.attemptsPerRecoveredJob;
  for (const metric of ['mean', 'median', 'max'] as const) {
    add('attempts_per_recovered_job', 'all', metric, {
      value: apj[metric],
      count: apj.count,
    });
  }
  add('quarantine', 'all', 'rows_quarantined', {
    value: report.quarantine.rowsQuarantined,
    count: report.quarantine.rowsDone,
    rate: report.quarantine.share,
  });
  const mi = report.manualIntervention;
  add('manual_intervention', 'all', 'waiting', {
    value: mi.waiting,
    count: mi.waiting,
  });
  add('manual_intervention', 'all', 'oldest_waiting_ms', {
    value: mi.oldestWaitingMs,
    count: mi.waiting,
  });
  add('manual_intervention', 'all', 'median_waiting_ms', {
    value: mi.medianWaitingMs,
    count: mi.waiting,
  });
  for (const p of report.patterns) {
    add('pattern', p.signature, 'failures', {
      value: p.count,
      count: p.jobCount,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      title: p.example,
      detail:
        `trend ${p.trend} (${p.previousCount} in the period before); ` +
        `types: ${p.failureTypes.join(', ')}; ` +
        `targets: ${p.targets.join(', ')}; jobs: ${p.jobIds.join(', ')}`,
    });
  }
  for (const h of report.failuresByHour) {
    add(
      'failures_by_hour',
      `${h.hour < 10 ? '0' : ''}${h.hour}:00`,
      'failures',
      {
        value: h.failures,
      },
    );
  }
  for (const t of report.failuresByTarget) {
    add('failures_by_target', t.target, 'failures', {
      value: t.failures,
      detail: Object.entries(t.types)
        .map(([type, n]) => `${type}: ${n}`)
        .join(', '),
    });
  }
  for (const day of report.overTime) {
    for (const metric of ['failures', 'recoveries', 'successes'] as const) {
      add('over_time', day.date, metric, {
        value: day[metric],
        date: day.date,
      });
    }
  }
  for (const r of report.recommendations) {
    add('recommendation', r.id, r.rule, { title: r.title, detail: r.message });
    const suggested = r.suggestedValue;
    add('recommendation', r.id, 'setting', {
      title: r.setting,
      ...(typeof suggested === 'number' ? { value: suggested } : {}),
      ...(Array.isArray(suggested) ? { detail: suggested.join(', ') } : {}),
      ...(typeof suggested === 'string' ? { detail: suggested } : {}),
    });
    for (const [field, value] of Object.entries(r.evidence)) {
      add(
        'recommendation',
        r.id,
        `evidence.${field}`,
        typeof value === 'number'
          ? { value }
          : { detail: Array.isArray(value) ? value.join(', ') : value },
      );
    }
  }
  for (const a of report.alerts) {
    add('alert', a.id, a.kind, {
      value: a.value,
      firstSeen: a.openedAt,
      lastSeen: a.resolvedAt ?? a.updatedAt,
      title: a.message,
      detail: `${a.status}; scope ${a.scope}; threshold ${a.threshold}`,
    });
  }
  return rows;
}

// Zoned times worked out with Intl, not with the export code.
function wallClock(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', {
    timeZone: ZONE,
    hour12: false,
  });
}
function isoInZone(iso: string): string {
  const offset = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    timeZoneName: 'longOffset',
  })
    .formatToParts(new Date(iso))
    .find(p => p.type === 'timeZoneName')!
    .value.slice(3);
  return `${wallClock(iso).replace(' ', 'T')}${iso.slice(19, 23)}${offset}`;
}

const DATETIME_COLUMNS = [7, 8, 11, 12];

/** PDF operators in the page content streams, inflated with zlib. */
function drawingOperators(pdf: Buffer): Record<string, number> {
  const counts: Record<string, number> = { re: 0, l: 0, m: 0, S: 0, f: 0 };
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('>>\nstream\n', at);
    const end = start < 0 ? -1 : pdf.indexOf('\nendstream', start);
    if (end < 0) {
      return counts;
    }
    at = end + 1;
    let text: string;
    try {
      text = inflateSync(pdf.subarray(start + 10, end)).toString('latin1');
    } catch {
      continue;
    }
    // Font programs are binary; page content is operators in ASCII.
    if (!/^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) || !text.includes('BT')) {
      continue;
    }
    for (const token of text.split(/\s+/)) {
      if (token in counts) {
        counts[token] += 1;
      }
    }
  }
}

describe.each(DATABASE_KINDS)('the analytics export on %s', kind => {
  let db: TestDatabase;
  let knex: Knex;
  let storageDir: string;
  let service: ExportService;
  let report: AnalyticsReport;
  let expected: Cell[][];
  const jobs: Record<string, Pick<Job, 'id' | 'type' | 'target'>> = {};

  /** 2026-03-DDTHH:MM in UTC. */
  const t = (dayAndTime: string) => `2026-03-${dayAndTime}:00.000Z`;

  async function insertJob(name: string, target: string, status: string) {
    const id = randomUUID();
    const fileId = randomUUID();
    await knex('source_files').insert({
      id: fileId,
      name: `${name}.csv`,
      size: 100,
      sha256: 'cd'.repeat(32),
      storage_key: `sources/${fileId}`,
      created_at: t('01T00:00'),
    });
    await knex('jobs').insert({
      id,
      type: 'api_upload',
      status,
      target,
      priority: 'normal',
      priority_rank: 2,
      file_id: fileId,
      options: JSON.stringify({ type: 'api_upload', target }),
      settings: JSON.stringify({ batchSize: 500, timeoutMs: 30_000 }),
      created_at: t('01T00:00'),
      updated_at: t('11T00:00'),
      finished_at: t('11T00:00'),
      rows_done: 100,
      rows_quarantined: 4,
    });
    jobs[name] = { id, type: 'api_upload', target };
  }

  async function fail(
    name: string,
    at: string,
    type: FailureType,
    message: string,
    httpStatus?: number,
  ) {
    await recordFailure(knex, jobs[name], {
      type,
      message,
      recoverability: RECOVERABILITY[type],
      confidence: 0.9,
      evidence: httpStatus ? { httpStatus } : {},
      at,
    });
  }

  async function attempt(
    name: string,
    failureType: FailureType,
    status: 'succeeded' | 'failed',
    createdAt: string,
    finishedAt: string,
    trigger: RecoveryTrigger = 'automatic',
    plan: { attempt: number; maxAttempts: number } = {
      attempt: 1,
      maxAttempts: 5,
    },
  ) {
    await knex('recovery_attempts').insert({
      id: randomUUID(),
      job_id: jobs[name].id,
      attempt: plan.attempt,
      trigger,
      target: jobs[name].target,
      failure_type: failureType,
      strategy: 'automatic_retry',
      plan: JSON.stringify({ adjustments: {}, ...plan }),
      status,
      created_at: createdAt,
      finished_at: finishedAt,
    });
  }

  async function exportOf(request: ExportRequest) {
    const record = await service.create(request);
    await service.whenIdle();
    const done = await service.get(record.id);
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    const { stream } = await service.openContent(done.id);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
    }
    return { record: done, bytes: Buffer.concat(chunks) };
  }

  async function saved(record: ExportRecord, bytes: Buffer) {
    const file = path.join(storageDir, `read-${record.id}.${record.format}`);
    await fs.writeFile(file, bytes);
    return file;
  }

  const request = (
    format: ExportRequest['format'],
    extra: Partial<ExportRequest> = {},
  ): ExportRequest => ({
    dataset: 'analytics',
    format,
    filters: PERIOD,
    options: { timezone: ZONE },
    ...extra,
  });

  const busy = (rows: string) =>
    `Target 'crm' answered 503 Service Unavailable for rows ${rows}: ` +
    `{"requestId":"${randomUUID()}"}`;
  const refused = (port: number) =>
    `connect ECONNREFUSED 10.0.0.${port}:443 while sending rows 1-100`;
  const limited = (seconds: number) =>
    `Target 'erp' answered 429 Too Many Requests: {"retryAfter":${seconds}}`;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    knex = (await DatabaseJobStore.create(db.knex)).knex;
    storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-analytics-'));
    service = new ExportService({
      knex,
      storage: await LocalStorageService.create(storageDir),
      logger: silentLogger,
    });

    // Two uploads refused with a 503, both recovered, one at the second try.
    await insertJob('a1', 'crm', 'succeeded');
    await fail('a1', t('10T01:00'), 'temporary_resource', busy('1-500'), 503);
    await attempt(
      'a1',
      'temporary_resource',
      'succeeded',
      t('10T01:01'),
      t('10T01:10'),
    );
    await insertJob('a2', 'crm', 'succeeded');
    await fail('a2', t('10T02:00'), 'temporary_resource', busy('1-100'), 503);
    await attempt(
      'a2',
      'temporary_resource',
      'failed',
      t('10T02:01'),
      t('10T02:05'),
    );
    await fail('a2', t('10T02:05'), 'temporary_resource', busy('1-100'), 503);
    await attempt(
      'a2',
      'temporary_resource',
      'succeeded',
      t('10T02:06'),
      t('10T02:30'),
    );

    // Refused connections whose automatic retries mostly fail, 1 of 5,
    // the failed ones on their last attempt: retries ran out.
    for (const [i, name] of ['n1', 'n2', 'n3', 'n4', 'n5'].entries()) {
      await insertJob(name, 'erp', i === 0 ? 'succeeded' : 'failed');
      await fail(name, t(`11T0${i}:00`), 'network_error', refused(i + 2));
      await attempt(
        name,
        'network_error',
        i === 0 ? 'succeeded' : 'failed',
        t(`11T0${i}:05`),
        t(`11T0${i}:06`),
        'automatic',
        { attempt: 5, maxAttempts: 5 },
      );
    }

    // A target answering 429 three times.
    await insertJob('r1', 'erp', 'failed');
    for (const [i, seconds] of [5, 10, 30].entries()) {
      await fail(
        'r1',
        t(`12T1${i}:00`),
        'temporary_resource',
        limited(seconds),
        429,
      );
    }

    await knex('alerts').insert({
      id: randomUUID(),
      kind: 'recovery_failure_rate',
      scope: 'all',
      status: 'open',
      message: 'Recovery failed 5 of 9 times in the last hour',
      value: 0.5556,
      threshold: 0.15,
      opened_at: t('11T04:10'),
      updated_at: t('11T04:20'),
      resolved_at: null,
    });

    report = await new AnalyticsService(
      knex,
      new AlertService(knex, [], silentLogger),
    ).report({ from: FROM, to: TO });
    expected = expectedRows(report);
  });

  afterAll(async () => {
    await db?.close();
    await fs.rm(storageDir, { recursive: true, force: true });
  });

  it('draws on a period with patterns, recommendations and an alert', () => {
    expect(report.empty).toBe(false);
    expect(report.patterns.length).toBeGreaterThanOrEqual(3);
    expect(report.recommendations.map(r => r.rule).sort()).toEqual([
      'retries_mostly_fail',
      'target_rate_limited',
    ]);
    expect(report.alerts).toHaveLength(1);
    expect(expected.length).toBeGreaterThan(60);
  });

  it('writes CSV that csv-parse reads back cell for cell', async () => {
    const { bytes, record } = await exportOf(request('csv'));
    const [header, ...rows] = parse(bytes) as string[][];
    expect(header).toEqual(HEADERS);
    expect(record.rowCount).toBe(expected.length);
    expect(rows).toEqual(
      expected.map(row =>
        row.map((cell, i) =>
          cell === null
            ? ''
            : DATETIME_COLUMNS.includes(i)
            ? isoInZone(String(cell))
            : String(cell),
        ),
      ),
    );
  });

  it('writes JSON and NDJSON that JSON.parse reads back value for value', async () => {
    const objects = expected.map(row =>
      Object.fromEntries(
        row.map((cell, i) => [
          HEADERS[i],
          cell !== null && DATETIME_COLUMNS.includes(i)
            ? isoInZone(String(cell))
            : cell,
        ]),
      ),
    );
    const json = await exportOf(request('json'));
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual(objects);
    const ndjson = await exportOf(request('ndjson'));
    const lines = ndjson.bytes.toString('utf8').trim().split('\n');
    expect(lines.map(line => JSON.parse(line))).toEqual(objects);
  });

  it('writes Excel with numbers as numbers and dates as dates', async () => {
    const { bytes, record } = await exportOf(request('xlsx'));
    const [sheet] = await readXlsxFile(await saved(record, bytes), {
      trim: false,
    });
    const [header, ...rows] = sheet.data;
    expect(header).toEqual(HEADERS);
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, r) => {
      const want = expected[r];
      expect(row.slice(0, 6)).toEqual(want.slice(0, 6));
      expect(row.slice(9, 11)).toEqual(want.slice(9, 11));
      const day = row[6] as unknown as Date | null;
      expect(day && day.toISOString().slice(0, 10)).toEqual(want[6]);
      for (const i of DATETIME_COLUMNS) {
        const date = row[i] as unknown as Date | null;
        // The New York wall clock, as a date Excel shows without a zone.
        if (want[i] === null) {
          expect(date).toBeNull();
          continue;
        }
        const wall = `${wallClock(String(want[i])).replace(' ', 'T')}.000Z`;
        // Excel keeps days as fractions: within a millisecond or so.
        expect(Math.abs(date!.getTime() - Date.parse(wall))).toBeLessThan(2);
      }
    });
    const numbers = rows.filter(
      row => row[0] === 'success_rate_by_failure_type',
    );
    expect(numbers.length).toBeGreaterThan(0);
    numbers.forEach(row => {
      expect(typeof row[3]).toBe('number');
      expect(typeof row[4]).toBe('number');
      expect(typeof row[5]).toBe('number');
    });
  });

  it('filters on section and sorts the rows', async () => {
    const { bytes } = await exportOf(
      request('json', {
        columns: ['key', 'count', 'rate'],
        filters: {
          ...PERIOD,
          section: { in: ['success_rate_by_target', 'pattern'] },
          count: { gte: 1 },
        },
        sort: ['-count', 'key'],
      }),
    );
    const want = expected
      .filter(
        r =>
          ['success_rate_by_target', 'pattern'].includes(String(r[0])) &&
          Number(r[4]) >= 1,
      )
      .map(r => ({ Key: r[1], Count: r[4], Rate: r[5] }))
      .sort(
        (a, b) =>
          Number(b.Count) - Number(a.Count) ||
          String(a.Key).localeCompare(String(b.Key), 'en', {
            sensitivity: 'variant',
          }),
      );
    const got = JSON.parse(bytes.toString('utf8'));
    expect(got.map((r: { Count: number }) => r.Count)).toEqual(
      want.map(r => r.Count),
    );
    expect(new Set(got.map((r: { Key: string }) => r.Key))).toEqual(
      new Set(want.map(r => r.Key)),
    );
  });

  it('reads the period from whole local days', async () => {
    const { bytes } = await exportOf(
      request('csv', {
        columns: ['section', 'from', 'to'],
        filters: {
          section: 'summary',
          from: { gte: '2026-03-10' },
          to: { lte: '2026-03-12' },
        },
      }),
    );
    const rows = (parse(bytes) as string[][]).slice(1);
    expect(rows).toHaveLength(3);
    // Midnight in New York, both ends: the 12th is a whole day of the period.
    expect(rows[0]).toEqual([
      'summary',
      '2026-03-10T00:00:00.000-04:00',
      '2026-03-13T00:00:00.000-04:00',
    ]);
  });

  it('refuses a period the wrong way round or too long, naming it', async () => {
    await expect(
      service.create(request('csv', { filters: { from: { lt: FROM } } })),
    ).rejects.toMatchObject({
      code: 'invalid_filters',
      message: expect.stringContaining('filters.from.lt'),
    });
    await expect(
      service.create(
        request('csv', {
          filters: { from: { gte: '2024-01-01' }, to: { lt: '2026-01-01' } },
        }),
      ),
    ).rejects.toMatchObject({
      code: 'invalid_range',
      message: expect.stringContaining('366 days'),
    });
  });

  it('draws the analytics PDF: charts as vector graphics and its text', async () => {
    const { bytes, record } = await exportOf(request('pdf'));
    const file = await saved(record, bytes);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    for (const title of [
      'Recovery analytics',
      'Recovery success rate by failure type',
      'Recoveries and failures over time',
      'Top failure patterns',
      'Recommendations',
    ]) {
      expect(flat).toContain(title);
    }
    for (const rate of report.successRateByFailureType) {
      expect(flat).toContain(rate.key);
      expect(flat).toContain(
        `${(rate.rate! * 100).toFixed(1)}% (${rate.successes} of ${
          rate.attempts
        })`,
      );
    }
    for (const pattern of report.patterns.slice(0, 10)) {
      expect(flat).toContain(pattern.signature.replace(/\s+/g, ' '));
    }
    for (const recommendation of report.recommendations) {
      expect(flat).toContain(recommendation.title);
      expect(flat).toContain(recommendation.setting);
    }
    expect(flat).toContain('Evidence: failureType network_error');
    expect(flat).toContain(report.overTime[0].date);
    expect(flat).not.toContain('No data');

    const ops = drawingOperators(bytes);
    // A bar per failure type; grid, axes and a marker per day and series.
    expect(ops.re).toBeGreaterThanOrEqual(
      report.successRateByFailureType.filter(r => r.rate).length +
        3 * report.overTime.length,
    );
    expect(ops.l).toBeGreaterThanOrEqual(
      5 + 5 + 3 * (report.overTime.length - 1),
    );
    expect(ops.m).toBeGreaterThan(10);
    expect(ops.S).toBeGreaterThan(10);
    expect(ops.f).toBeGreaterThan(1);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Recovery analytics/);
  });

  it('says so in the PDF when the period holds nothing', async () => {
    const { bytes, record } = await exportOf(
      request('pdf', {
        filters: { from: { gte: '2025-06-01' }, to: { lt: '2025-06-08' } },
      }),
    );
    const text = execFileSync('pdftotext', [await saved(record, bytes), '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    expect(text).toContain('No data: the period holds no failures');
    expect(text).not.toContain('Recovery success rate by failure type');
    expect(drawingOperators(bytes).re).toBe(0);
  });

  it('falls back to the plain table when the report columns are left out', async () => {
    const { bytes, record } = await exportOf(
      request('pdf', { columns: ['section', 'key', 'value'] }),
    );
    const text = execFileSync(
      'pdftotext',
      ['-layout', await saved(record, bytes), '-'],
      { encoding: 'utf8' },
    );
    expect(text).toMatch(/Section\s+Key\s+Value/);
    expect(text).not.toContain('Top failure patterns');
  });

  it('records the duration of each export that ends, by outcome', async () => {
    const spy = jest.spyOn(reboundMetrics, 'exportFinished');
    try {
      await exportOf(request('csv'));
      expect(spy).toHaveBeenLastCalledWith(
        { dataset: 'analytics', format: 'csv', status: 'succeeded' },
        expect.any(Number),
      );
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-broken-'));
      await fs.writeFile(path.join(dir, 'exports'), 'not a folder');
      const broken = new ExportService({
        knex,
        storage: await LocalStorageService.create(dir),
        logger: silentLogger,
      });
      const failed = await broken.create(request('xlsx'));
      expect(failed.status).toBe('failed');
      expect(spy).toHaveBeenLastCalledWith(
        { dataset: 'analytics', format: 'xlsx', status: 'failed' },
        expect.any(Number),
      );
      expect(spy.mock.calls.every(([, seconds]) => seconds >= 0)).toBe(true);
      await fs.rm(dir, { recursive: true, force: true });
    } finally {
      spy.mockRestore();
    }
  });
});
