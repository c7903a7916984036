import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Alert } from '../client/analytics';
import type { Logger } from '../logger';
import type { StorageService } from '../storage/StorageService';
import { DatabaseJobStore } from '../store/DatabaseJobStore';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../testing/databases';
import {
  AlertService,
  exportFailuresRule,
  recoveryFailureRateRule,
  storageLowRule,
  type AlertNotifier,
} from './AlertService';

const HOUR = 3_600_000;
const MIB = 1024 * 1024;
const NOON = Date.parse('2025-05-01T12:00:00.000Z');

function at(ms: number): string {
  return new Date(ms).toISOString();
}

/** A notifier that remembers what it was told. */
function recordingNotifier() {
  const calls: { alert: Alert; change: 'opened' | 'resolved' }[] = [];
  const notify: AlertNotifier = async (alert, change) => {
    calls.push({ alert, change });
  };
  return { calls, notify };
}

/** A logger that remembers its warnings and errors. */
function recordingLogger() {
  const lines: { level: string; message: string; meta?: unknown }[] = [];
  const logger: Logger = {
    error: (message, meta) => lines.push({ level: 'error', message, meta }),
    warn: (message, meta) => lines.push({ level: 'warn', message, meta }),
    info() {},
    debug() {},
    child: () => logger,
  };
  return { lines, logger };
}

/** Storage whose free space the test sets; it stores nothing. */
function storageWithFree(free: { bytes: number | undefined }): StorageService {
  const unused = async (): Promise<never> => {
    throw new Error('this storage stores nothing');
  };
  return {
    put: unused,
    read: unused,
    size: unused,
    sha256: unused,
    delete: unused,
    freeBytes: async () => free.bytes,
  };
}

async function insertJob(knex: Knex): Promise<string> {
  const fileId = randomUUID();
  const jobId = randomUUID();
  const created = at(NOON - 24 * HOUR);
  await knex('source_files').insert({
    id: fileId,
    name: 'data.csv',
    size: 10,
    sha256: 'ab'.repeat(32),
    storage_key: `sources/${fileId}`,
    created_at: created,
  });
  await knex('jobs').insert({
    id: jobId,
    type: 'api_upload',
    status: 'failed',
    target: 'crm',
    priority: 'normal',
    priority_rank: 2,
    file_id: fileId,
    options: JSON.stringify({ type: 'api_upload', target: 'crm' }),
    settings: JSON.stringify({ batchSize: 100, timeoutMs: 1000 }),
    created_at: created,
    updated_at: created,
  });
  return jobId;
}

/** Finished recovery attempts of one job, all at one instant. */
async function insertAttempts(
  knex: Knex,
  jobId: string,
  finishedAt: number,
  counts: { succeeded?: number; failed?: number },
) {
  const rows = [
    ...Array<string>(counts.succeeded ?? 0).fill('succeeded'),
    ...Array<string>(counts.failed ?? 0).fill('failed'),
  ].map((status, i) => ({
    id: randomUUID(),
    job_id: jobId,
    attempt: i + 1,
    trigger: 'automatic',
    target: 'crm',
    failure_type: 'network_error',
    strategy: 'automatic_retry',
    plan: '{}',
    status,
    created_at: at(finishedAt - 60_000),
    finished_at: at(finishedAt),
  }));
  if (rows.length > 0) {
    await knex('recovery_attempts').insert(rows);
  }
}

async function insertExport(knex: Knex, status: string, updatedAt: number) {
  await knex('exports').insert({
    id: randomUUID(),
    dataset: 'jobs',
    format: 'csv',
    status,
    request: JSON.stringify({ dataset: 'jobs', format: 'csv' }),
    file_name: 'jobs.csv',
    error: status === 'failed' ? 'The disk is full.' : null,
    created_at: at(updatedAt - 60_000),
    updated_at: at(updatedAt),
    expires_at: at(updatedAt + 24 * HOUR),
  });
}

async function alertRows(knex: Knex) {
  return knex('alerts').orderBy('opened_at');
}

