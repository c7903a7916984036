import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AnalyticsReport } from '../client/analytics';
import type {
  FailureType,
  Job,
  JobOptions,
  JobStatus,
  JobType,
  RecoveryTrigger,
} from '../client/types';
import { silentLogger } from '../logger';
import { RECOVERABILITY } from '../recovery/classifier';
import { DatabaseJobStore } from '../store/DatabaseJobStore';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';
import { AlertService } from './AlertService';
import { AnalyticsService } from './AnalyticsService';
import { sleep } from '../time';
import { reapExpiredLeases } from '../worker/reaper';
import { recordFailure } from './failureLog';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function csvOf(rows: number, invalid: Record<number, string> = {}): string {
  const lines = ['id,amount'];
  for (let i = 1; i <= rows; i++) {
    lines.push(`${i},${invalid[i] ?? i * 10}`);
  }
  return `${lines.join('\n')}\n`;
}

function sum<T>(rows: T[], value: (row: T) => number): number {
  return rows.reduce((n, row) => n + value(row), 0);
}

function hoursWith(counts: Record<number, number>) {
  return Array.from({ length: 24 }, (_, hour) => ({
    hour,
    failures: counts[hour] ?? 0,
  }));
}

describe.each(DATABASE_KINDS)('AnalyticsService on %s', kind => {
  describe('a period of jobs run and recovered by the engine', () => {
    let target: UploadTarget;
    let rebound: TestRebound;
    let report: AnalyticsReport;
    let range: { from: string; to: string };
    let manualJobs: Job[];
    let reportStart: number;
    let reportEnd: number;

    const API: JobOptions = {
      type: 'api_upload',
      target: 'api',
      batchSize: 100,
    };
    const LOCAL: JobOptions = {
      type: 'csv_import',
      target: 'local',
      schema: { columns: { amount: { type: 'integer' } } },
    };

    /** Runs one job to its end: recovered, or waiting for a person. */
    async function run(csv: string, options: JobOptions): Promise<Job> {
      const job = await rebound.submit(csv, options);
      return rebound.waitFor(job.id, [
        'succeeded',
        'manual_intervention_required',
      ]);
    }

    beforeAll(async () => {
      target = await startUploadTarget();
      rebound = await createTestRebound(kind, {
        targets: {
          api: { type: 'http', url: target.url, timeoutMs: 500 },
          crm: { type: 'http', url: target.url, timeoutMs: 500 },
          local: { type: 'table', table: 'imported_rows' },
        },
        jobDefaults: { maxInvalidRows: 2, maxInvalidShare: 0.2 },
        autoRecover: true,
      });
      const started = Date.now();

      // Two uploads too large for the target: each recovers with half the batch.
      target.configure({ maxRecordsPerRequest: 60 });
      await run(csvOf(100), API);
      await run(csvOf(100), API);
      target.configure({ maxRecordsPerRequest: null });

      // Three uploads refused once with a 503, one refused twice.
      for (let i = 0; i < 3; i++) {
        target.addFault({ mode: 'status', status: 503, retryAfter: 0 });
        await run(csvOf(10), API);
      }
      target.addFault({
        mode: 'status',
        status: 503,
        retryAfter: 0,
        count: 2,
      });
      await run(csvOf(10), API);

      // Two uploads whose credentials the target refuses: a person must act.
      manualJobs = [];
      for (let i = 0; i < 2; i++) {
        target.addFault({ mode: 'status', status: 401 });
        manualJobs.push(await run(csvOf(10), { ...API, target: 'crm' }));
      }

      // An import with too many invalid amounts, recovered by quarantining
      // them, and one within the limit.
      await run(
        csvOf(20, { 3: 'n/a', 7: 'n/a', 9: 'n/a', 12: 'n/a', 15: 'n/a' }),
        LOCAL,
      );
      await run(csvOf(10, { 2: 'none', 5: 'none' }), LOCAL);

      // Three uploads the target stores but does not answer in time.
      for (let i = 0; i < 3; i++) {
        target.addFault({
          mode: 'timeout',
          delayMs: 3000,
          processBeforeFailing: true,
        });
        await run(csvOf(10), API);
      }

      range = {
        from: new Date(started - MINUTE).toISOString(),
        to: new Date(Date.now() + MINUTE).toISOString(),
      };
      reportStart = Date.now();
      report = await new AnalyticsService(rebound.db.knex).report(range);
      reportEnd = Date.now();
    });

    afterAll(async () => {
      await rebound.close();
      await target.close();
    });

    it('ran the jobs as planned', async () => {
      expect(manualJobs.map(j => j.status)).toEqual([
        'manual_intervention_required',
        'manual_intervention_required',
      ]);
      expect(target.stats().duplicateRows).toBe(0);
    });

    it('sums up the attempts, all of failures that usually recover', () => {
      expect(report).toMatchObject({
        from: range.from,
        to: range.to,
        empty: false,
        alerts: [],
      });
      expect(report.summary).toEqual({
        failures: 13,
        attempts: 11,
        successes: 10,
        rate: 0.9091,
        recoverableAttempts: 11,
        recoverableSuccesses: 10,
        recoverableRate: 0.9091,
      });
    });

    it('rates recovery by failure type, job type and target', () => {
      expect(report.successRateByFailureType).toEqual([
        { key: 'temporary_resource', attempts: 5, successes: 4, rate: 0.8 },
        { key: 'timeout', attempts: 3, successes: 3, rate: 1 },
        { key: 'memory', attempts: 2, successes: 2, rate: 1 },
        { key: 'validation_error', attempts: 1, successes: 1, rate: 1 },
      ]);
      expect(report.successRateByJobType).toEqual([
        { key: 'api_upload', attempts: 10, successes: 9, rate: 0.9 },
        { key: 'csv_import', attempts: 1, successes: 1, rate: 1 },
      ]);
      // The refused credentials went to a person: no attempt on crm.
      expect(report.successRateByTarget).toEqual([
        { key: 'api', attempts: 10, successes: 9, rate: 0.9 },
        { key: 'local', attempts: 1, successes: 1, rate: 1 },
      ]);
    });

    it('measures the recovered episodes', () => {
      expect(report.attemptsPerRecoveredJob).toEqual({
        count: 10,
        mean: 1.1,
        median: 1,
        max: 2,
      });
      const { count, medianMs, p90Ms } = report.timeToRecover;
      expect(count).toBe(10);
      expect(medianMs).toBeGreaterThan(0);
      expect(p90Ms).toBeGreaterThanOrEqual(medianMs!);
      expect(p90Ms).toBeLessThan(Date.parse(range.to) - Date.parse(range.from));
    });

    it('counts the quarantined rows and the jobs waiting for a person', async () => {
      expect(report.quarantine).toEqual({
        rowsDone: 300,
        rowsQuarantined: 7,
        share: 0.0233,
      });

      // The period ends in a minute: waits count up to the time of the report.
      const [first, second] = await Promise.all(
        manualJobs.map(async job =>
          Date.parse((await rebound.store.getJob(job.id))!.updatedAt),
        ),
      );
      const { waiting, oldestWaitingMs, medianWaitingMs } =
        report.manualIntervention;
      expect(waiting).toBe(2);
      expect(oldestWaitingMs).toBeGreaterThanOrEqual(reportStart - first);
      expect(oldestWaitingMs).toBeLessThanOrEqual(reportEnd - first);
      expect(oldestWaitingMs! - medianWaitingMs!).toBe((second - first) / 2);
    });

    it('folds failures that differ only in rows and bodies into patterns', () => {
      expect(
        report.patterns.map(p => [
          p.signature,
          p.count,
          p.jobCount,
          p.trend,
          p.failureTypes,
          p.targets,
        ]),
      ).toEqual([
        [
          "Target '…' answered <n> Service Unavailable for rows <n>-<n>: {…}",
          5,
          4,
          'new',
          ['temporary_resource'],
          ['api'],
        ],
        [
          "Target '…' gave no answer within <n> ms for rows <n>-<n>.",
          3,
          3,
          'new',
          ['timeout'],
          ['api'],
        ],
        [
          "Target '…' answered <n> Payload Too Large for rows <n>-<n>: {…}",
          2,
          2,
          'new',
          ['memory'],
          ['api'],
        ],
        [
          "Target '…' answered <n> Unauthorized for rows <n>-<n>: {…}",
          2,
          2,
          'new',
          ['security'],
          ['crm'],
        ],
        [
          '<n> of <n> rows are invalid, more than the <n> allowed ' +
            '(maxInvalidShare <n>); stopped after row <n>. Invalid rows of ' +
            "the last batch read: <n> (Column '…' value '…' is not a whole " +
            'number.). See the row errors of the job.',
          1,
          1,
          'new',
          ['validation_error'],
          ['local'],
        ],
      ]);
      const unauthorized = report.patterns[3];
      expect(unauthorized.jobIds.sort()).toEqual(
        manualJobs.map(j => j.id).sort(),
      );
      expect(unauthorized.example).toMatch(
        /^Target 'crm' answered 401 Unauthorized for rows 1-10/,
      );
      expect(unauthorized.firstSeen <= unauthorized.lastSeen).toBe(true);
    });

    it('spreads the failures over hours, targets and days', () => {
      expect(report.failuresByHour).toHaveLength(24);
      expect(sum(report.failuresByHour, h => h.failures)).toBe(13);
      expect(report.failuresByTarget).toEqual([
        {
          target: 'api',
          failures: 10,
          types: { memory: 2, temporary_resource: 5, timeout: 3 },
        },
        { target: 'crm', failures: 2, types: { security: 2 } },
        { target: 'local', failures: 1, types: { validation_error: 1 } },
      ]);

      const days = [range.from.slice(0, 10), range.to.slice(0, 10)];
      expect(report.overTime.map(d => d.date)).toEqual([...new Set(days)]);
      expect(sum(report.overTime, d => d.failures)).toBe(13);
      expect(sum(report.overTime, d => d.recoveries)).toBe(11);
      expect(sum(report.overTime, d => d.successes)).toBe(10);
    });

    it('recommends what the data supports, with its evidence', () => {
      expect(report.recommendations).toEqual([
        expect.objectContaining({
          id: 'target_timeouts:api',
          setting: 'recovery.targets.api.batchSize',
          suggestedValue: 50,
          evidence: {
            timeouts: 3,
            recoveredAfterLongerTimeout: 3,
            recovered: 3,
            batchSize: 100,
          },
        }),
        expect.objectContaining({
          id: 'target_batch_too_large:api',
          setting: 'recovery.targets.api.batchSize',
          suggestedValue: 50,
          evidence: { tooLarge: 2, batchSizesThatWorked: ['50', '50'] },
        }),
        expect.objectContaining({
          id: 'recurring_invalid_column:amount:integer',
          setting: 'options.schema.columns.amount',
          evidence: { column: 'amount', code: 'integer', rows: 7, jobs: 2 },
        }),
      ]);
      expect(report.recommendations[2].message).toContain(
        `e.g. "Column 'amount' value 'n/a' is not a whole number."`,
      );
    });
  });

  describe('runs that stopped', () => {
    let target: UploadTarget;
    let rebound: TestRebound;

    beforeEach(async () => {
      target = await startUploadTarget();
      rebound = await createTestRebound(kind, {
        targets: { api: { type: 'http', url: target.url, timeoutMs: 5000 } },
      });
    });

    afterEach(async () => {
      await rebound.close();
      await target.close();
    });

    it('logs a run cut by a shutdown and a run whose lease expired as interrupted', async () => {
      const started = Date.now();
      target.addFault({ mode: 'slow', delayMs: 3000 });
      const cut = await rebound.submit(csvOf(10), {
        type: 'api_upload',
        target: 'api',
      });
      await rebound.waitFor(cut.id, ['running']);
      while (target.stats().requests === 0) {
        await sleep(10);
      }
      await rebound.worker.stop();

      // No worker runs now: the reaper finds the lease of a dead one.
      const orphan = await rebound.submit(csvOf(10), {
        type: 'api_upload',
        target: 'api',
      });
      await rebound.db
        .knex('jobs')
        .where({ id: orphan.id })
        .update({
          status: 'running',
          lease_owner: 'a-worker-that-died',
          lease_expires_at: new Date(Date.now() - MINUTE).toISOString(),
        });
      const reaped = await reapExpiredLeases(rebound.store, silentLogger);
      expect(reaped.map(j => j.id)).toEqual([orphan.id]);

      const report = await new AnalyticsService(rebound.db.knex).report({
        from: new Date(started - MINUTE).toISOString(),
        to: new Date(Date.now() + MINUTE).toISOString(),
      });

      expect(report.summary.failures).toBe(2);
      expect(report.failuresByTarget).toEqual([
        { target: 'api', failures: 2, types: { interrupted: 2 } },
      ]);
      expect(
        report.patterns.map(p => [p.signature, p.jobIds, p.failureTypes]),
      ).toEqual([
        ['The backend shut down during the run.', [cut.id], ['interrupted']],
        [
          'The worker running job <id> stopped renewing its lease at row <n>; ' +
            'the process likely died.',
          [orphan.id],
          ['interrupted'],
        ],
      ]);
    });
  });

  describe('a period of known failures and attempts', () => {
    const FROM = '2026-03-10T00:00:00.000Z';
    const TO = '2026-03-13T00:00:00.000Z';
    let db: TestDatabase;
    let knex: Knex;
    let analytics: AnalyticsService;
    let report: AnalyticsReport;
    const jobs: Record<string, Pick<Job, 'id' | 'type' | 'target'>> = {};

    /** 2026-03-DDTHH:MM in UTC. */
    const t = (dayAndTime: string) => `2026-03-${dayAndTime}:00.000Z`;

    async function insertJob(
      name: string,
      fields: {
        type?: JobType;
        target: string;
        status: JobStatus;
        updatedAt?: string;
        finishedAt: string | null;
        rowsDone?: number;
        rowsQuarantined?: number;
      },
    ) {
      const id = randomUUID();
      const fileId = randomUUID();
      await knex('source_files').insert({
        id: fileId,
        name: `${name}.csv`,
        size: 100,
        sha256: 'ab'.repeat(32),
        storage_key: `sources/${fileId}`,
        created_at: t('01T00:00'),
      });
      const type = fields.type ?? 'api_upload';
      await knex('jobs').insert({
        id,
        type,
        status: fields.status,
        target: fields.target,
        priority: 'normal',
        priority_rank: 2,
        file_id: fileId,
        options: JSON.stringify({ type, target: fields.target }),
        settings: JSON.stringify({ batchSize: 500, timeoutMs: 30_000 }),
        created_at: t('01T00:00'),
        updated_at: fields.updatedAt ?? fields.finishedAt ?? t('01T00:00'),
        finished_at: fields.finishedAt,
        rows_done: fields.rowsDone ?? 0,
        rows_quarantined: fields.rowsQuarantined ?? 0,
      });
      jobs[name] = { id, type, target: fields.target };
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
        confidence: 0.95,
        evidence: httpStatus ? { httpStatus } : {},
        at,
      });
    }

    async function attempt(
      name: string,
      fields: {
        failureType: FailureType;
        status: 'succeeded' | 'failed' | 'manual';
        trigger?: RecoveryTrigger;
        createdAt: string;
        finishedAt?: string;
      },
    ) {
      await knex('recovery_attempts').insert({
        id: randomUUID(),
        job_id: jobs[name].id,
        attempt: 1,
        trigger: fields.trigger ?? 'automatic',
        target: jobs[name].target,
        failure_type: fields.failureType,
        strategy:
          fields.status === 'manual'
            ? 'manual_intervention'
            : 'automatic_retry',
        plan: JSON.stringify({ adjustments: {} }),
        status: fields.status,
        created_at: fields.createdAt,
        finished_at: fields.finishedAt ?? null,
      });
    }

    const busy = (rows: string) =>
      `Target 'crm' answered 503 Service Unavailable for rows ${rows}: ` +
      `{"error":"upstream busy","requestId":"${randomUUID()}"}`;
    const slow = (target: string, ms: number, rows: string) =>
      `Target '${target}' gave no answer within ${ms} ms for rows ${rows}.`;
    const limited = (rows: string, seconds: number) =>
      `Target 'erp' answered 429 Too Many Requests for rows ${rows}: ` +
      `{"error":"slow down","retryAfter":${seconds}}`;
    const refused = (who: string) =>
      `Target 'crm' answered 401 Unauthorized for rows 1-500: ` +
      `{"error":"the token of ${who} expired"}`;
    const invalid = (count: number, sample: string) =>
      `${count} of 40 rows are invalid, more than the 2 allowed ` +
      `(maxInvalidShare 0.01); stopped after row 40. First invalid rows of ` +
      `the last batch: ${sample} (Column 'amount' value 'x1' is not a ` +
      'whole number.). See the row errors of the job.';

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      knex = (await DatabaseJobStore.create(db.knex)).knex;
      analytics = new AnalyticsService(
        knex,
        new AlertService(knex, [], silentLogger),
      );

      // Recovered in the period: 10, 30 (two attempts), 20 and 60 minutes.
      await insertJob('j1', {
        target: 'crm',
        status: 'succeeded',
        finishedAt: t('10T01:10'),
        rowsDone: 500,
      });
      await fail('j1', t('10T01:00'), 'temporary_resource', busy('1-500'), 503);
      await attempt('j1', {
        failureType: 'temporary_resource',
        status: 'succeeded',
        createdAt: t('10T01:01'),
        finishedAt: t('10T01:10'),
      });

      await insertJob('j2', {
        target: 'crm',
        status: 'succeeded',
        finishedAt: t('10T02:30'),
        rowsDone: 1000,
        rowsQuarantined: 10,
      });
      await fail(
        'j2',
        t('10T02:00'),
        'temporary_resource',
        busy('501-1000'),
        503,
      );
      await attempt('j2', {
        failureType: 'temporary_resource',
        status: 'failed',
        createdAt: t('10T02:01'),
        finishedAt: t('10T02:05'),
      });
      await fail(
        'j2',
        t('10T02:05'),
        'temporary_resource',
        busy('501-1000'),
        503,
      );
      await attempt('j2', {
        failureType: 'temporary_resource',
        status: 'succeeded',
        createdAt: t('10T02:06'),
        finishedAt: t('10T02:30'),
      });

      // Failed just before the period, recovered in it.
      await insertJob('j3', {
        target: 'crm',
        status: 'succeeded',
        finishedAt: t('10T00:10'),
        rowsDone: 200,
      });
      await fail('j3', t('09T23:50'), 'timeout', slow('crm', 30_000, '1-200'));
      await attempt('j3', {
        failureType: 'timeout',
        status: 'succeeded',
        createdAt: t('10T00:05'),
        finishedAt: t('10T00:10'),
      });

      await insertJob('j4', {
        target: 'crm',
        status: 'succeeded',
        finishedAt: t('12T11:00'),
        rowsDone: 300,
        rowsQuarantined: 30,
      });
      await fail('j4', t('12T10:00'), 'temporary_resource', busy('1-300'), 503);
      await attempt('j4', {
        failureType: 'temporary_resource',
        status: 'succeeded',
        createdAt: t('12T10:30'),
        finishedAt: t('12T11:00'),
      });

      // Waiting for a person since 20:00 and 22:00; one retried by hand.
      await insertJob('j5', {
        target: 'crm',
        status: 'manual_intervention_required',
        finishedAt: t('12T19:00'),
        updatedAt: t('12T20:00'),
      });
      await fail(
        'j5',
        t('12T19:00'),
        'security',
        refused('ana@example.com'),
        401,
      );
      await attempt('j5', {
        failureType: 'security',
        status: 'manual',
        createdAt: t('12T19:01'),
      });
      await insertJob('j6', {
        target: 'crm',
        status: 'manual_intervention_required',
        finishedAt: t('12T21:35'),
        updatedAt: t('12T22:00'),
      });
      await fail(
        'j6',
        t('12T21:00'),
        'security',
        refused('bo@example.org'),
        401,
      );
      await attempt('j6', {
        failureType: 'security',
        status: 'manual',
        createdAt: t('12T21:01'),
      });
      await attempt('j6', {
        failureType: 'security',
        status: 'failed',
        trigger: 'manual',
        createdAt: t('12T21:30'),
        finishedAt: t('12T21:35'),
      });
      await fail(
        'j6',
        t('12T21:35'),
        'security',
        refused('bo@example.org'),
        401,
      );
      await attempt('j6', {
        failureType: 'security',
        status: 'manual',
        createdAt: t('12T21:36'),
      });

      // Rate-limited three times, retried twice in vain.
      await insertJob('j7', {
        target: 'erp',
        status: 'failed',
        finishedAt: t('11T08:20'),
      });
      await fail(
        'j7',
        t('11T08:00'),
        'temporary_resource',
        limited('1-500', 5),
        429,
      );
      await attempt('j7', {
        failureType: 'temporary_resource',
        status: 'failed',
        createdAt: t('11T08:05'),
        finishedAt: t('11T08:10'),
      });
      await fail(
        'j7',
        t('11T08:10'),
        'temporary_resource',
        limited('1-500', 30),
        429,
      );
      await attempt('j7', {
        failureType: 'temporary_resource',
        status: 'failed',
        createdAt: t('11T08:15'),
        finishedAt: t('11T08:20'),
      });
      await fail(
        'j7',
        t('11T08:20'),
        'temporary_resource',
        limited('1-500', 60),
        429,
      );

      // An import with too many invalid rows, retried by hand in vain.
      await insertJob('j8', {
        type: 'csv_import',
        target: 'warehouse',
        status: 'failed',
        finishedAt: t('11T12:03'),
        rowsDone: 40,
        rowsQuarantined: 12,
      });
      await fail(
        'j8',
        t('11T12:00'),
        'validation_error',
        invalid(12, '3, 7, 9'),
      );
      await attempt('j8', {
        failureType: 'validation_error',
        status: 'failed',
        trigger: 'manual',
        createdAt: t('11T12:01'),
        finishedAt: t('11T12:03'),
      });
      await fail('j8', t('11T12:03'), 'validation_error', invalid(14, '4, 8'));
      await knex('row_errors').insert(
        Array.from({ length: 12 }, (_, i) => ({
          job_id: jobs.j8.id,
          row: i + 1,
          column: 'amount',
          code: 'integer',
          message: "Column 'amount' value 'x1' is not a whole number.",
          kind: 'quarantined',
          created_at: t('11T12:00'),
        })),
      );

      // Failures of other jobs, in the period and before it.
      await insertJob('p1', {
        target: 'crm',
        status: 'failed',
        finishedAt: t('11T03:00'),
      });
      await fail('p1', t('01T00:00'), 'temporary_resource', busy('1-2'), 503);
      await fail('p1', t('08T06:00'), 'temporary_resource', busy('1-500'), 503);
      await fail('p1', t('08T07:00'), 'timeout', slow('crm', 30_000, '1-500'));
      await fail('p1', t('11T03:00'), 'timeout', slow('crm', 60_000, '1-500'));
      await insertJob('p2', {
        target: 'erp',
        status: 'failed',
        finishedAt: t('09T10:10'),
      });
      await fail('p2', t('08T09:00'), 'timeout', slow('erp', 30_000, '1-500'));
      await fail(
        'p2',
        t('09T09:00'),
        'timeout',
        slow('erp', 30_000, '501-1000'),
      );
      await fail(
        'p2',
        t('09T10:00'),
        'temporary_resource',
        limited('1-500', 1),
        429,
      );
      await attempt('p2', {
        failureType: 'temporary_resource',
        status: 'failed',
        createdAt: t('09T10:01'),
        finishedAt: t('09T10:05'),
      });
      await fail(
        'p2',
        t('09T10:05'),
        'temporary_resource',
        limited('1-500', 2),
        429,
      );
      await fail(
        'p2',
        t('09T10:10'),
        'temporary_resource',
        limited('1-500', 3),
        429,
      );

      // Done long before; its row errors would make a pattern with j8's.
      await insertJob('p0', {
        type: 'csv_import',
        target: 'warehouse',
        status: 'succeeded',
        finishedAt: t('05T00:00'),
        rowsDone: 999,
        rowsQuarantined: 999,
      });
      await knex('row_errors').insert(
        Array.from({ length: 3 }, (_, i) => ({
          job_id: jobs.p0.id,
          row: i + 1,
          column: 'amount',
          code: 'integer',
          message: "Column 'amount' value 'y' is not a whole number.",
          kind: 'quarantined',
          created_at: t('05T00:00'),
        })),
      );

      const alert = (
        kind: string,
        openedAt: string,
        resolvedAt: string | null,
      ) => ({
        id: randomUUID(),
        kind,
        scope: '',
        status: resolvedAt ? 'resolved' : 'open',
        message: `${kind} at ${openedAt}`,
        value: 1,
        threshold: 0,
        opened_at: openedAt,
        updated_at: resolvedAt ?? openedAt,
        resolved_at: resolvedAt,
      });
      await knex('alerts').insert([
        alert('storage_low', t('12T09:00'), null),
        alert('recovery_failure_rate', t('10T20:00'), t('11T00:00')),
        alert('export_failures', t('09T08:00'), t('09T12:00')),
        // Resolved after the period ended: not "resolved in the period".
        alert('export_failures', t('12T22:00'), t('14T01:00')),
      ]);

      report = await analytics.report({ from: FROM, to: TO });
    });

    afterAll(async () => {
      await db.close();
    });

    it('sums up the attempts that finished, and those of recoverable failures', () => {
      expect(report.empty).toBe(false);
      expect(report.summary).toEqual({
        failures: 13,
        attempts: 9,
        successes: 4,
        rate: 0.4444,
        recoverableAttempts: 8,
        recoverableSuccesses: 4,
        recoverableRate: 0.5,
      });
    });

    it('rates recovery by failure type, job type and target', () => {
      expect(report.successRateByFailureType).toEqual([
        { key: 'temporary_resource', attempts: 6, successes: 3, rate: 0.5 },
        { key: 'security', attempts: 1, successes: 0, rate: 0 },
        { key: 'timeout', attempts: 1, successes: 1, rate: 1 },
        { key: 'validation_error', attempts: 1, successes: 0, rate: 0 },
      ]);
      expect(report.successRateByJobType).toEqual([
        { key: 'api_upload', attempts: 8, successes: 4, rate: 0.5 },
        { key: 'csv_import', attempts: 1, successes: 0, rate: 0 },
      ]);
      expect(report.successRateByTarget).toEqual([
        { key: 'crm', attempts: 6, successes: 4, rate: 0.6667 },
        { key: 'erp', attempts: 2, successes: 0, rate: 0 },
        { key: 'warehouse', attempts: 1, successes: 0, rate: 0 },
      ]);
    });

    it('measures time to recover from the first failure of each episode', () => {
      expect(report.timeToRecover).toEqual({
        count: 4,
        medianMs: 25 * MINUTE,
        p90Ms: 60 * MINUTE,
      });
      expect(report.attemptsPerRecoveredJob).toEqual({
        count: 4,
        mean: 1.25,
        median: 1,
        max: 2,
      });
    });

    it('counts quarantine over the jobs that finished in the period', () => {
      expect(report.quarantine).toEqual({
        rowsDone: 2040,
        rowsQuarantined: 52,
        share: 0.0255,
      });
    });

    it('measures the queue waiting for a person at the end of the period', () => {
      expect(report.manualIntervention).toEqual({
        waiting: 2,
        oldestWaitingMs: 4 * HOUR,
        medianWaitingMs: 3 * HOUR,
      });
    });

    it('finds patterns and their trend against the period before', () => {
      expect(
        report.patterns.map(p => ({
          signature: p.signature,
          count: p.count,
          previousCount: p.previousCount,
          trend: p.trend,
          firstSeen: p.firstSeen,
          lastSeen: p.lastSeen,
          failureTypes: p.failureTypes,
          targets: p.targets,
          jobCount: p.jobCount,
        })),
      ).toEqual([
        {
          signature:
            "Target '…' answered <n> Service Unavailable for rows <n>-<n>: {…}",
          count: 4,
          previousCount: 1,
          trend: 'rising',
          firstSeen: t('10T01:00'),
          lastSeen: t('12T10:00'),
          failureTypes: ['temporary_resource'],
          targets: ['crm'],
          jobCount: 3,
        },
        {
          signature:
            "Target '…' answered <n> Too Many Requests for rows <n>-<n>: {…}",
          count: 3,
          previousCount: 3,
          trend: 'steady',
          firstSeen: t('11T08:00'),
          lastSeen: t('11T08:20'),
          failureTypes: ['temporary_resource'],
          targets: ['erp'],
          jobCount: 1,
        },
        {
          signature:
            "Target '…' answered <n> Unauthorized for rows <n>-<n>: {…}",
          count: 3,
          previousCount: 0,
          trend: 'new',
          firstSeen: t('12T19:00'),
          lastSeen: t('12T21:35'),
          failureTypes: ['security'],
          targets: ['crm'],
          jobCount: 2,
        },
        {
          signature: expect.stringMatching(/^<n> of <n> rows are invalid/),
          count: 2,
          previousCount: 0,
          trend: 'new',
          firstSeen: t('11T12:00'),
          lastSeen: t('11T12:03'),
          failureTypes: ['validation_error'],
          targets: ['warehouse'],
          jobCount: 1,
        },
        {
          signature:
            "Target '…' gave no answer within <n> ms for rows <n>-<n>.",
          count: 1,
          previousCount: 4,
          trend: 'falling',
          firstSeen: t('11T03:00'),
          lastSeen: t('11T03:00'),
          failureTypes: ['timeout'],
          targets: ['crm'],
          jobCount: 1,
        },
      ]);
      const [busyPattern] = report.patterns;
      expect(busyPattern.jobIds).toEqual([jobs.j1.id, jobs.j2.id, jobs.j4.id]);
      expect(busyPattern.example).toMatch(
        /^Target 'crm' answered 503 Service Unavailable for rows 1-300: /,
      );
    });

    it('spreads the failures over UTC hours, targets and days', () => {
      expect(report.failuresByHour).toEqual(
        hoursWith({ 1: 1, 2: 2, 3: 1, 8: 3, 10: 1, 12: 2, 19: 1, 21: 2 }),
      );
      expect(report.failuresByTarget).toEqual([
        {
          target: 'crm',
          failures: 8,
          types: { temporary_resource: 4, timeout: 1, security: 3 },
        },
        { target: 'erp', failures: 3, types: { temporary_resource: 3 } },
        { target: 'warehouse', failures: 2, types: { validation_error: 2 } },
      ]);
      expect(report.overTime).toEqual([
        { date: '2026-03-10', failures: 3, recoveries: 4, successes: 3 },
        { date: '2026-03-11', failures: 6, recoveries: 3, successes: 0 },
        { date: '2026-03-12', failures: 4, recoveries: 2, successes: 1 },
      ]);
    });

    it('recommends only what the period supports', () => {
      // Half of the automatic temporary_resource retries worked, twelve
      // invalid amounts are in one job: neither rule speaks.
      expect(report.recommendations).toEqual([
        expect.objectContaining({
          id: 'target_rate_limited:erp',
          rule: 'target_rate_limited',
          evidence: { rateLimited: 3 },
        }),
      ]);
    });

    it('lists the alerts open now and those resolved in the period, not after it', () => {
      expect(report.alerts.map(a => [a.kind, a.status])).toEqual([
        ['storage_low', 'open'],
        ['recovery_failure_rate', 'resolved'],
      ]);
    });

    it('reports an empty period as empty, recommending nothing', async () => {
      const empty = await analytics.report({
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-02T00:00:00.000Z',
      });

      expect(empty).toMatchObject({
        empty: true,
        summary: {
          failures: 0,
          attempts: 0,
          successes: 0,
          rate: null,
          recoverableAttempts: 0,
          recoverableSuccesses: 0,
          recoverableRate: null,
        },
        successRateByFailureType: [],
        successRateByJobType: [],
        successRateByTarget: [],
        timeToRecover: { count: 0, medianMs: null, p90Ms: null },
        attemptsPerRecoveredJob: {
          count: 0,
          mean: null,
          median: null,
          max: null,
        },
        quarantine: { rowsDone: 0, rowsQuarantined: 0, share: null },
        manualIntervention: {
          waiting: 0,
          oldestWaitingMs: null,
          medianWaitingMs: null,
        },
        patterns: [],
        failuresByHour: hoursWith({}),
        failuresByTarget: [],
        overTime: [
          { date: '2026-01-01', failures: 0, recoveries: 0, successes: 0 },
        ],
        recommendations: [],
      });
    });
  });
});

describe('AnalyticsService.parseRange', () => {
  const NOW = Date.parse('2026-12-04T15:00:00.000Z');

  function rangeError(from?: string, to?: string) {
    try {
      AnalyticsService.parseRange(from, to, NOW);
    } catch (error) {
      return error as { kind: string; code: string; message: string };
    }
    throw new Error(`from=${from} to=${to} was accepted`);
  }

  it('defaults to the last seven days', () => {
    expect(AnalyticsService.parseRange(undefined, undefined, NOW)).toEqual({
      from: '2026-11-27T15:00:00.000Z',
      to: '2026-12-04T15:00:00.000Z',
    });
    expect(AnalyticsService.parseRange('2026-12-01', undefined, NOW)).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-04T15:00:00.000Z',
    });
    expect(
      AnalyticsService.parseRange(undefined, '2026-12-01T08:00:00Z', NOW),
    ).toEqual({
      from: '2026-11-24T08:00:00.000Z',
      to: '2026-12-01T08:00:00.000Z',
    });
  });

  it('reads ISO 8601 dates and instants with an offset', () => {
    expect(
      AnalyticsService.parseRange(
        '2026-12-01T08:00:00+01:00',
        '2026-12-02T00:00:00.000Z',
        NOW,
      ),
    ).toEqual({
      from: '2026-12-01T07:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
    });
  });

  it('allows 366 days', () => {
    expect(
      AnalyticsService.parseRange('2024-01-01', '2025-01-01', NOW),
    ).toEqual({
      from: '2024-01-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
    });
  });

  it.each([
    ['from', 'yesterday', undefined],
    ['from', 'foo 2020', undefined],
    ['from', '2026-02-30', undefined],
    ['to', '2026-13-01', '2026-13-01'],
    ['to', '12/01/2026', '12/01/2026'],
  ])('refuses %s=%s, naming it', (name, value, to) => {
    const error = rangeError(name === 'from' ? value : undefined, to);

    expect(error).toMatchObject({ kind: 'input', code: 'invalid_range' });
    expect(error.message).toBe(
      `${name} is '${value}', not a date; use ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z.`,
    );
  });

  it('refuses a from that is not before to', () => {
    const error = rangeError('2026-12-02', '2026-12-01');
    expect(error).toMatchObject({ kind: 'input', code: 'invalid_range' });
    expect(error.message).toBe(
      'from (2026-12-02) must be before to (2026-12-01).',
    );
    // One day asked as from=to: the message says how to ask for it.
    expect(rangeError('2026-12-01', '2026-12-01').message).toBe(
      'from (2026-12-01) must be before to (2026-12-01). A date alone is ' +
        'its start (00:00 UTC), so to=2026-12-01 ends the period as that ' +
        'day begins; for the whole day ask for to=2026-12-02.',
    );
    expect(rangeError('2026-12-05').message).toBe(
      'from (2026-12-05) must be before to (now).',
    );
  });

  it('refuses a period longer than 366 days, naming from and to', () => {
    const error = rangeError('2025-01-01', '2026-03-01');

    expect(error).toMatchObject({ kind: 'input', code: 'invalid_range' });
    expect(error.message).toBe(
      'from (2025-01-01T00:00:00.000Z) and to (2026-03-01T00:00:00.000Z) are ' +
        '424 days apart; the period may be at most 366 days, ask for a shorter one.',
    );
  });
});