describe.each(DATABASE_KINDS)('AlertService on %s', kind => {
  let db: TestDatabase;
  let knex: Knex;
  let jobId: string;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    knex = (await DatabaseJobStore.create(db.knex)).knex;
    jobId = await insertJob(knex);
  });

  afterEach(async () => {
    await db.close();
  });

  describe('recovery_failure_rate', () => {
    function serviceWith(
      notify: AlertNotifier,
      logger = recordingLogger().logger,
    ) {
      return new AlertService(
        knex,
        [
          recoveryFailureRateRule(knex, {
            windowMs: HOUR,
            threshold: 0.15,
            minAttempts: 5,
          }),
        ],
        logger,
        notify,
      );
    }

    it('opens one alert per episode, tells once when it opens and once when it clears', async () => {
      const { calls, notify } = recordingNotifier();
      const { lines, logger } = recordingLogger();
      const alerts = serviceWith(notify, logger);
      await insertAttempts(knex, jobId, NOON - 30 * 60_000, {
        succeeded: 4,
        failed: 2,
      });

      const first = await alerts.evaluate(NOON);

      expect(first.resolved).toEqual([]);
      expect(first.opened).toEqual([
        {
          id: expect.any(String),
          kind: 'recovery_failure_rate',
          scope: '',
          status: 'open',
          message:
            '2 of 6 recoveries failed in the last 60 minutes (33.3%; the alert is above 15%).',
          value: 0.3333,
          threshold: 0.15,
          openedAt: at(NOON),
          updatedAt: at(NOON),
          resolvedAt: null,
        },
      ]);
      expect(calls).toEqual([{ alert: first.opened[0], change: 'opened' }]);
      expect(lines).toEqual([
        {
          level: 'warn',
          message: `Alert opened: ${first.opened[0].message}`,
          meta: { kind: 'recovery_failure_rate', scope: '' },
        },
      ]);

      // Still firing, a little worse: the open alert is updated, no one is told.
      await insertAttempts(knex, jobId, NOON + 60_000, { failed: 1 });
      const second = await alerts.evaluate(NOON + 2 * 60_000);

      expect(second).toEqual({ opened: [], resolved: [] });
      expect(calls).toHaveLength(1);
      const whileFiring = await alertRows(knex);
      expect(whileFiring).toHaveLength(1);
      expect(whileFiring[0]).toMatchObject({
        id: first.opened[0].id,
        status: 'open',
        opened_at: at(NOON),
        updated_at: at(NOON + 2 * 60_000),
        resolved_at: null,
      });
      expect(Number(whileFiring[0].value)).toBe(0.4286);
      expect(whileFiring[0].message).toMatch(/^3 of 7 recoveries failed/);

      // The window has moved past the failures: the alert clears.
      const cleared = await alerts.evaluate(NOON + 2 * HOUR);

      expect(cleared.opened).toEqual([]);
      expect(cleared.resolved).toEqual([
        expect.objectContaining({
          id: first.opened[0].id,
          status: 'resolved',
          openedAt: at(NOON),
          resolvedAt: at(NOON + 2 * HOUR),
          value: 0,
        }),
      ]);
      expect(calls.map(c => c.change)).toEqual(['opened', 'resolved']);
      expect(calls[1].alert).toEqual(cleared.resolved[0]);
      expect(await alertRows(knex)).toEqual([
        expect.objectContaining({
          id: first.opened[0].id,
          status: 'resolved',
          resolved_at: at(NOON + 2 * HOUR),
        }),
      ]);
      expect(lines.map(l => l.message)).toEqual([
        expect.stringMatching(/^Alert opened: /),
        expect.stringMatching(/^Alert resolved: /),
      ]);

      // Quiet: nothing to open or resolve.
      expect(await alerts.evaluate(NOON + 3 * HOUR)).toEqual({
        opened: [],
        resolved: [],
      });

      // A new episode is a new alert.
      await insertAttempts(knex, jobId, NOON + 4 * HOUR - 60_000, {
        failed: 5,
      });
      const again = await alerts.evaluate(NOON + 4 * HOUR);

      expect(again.opened).toHaveLength(1);
      expect(again.opened[0].id).not.toBe(first.opened[0].id);
      expect(again.opened[0]).toMatchObject({
        value: 1,
        openedAt: at(NOON + 4 * HOUR),
      });
      expect(calls.map(c => c.change)).toEqual([
        'opened',
        'resolved',
        'opened',
      ]);
      expect((await alertRows(knex)).map(r => r.status)).toEqual([
        'resolved',
        'open',
      ]);
    });

    it('needs the minimum of attempts in the window', async () => {
      const { calls, notify } = recordingNotifier();
      const alerts = serviceWith(notify);
      await insertAttempts(knex, jobId, NOON - 60_000, { failed: 4 });
      await insertAttempts(knex, jobId, NOON - 2 * HOUR, { failed: 10 });

      expect(await alerts.evaluate(NOON)).toEqual({ opened: [], resolved: [] });
      expect(calls).toEqual([]);
      expect(await alertRows(knex)).toEqual([]);
    });

    it('needs a rate above the threshold, not at it', async () => {
      const { calls, notify } = recordingNotifier();
      const alerts = serviceWith(notify);
      await insertAttempts(knex, jobId, NOON - 60_000, {
        succeeded: 17,
        failed: 3,
      });

      expect(await alerts.evaluate(NOON)).toEqual({ opened: [], resolved: [] });
      expect(calls).toEqual([]);

      await insertAttempts(knex, jobId, NOON - 60_000, { failed: 1 });

      expect((await alerts.evaluate(NOON)).opened).toEqual([
        expect.objectContaining({ value: 0.1905 }),
      ]);
    });

    it('keeps going when the notifier fails, and logs why', async () => {
      const { lines, logger } = recordingLogger();
      const broken = new Error('Slack is down');
      const alerts = serviceWith(async () => {
        throw broken;
      }, logger);
      await insertAttempts(knex, jobId, NOON - 60_000, { failed: 5 });

      const { opened } = await alerts.evaluate(NOON);

      expect(opened).toHaveLength(1);
      expect(lines).toContainEqual({
        level: 'error',
        message: 'Could not send the recovery_failure_rate alert',
        meta: broken,
      });
    });

    it('states a threshold as a plain percentage', async () => {
      const rule = recoveryFailureRateRule(knex, {
        windowMs: HOUR,
        threshold: 0.07,
        minAttempts: 1,
      });
      await insertAttempts(knex, jobId, NOON - 60_000, {
        succeeded: 9,
        failed: 1,
      });

      const [reading] = await rule.read(NOON);

      expect(reading).toEqual({
        scope: '',
        firing: true,
        value: 0.1,
        threshold: 0.07,
        message:
          '1 of 10 recoveries failed in the last 60 minutes (10.0%; the alert is above 7%).',
      });
    });
  });

  describe('storage_low', () => {
    it('opens when free space drops below the floor and resolves when it is back', async () => {
      const free = { bytes: (512 * MIB) as number | undefined };
      const { calls, notify } = recordingNotifier();
      const alerts = new AlertService(
        knex,
        [storageLowRule(storageWithFree(free), { minFreeBytes: 1024 * MIB })],
        recordingLogger().logger,
        notify,
      );

      const low = await alerts.evaluate(NOON);

      expect(low.opened).toEqual([
        expect.objectContaining({
          kind: 'storage_low',
          status: 'open',
          value: 512 * MIB,
          threshold: 1024 * MIB,
          message:
            'Storage has 512 MiB free; the alert is below 1024 MiB (recovery.alerts.storageMinFreeBytes).',
        }),
      ]);
      expect(
        (await alerts.evaluate(NOON + 60_000)).opened.concat(
          (await alerts.evaluate(NOON + 120_000)).opened,
        ),
      ).toEqual([]);

      free.bytes = 2048 * MIB;
      const back = await alerts.evaluate(NOON + HOUR);

      expect(back.resolved).toEqual([
        expect.objectContaining({
          id: low.opened[0].id,
          status: 'resolved',
          value: 2048 * MIB,
          resolvedAt: at(NOON + HOUR),
        }),
      ]);
      expect(calls.map(c => [c.alert.kind, c.change])).toEqual([
        ['storage_low', 'opened'],
        ['storage_low', 'resolved'],
      ]);
    });

    it('says nothing when the storage cannot tell its free space', async () => {
      const rule = storageLowRule(storageWithFree({ bytes: undefined }), {
        minFreeBytes: 1024 * MIB,
      });

      expect(await rule.read(NOON)).toEqual([]);
    });
  });

  describe('export_failures', () => {
    function serviceWith(notify: AlertNotifier) {
      return new AlertService(
        knex,
        [exportFailuresRule(knex, { windowMs: HOUR })],
        recordingLogger().logger,
        notify,
      );
    }

    it('opens while an export failed within the window', async () => {
      const { calls, notify } = recordingNotifier();
      const alerts = serviceWith(notify);
      await insertExport(knex, 'succeeded', NOON - 60_000);
      await insertExport(knex, 'failed', NOON - 2 * HOUR);

      expect(await alerts.evaluate(NOON)).toEqual({ opened: [], resolved: [] });

      await insertExport(knex, 'failed', NOON + 60_000);
      const failed = await alerts.evaluate(NOON + 2 * 60_000);

      expect(failed.opened).toEqual([
        expect.objectContaining({
          kind: 'export_failures',
          value: 1,
          threshold: 0,
          message:
            '1 export failed in the last 60 minutes; the list of exports shows why each failed, and retries it.',
        }),
      ]);

      const later = await alerts.evaluate(NOON + 2 * HOUR);

      expect(later.resolved).toEqual([
        expect.objectContaining({ id: failed.opened[0].id, value: 0 }),
      ]);
      expect(calls.map(c => c.change)).toEqual(['opened', 'resolved']);
    });

    it('says one minute in the singular', async () => {
      const alerts = new AlertService(
        knex,
        [exportFailuresRule(knex, { windowMs: 60_000 })],
        recordingLogger().logger,
      );
      await insertExport(knex, 'failed', NOON - 30_000);

      const { opened } = await alerts.evaluate(NOON);

      expect(opened[0].message).toMatch(
        /^1 export failed in the last 1 minute;/,
      );
    });
  });

  describe('list', () => {
    it('names the scope of an alert when its rule can', async () => {
      const rule = {
        kind: 'missed_runs' as const,
        read: async () => [
          {
            scope: 'sch-1',
            firing: true,
            value: 2,
            threshold: 0,
            message: 'Schedule "Nightly" has 2 missed or failed runs.',
          },
          {
            scope: 'sch-gone',
            firing: true,
            value: 1,
            threshold: 0,
            message: 'Schedule "sch-gone" has 1 missed or failed run.',
          },
        ],
        scopeNames: async (scopes: string[]) =>
          new Map(
            scopes.filter(s => s === 'sch-1').map(s => [s, 'Nightly'] as const),
          ),
      };
      const alerts = new AlertService(knex, [rule], recordingLogger().logger);
      await alerts.evaluate(NOON);

      const listed = await alerts.list();

      expect(
        listed
          .map(a => [a.scope, a.scopeName])
          .sort(([a], [b]) => (a! < b! ? -1 : 1)),
      ).toEqual([
        ['sch-1', 'Nightly'],
        ['sch-gone', undefined],
      ]);
    });

    it('returns the open alerts and those resolved since the given time', async () => {
      const free = { bytes: 1 as number | undefined };
      const alerts = new AlertService(
        knex,
        [
          storageLowRule(storageWithFree(free), { minFreeBytes: 10 }),
          exportFailuresRule(knex, { windowMs: HOUR }),
        ],
        recordingLogger().logger,
      );
      // storage_low: open at 09:00, resolved at 10:00, open again at 11:00.
      await alerts.evaluate(NOON - 3 * HOUR);
      free.bytes = 100;
      await alerts.evaluate(NOON - 2 * HOUR);
      free.bytes = 1;
      await alerts.evaluate(NOON - HOUR);
      // export_failures: open at 11:30, resolved at 13:00.
      await insertExport(knex, 'failed', NOON - 40 * 60_000);
      await alerts.evaluate(NOON - 30 * 60_000);
      await alerts.evaluate(NOON + HOUR);

      const sinceEleven = await alerts.list({ since: at(NOON - HOUR) });

      expect(sinceEleven.map(a => [a.kind, a.status, a.openedAt])).toEqual([
        ['export_failures', 'resolved', at(NOON - 30 * 60_000)],
        ['storage_low', 'open', at(NOON - HOUR)],
      ]);

      const sinceNine = await alerts.list({ since: at(NOON - 3 * HOUR) });

      expect(sinceNine.map(a => [a.kind, a.status, a.resolvedAt])).toEqual([
        ['export_failures', 'resolved', at(NOON + HOUR)],
        ['storage_low', 'open', null],
        ['storage_low', 'resolved', at(NOON - 2 * HOUR)],
      ]);

      // Up to a time: what was resolved later is left out, the open kept.
      const nineToTwelve = await alerts.list({
        since: at(NOON - 3 * HOUR),
        until: at(NOON),
      });

      expect(nineToTwelve.map(a => [a.kind, a.status])).toEqual([
        ['storage_low', 'open'],
        ['storage_low', 'resolved'],
      ]);

      // Without a time, only what is open now.
      expect((await alerts.list()).map(a => [a.kind, a.status])).toEqual([
        ['storage_low', 'open'],
      ]);
    });
  });
});
