import { randomUUID } from 'node:crypto';
import type { Failure, Job, Priority } from '../client/types';
import { ReboundError } from '../errors';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../testing/databases';
import { isoIn, isoNow, sleep } from '../time';
import { DatabaseJobStore, LeaseLostError } from './DatabaseJobStore';
import { encodeCursor } from './cursor';
import type { CheckpointWrite, NewRowError } from './JobStore';
import { migrateDown, migrateUp } from './migrate';

const JOB_TABLES = [
  'source_files',
  'jobs',
  'checkpoints',
  'row_errors',
  'recovery_attempts',
];

const CHECKPOINT: CheckpointWrite = {
  step: 'load',
  rowsDone: 100,
  rowsAccepted: 98,
  rowsRejected: 1,
  rowsQuarantined: 1,
  bytesDone: 2048,
  byteOffset: 2048,
  batchSeq: 1,
  inDoubt: null,
};

function failureOf(message: string): Failure {
  return {
    type: 'interrupted',
    message,
    recoverability: 'high',
    confidence: 1,
    evidence: { code: 'lease_expired' },
    at: isoNow(),
  };
}

async function caught(promise: Promise<unknown>): Promise<ReboundError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ReboundError);
    return error as ReboundError;
  }
  throw new Error('expected the call to fail');
}

describe.each(DATABASE_KINDS)('DatabaseJobStore on %s', kind => {
  let db: TestDatabase;
  let store: DatabaseJobStore;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    store = await DatabaseJobStore.create(db.knex);
  });

  afterEach(async () => {
    await db.close();
  });

  async function newJob(
    options: { priority?: Priority; target?: string } = {},
  ): Promise<Job> {
    const id = randomUUID();
    const file = {
      id,
      name: `${id}.csv`,
      size: 4096,
      sha256: 'ab'.repeat(32),
      storageKey: `sources/${id}`,
      createdAt: isoNow(),
    };
    await store.insertSourceFile(file);
    return store.createJob({
      type: 'csv_import',
      target: options.target ?? 'local',
      priority: options.priority ?? 'normal',
      file,
      columns: ['id', 'name'],
      options: { type: 'csv_import', target: options.target ?? 'local' },
      settings: {
        batchSize: 100,
        timeoutMs: 1000,
        maxInvalidShare: 0.01,
        maxInvalidRows: 10,
        isolateRejectedRows: false,
      },
    });
  }

  /** Jobs with distinct creation times, oldest first. */
  async function newJobs(
    count: number,
    options: { priority?: Priority; target?: string } = {},
  ): Promise<Job[]> {
    const jobs: Job[] = [];
    for (let i = 0; i < count; i++) {
      jobs.push(await newJob(options));
      await sleep(2);
    }
    return jobs;
  }

  describe('migrations', () => {
    it('go up, down and up again', async () => {
      for (const table of JOB_TABLES) {
        expect(await db.knex.schema.hasTable(table)).toBe(true);
      }
      await newJob();

      await migrateDown(db.knex);

      for (const table of JOB_TABLES) {
        expect(await db.knex.schema.hasTable(table)).toBe(false);
      }
      const [{ n }] = await db.knex('rebound_migrations').count({ n: '*' });
      expect(Number(n)).toBe(0);

      await migrateUp(db.knex);

      for (const table of JOB_TABLES) {
        expect(await db.knex.schema.hasTable(table)).toBe(true);
      }
      const job = await newJob();
      expect((await store.getJob(job.id))?.status).toBe('pending');
      expect((await store.listJobs({})).items).toHaveLength(1);
    });

    it('are safe to run again on an up-to-date schema', async () => {
      const job = await newJob();

      await migrateUp(db.knex);
      await DatabaseJobStore.create(db.knex);

      expect((await store.getJob(job.id))?.id).toBe(job.id);
    });
  });

  describe('createJob and getJob', () => {
    it('returns the job with its file, settings and zeroed progress', async () => {
      const job = await newJob({ priority: 'high' });

      expect(job).toMatchObject({
        status: 'pending',
        priority: 'high',
        version: 0,
        attempts: 0,
        columns: ['id', 'name'],
        fileName: `${job.fileId}.csv`,
        fileSha256: 'ab'.repeat(32),
        fileSize: 4096,
        checkpoint: null,
        failure: null,
        settings: { batchSize: 100 },
        progress: { rowsDone: 0, rowsAccepted: 0, percent: 0 },
      });
      expect(await store.getJob(job.id)).toEqual(job);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.getJob(randomUUID())).toBeUndefined();
    });
  });

  describe('transition', () => {
    it('changes status and version and applies the patch', async () => {
      const job = await newJob();
      const failure = failureOf('stopped');

      const failed = await store.transition(job, 'failed', {
        failure,
        priority: 'critical',
        attempts: 2,
      });

      expect(failed).toMatchObject({
        status: 'failed',
        version: 1,
        priority: 'critical',
        attempts: 2,
        failure,
      });
      expect(
        (await store.listJobs({ failureType: 'interrupted' })).items,
      ).toEqual([expect.objectContaining({ id: job.id })]);
    });

    it('refuses a stale version with job_changed', async () => {
      const job = await newJob();
      await store.transition(job, 'cancelled');

      const error = await caught(store.transition(job, 'running'));

      expect(error).toMatchObject({ kind: 'conflict', code: 'job_changed' });
      expect(error.message).toMatch(/is cancelled \(version 1\)/);
    });

    it('refuses an unknown job with job_changed', async () => {
      const error = await caught(
        store.transition(
          { id: 'nope', status: 'failed', version: 0 },
          'pending',
        ),
      );

      expect(error.code).toBe('job_changed');
      expect(error.message).toMatch(/does not exist/);
    });

    it('lets exactly one of ten concurrent transitions of one version win', async () => {
      const job = await newJob();

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.transition(job, i % 2 ? 'cancelled' : 'running', {
            attempts: i + 1,
          }),
        ),
      );

      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const { reason } of lost) {
        expect(reason).toMatchObject({ kind: 'conflict', code: 'job_changed' });
      }
      const winner = (won[0] as PromiseFulfilledResult<Job>).value;
      const stored = (await store.getJob(job.id))!;
      expect(stored.version).toBe(1);
      expect(stored.status).toBe(winner.status);
      expect(stored.attempts).toBe(winner.attempts);
    });
  });

  describe('claimNext', () => {
    it('claims by priority, then oldest first', async () => {
      const low = await newJob({ priority: 'low' });
      await sleep(2);
      const oldCritical = await newJob({ priority: 'critical' });
      await sleep(2);
      const normal = await newJob({ priority: 'normal' });
      await sleep(2);
      const high = await newJob({ priority: 'high' });
      await sleep(2);
      const newCritical = await newJob({ priority: 'critical' });

      const order: string[] = [];
      for (;;) {
        const job = await store.claimNext('worker-a', 60_000);
        if (!job) {
          break;
        }
        order.push(job.id);
      }

      expect(order).toEqual([
        oldCritical.id,
        newCritical.id,
        high.id,
        normal.id,
        low.id,
      ]);
    });

    it('claims one job per call and leaves the others pending', async () => {
      const [first, ...rest] = await newJobs(4);

      const claimed = await store.claimNext('worker-a', 60_000);

      expect(claimed?.id).toBe(first.id);
      const statuses = await db
        .knex('jobs')
        .whereIn(
          'id',
          rest.map(j => j.id),
        )
        .select('status', 'lease_owner');
      expect(statuses).toEqual(
        rest.map(() => ({ status: 'pending', lease_owner: null })),
      );
    });

    it('hands out a running job with a lease and a new version', async () => {
      const job = await newJob();

      const claimed = (await store.claimNext('worker-a', 60_000))!;

      expect(claimed).toMatchObject({
        id: job.id,
        status: 'running',
        version: job.version + 1,
      });
      expect(claimed.startedAt).not.toBeNull();
      const row = await db.knex('jobs').where({ id: job.id }).first();
      expect(row.lease_owner).toBe('worker-a');
      expect(row.lease_expires_at > isoNow()).toBe(true);
    });

    it('waits for notBefore', async () => {
      const job = await newJob();
      await store.transition(job, 'failed');
      const failed = (await store.getJob(job.id))!;
      await store.transition(failed, 'pending', { notBefore: isoIn(60_000) });

      expect(await store.claimNext('worker-a', 60_000)).toBeUndefined();
    });

    it('claims nothing that is not pending', async () => {
      const job = await newJob();
      await store.transition(job, 'cancelled');

      expect(await store.claimNext('worker-a', 60_000)).toBeUndefined();
    });

    it('never hands one job to two concurrent claimers', async () => {
      const jobs = await newJobs(20);
      const claimedBy = new Map<string, string[]>();

      const claimLoop = async (owner: string) => {
        for (;;) {
          const job = await store.claimNext(owner, 60_000);
          if (!job) {
            return;
          }
          claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), owner]);
        }
      };
      await Promise.all(
        ['w1', 'w2', 'w3', 'w4', 'w5'].map(owner => claimLoop(owner)),
      );

      expect([...claimedBy.keys()].sort()).toEqual(jobs.map(j => j.id).sort());
      for (const owners of claimedBy.values()) {
        expect(owners).toHaveLength(1);
      }
      const rows = await db.knex('jobs').select('id', 'lease_owner', 'status');
      for (const row of rows) {
        expect(row.status).toBe('running');
        expect(row.lease_owner).toBe(claimedBy.get(row.id)![0]);
      }
    });
  });

  describe('leases', () => {
    let job: Job;

    beforeEach(async () => {
      await newJob();
      job = (await store.claimNext('owner', 1000))!;
    });

    it('renews only for the owner', async () => {
      const before = (await db.knex('jobs').where({ id: job.id }).first())
        .lease_expires_at;

      expect(await store.renewLease(job.id, 'intruder', 60_000)).toBe(false);
      expect(
        (await db.knex('jobs').where({ id: job.id }).first()).lease_expires_at,
      ).toBe(before);

      expect(await store.renewLease(job.id, 'owner', 60_000)).toBe(true);
      expect(
        (await db.knex('jobs').where({ id: job.id }).first()).lease_expires_at >
          before,
      ).toBe(true);
    });

    it('does not renew a job that is no longer running', async () => {
      await store.finishRun(job.id, 'owner', 'succeeded', null);

      expect(await store.renewLease(job.id, 'owner', 60_000)).toBe(false);
    });

    it('runs withLease for the owner and commits its writes', async () => {
      await store.withLease(job.id, 'owner', trx =>
        store.writeCheckpoint(trx, job.id, CHECKPOINT),
      );

      const stored = (await store.getJob(job.id))!;
      expect(stored.checkpoint).toMatchObject({
        step: 'load',
        rowsDone: 100,
        byteOffset: 2048,
        batchSeq: 1,
        inDoubt: null,
      });
      expect(stored.progress).toMatchObject({
        rowsDone: 100,
        rowsAccepted: 98,
        bytesDone: 2048,
        percent: 50,
      });
    });

    it('throws LeaseLostError for a non-owner and writes nothing', async () => {
      const before = await db.knex('jobs').where({ id: job.id }).first();
      const fn = jest.fn(async trx =>
        store.writeCheckpoint(trx, job.id, CHECKPOINT),
      );

      const error = await caught(store.withLease(job.id, 'intruder', fn));

      expect(error).toBeInstanceOf(LeaseLostError);
      expect(error).toMatchObject({ kind: 'conflict', code: 'lease_lost' });
      expect(error.message).toContain(job.id);
      expect(fn).not.toHaveBeenCalled();
      expect(await db.knex('checkpoints').where({ job_id: job.id })).toEqual(
        [],
      );
      expect(await db.knex('jobs').where({ id: job.id }).first()).toEqual(
        before,
      );
    });

    it('rolls back the writes of a withLease that throws', async () => {
      await expect(
        store.withLease(job.id, 'owner', async trx => {
          await store.writeCheckpoint(trx, job.id, CHECKPOINT);
          await store.insertRowErrors(trx, job.id, [
            { row: 1, code: 'x', message: 'x', kind: 'quarantined' },
          ]);
          throw new Error('sink failed');
        }),
      ).rejects.toThrow('sink failed');

      expect((await store.getJob(job.id))!.checkpoint).toBeNull();
      expect((await store.listRowErrors(job.id, {})).items).toEqual([]);
    });

    it('finishes a run only for the owner', async () => {
      expect(
        await store.finishRun(job.id, 'intruder', 'succeeded', null),
      ).toBeUndefined();

      const done = await store.finishRun(job.id, 'owner', 'succeeded', null);

      expect(done).toMatchObject({
        status: 'succeeded',
        finishedAt: expect.any(String),
      });
      const row = await db.knex('jobs').where({ id: job.id }).first();
      expect(row.lease_owner).toBeNull();
    });
  });

  describe('reapExpiredLeases', () => {
    it('fails expired running jobs as interrupted and leaves live ones', async () => {
      const [expiredJob, liveJob, pendingJob] = await newJobs(3);
      const expired = (await store.claimNext('dead-worker', -1000))!;
      const live = (await store.claimNext('live-worker', 60_000))!;
      expect([expired.id, live.id]).toEqual([expiredJob.id, liveJob.id]);
      const seen: string[] = [];

      const reaped = await store.reapExpiredLeases(job => {
        seen.push(job.id);
        return failureOf(
          `job ${job.id} stopped at row ${job.progress.rowsDone}`,
        );
      });

      expect(seen).toEqual([expired.id]);
      expect(reaped).toEqual([
        expect.objectContaining({
          id: expired.id,
          status: 'failed',
          version: expired.version + 1,
          failure: expect.objectContaining({
            type: 'interrupted',
            message: `job ${expired.id} stopped at row 0`,
          }),
        }),
      ]);
      const expiredRow = await db
        .knex('jobs')
        .where({ id: expired.id })
        .first();
      expect(expiredRow.lease_owner).toBeNull();
      expect(expiredRow.failure_type).toBe('interrupted');
      expect((await store.getJob(live.id))!.status).toBe('running');
      expect((await store.getJob(pendingJob.id))!.status).toBe('pending');
      // The dead worker cannot write any more.
      await expect(
        store.withLease(expired.id, 'dead-worker', async () => undefined),
      ).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('reaps nothing when every lease is live', async () => {
      await newJob();
      await store.claimNext('w', 60_000);

      expect(await store.reapExpiredLeases(() => failureOf('x'))).toEqual([]);
    });
  });

  describe('keyset pagination', () => {
    async function allPages<T>(
      fetchPage: (
        cursor: string | undefined,
      ) => Promise<{ items: T[]; nextCursor: string | null }>,
    ): Promise<{ items: T[]; pages: number }> {
      const items: T[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await fetchPage(cursor);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        pages += 1;
        expect(pages).toBeLessThan(100);
      } while (cursor);
      return { items, pages };
    }

    it('pages jobs newest first without duplicates or gaps, even with equal times', async () => {
      const jobs: Job[] = [];
      for (let i = 0; i < 23; i++) {
        jobs.push(await newJob());
      }
      // Equal creation times: the id breaks the tie.
      const sameTime = '2030-01-01T00:00:00.000Z';
      await db
        .knex('jobs')
        .whereIn(
          'id',
          jobs.slice(5, 15).map(j => j.id),
        )
        .update({ created_at: sameTime });

      const { items, pages } = await allPages(cursor =>
        store.listJobs({ limit: 4, cursor }),
      );

      expect(pages).toBe(6);
      const ids = items.map(j => j.id);
      expect(new Set(ids).size).toBe(23);
      expect([...ids].sort()).toEqual(jobs.map(j => j.id).sort());
      const keys = items.map(j => `${j.createdAt}|${j.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
    });

    it('pages jobs within a filter', async () => {
      const apiJobs = await newJobs(7, { target: 'api' });
      await newJobs(5, { target: 'local' });
      await store.transition(apiJobs[3], 'cancelled');

      const { items } = await allPages(cursor =>
        store.listJobs({ target: 'api', status: 'pending', limit: 2, cursor }),
      );

      expect(items.map(j => j.id)).toEqual(
        apiJobs
          .filter((_, i) => i !== 3)
          .map(j => j.id)
          .reverse(),
      );
    });

    it('gives no next cursor on the last page', async () => {
      await newJobs(3);

      expect((await store.listJobs({ limit: 3 })).nextCursor).toBeNull();
      expect((await store.listJobs({ limit: 2 })).nextCursor).not.toBeNull();
    });

    it('pages row errors by row, several errors of one row included', async () => {
      await newJob();
      const job = (await store.claimNext('w', 60_000))!;
      const errors: NewRowError[] = [];
      for (let row = 1; row <= 150; row++) {
        errors.push({
          row,
          column: 'a',
          code: 'integer',
          message: `row ${row}`,
          value: 'x',
          kind: 'quarantined',
        });
        if (row % 3 === 0) {
          errors.push({
            row,
            column: 'b',
            code: 'date',
            message: `row ${row} b`,
            kind: 'quarantined',
          });
        }
      }
      // Inserted out of order: the listing sorts by row.
      await store.withLease(job.id, 'w', trx =>
        store.insertRowErrors(trx, job.id, [...errors].reverse()),
      );

      const { items } = await allPages(cursor =>
        store.listRowErrors(job.id, { limit: 7, cursor }),
      );

      expect(items).toHaveLength(200);
      expect(items.map(e => e.row)).toEqual(
        errors.map(e => e.row).sort((a, b) => a - b),
      );
      expect(new Set(items.map(e => `${e.row}|${e.column}`)).size).toBe(200);
      expect(items[0]).toEqual({
        jobId: job.id,
        row: 1,
        column: 'a',
        code: 'integer',
        message: 'row 1',
        value: 'x',
        kind: 'quarantined',
      });
    });

    it('filters row errors by kind', async () => {
      await newJob();
      const job = (await store.claimNext('w', 60_000))!;
      await store.withLease(job.id, 'w', trx =>
        store.insertRowErrors(trx, job.id, [
          { row: 1, code: 'a', message: 'a', kind: 'quarantined' },
          { row: 2, code: 'b', message: 'b', kind: 'rejected' },
        ]),
      );

      const page = await store.listRowErrors(job.id, { kind: 'rejected' });

      expect(page.items.map(e => e.row)).toEqual([2]);
    });

    it('pages the recovery history newest first', async () => {
      const job = await newJob();
      const ids: string[] = [];
      for (let i = 1; i <= 13; i++) {
        const attempt = await store.createAttempt({
          jobId: job.id,
          attempt: i,
          trigger: 'manual',
          target: job.target,
          failureType: 'timeout',
          strategy: 'automatic_retry',
          plan: { jobId: job.id } as never,
          status: 'scheduled',
          requestedBy: 'user:default/mock',
        });
        ids.push(attempt.id);
      }
      const other = await newJob();
      await store.createAttempt({
        jobId: other.id,
        attempt: 1,
        trigger: 'batch',
        target: other.target,
        failureType: 'timeout',
        strategy: 'automatic_retry',
        plan: { jobId: other.id } as never,
        status: 'scheduled',
        requestedBy: null,
      });

      const { items } = await allPages(cursor =>
        store.listAttempts({ jobId: job.id, limit: 3, cursor }),
      );

      expect(items).toHaveLength(13);
      expect(new Set(items.map(a => a.id))).toEqual(new Set(ids));
      const keys = items.map(a => `${a.createdAt}|${a.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
      expect((await store.listAttempts({})).items).toHaveLength(14);
    });

    describe('bad cursors and limits', () => {
      let jobId: string;

      beforeEach(async () => {
        jobId = (await newJob()).id;
      });

      const badCursors = [
        ['not base64 JSON', 'garbage!'],
        [
          'JSON that is not a pair',
          Buffer.from('{"a":1}').toString('base64url'),
        ],
        ['a pair of the wrong types', encodeCursor('row', 'id')],
      ];

      it.each(badCursors)(
        'refuses %s for row errors',
        async (_what, cursor) => {
          const error = await caught(store.listRowErrors(jobId, { cursor }));

          expect(error).toMatchObject({
            kind: 'input',
            code: 'invalid_cursor',
          });
          expect(error.message).toContain(cursor);
        },
      );

      it.each(badCursors.slice(0, 2))(
        'refuses %s for jobs and attempts',
        async (_what, cursor) => {
          for (const promise of [
            store.listJobs({ cursor }),
            store.listAttempts({ cursor }),
          ]) {
            expect(await caught(promise)).toMatchObject({
              kind: 'input',
              code: 'invalid_cursor',
            });
          }
        },
      );

      it('refuses a job cursor whose time is not text', async () => {
        for (const promise of [
          store.listJobs({ cursor: encodeCursor(12, 'x') }),
          store.listAttempts({ cursor: encodeCursor(12, 'x') }),
        ]) {
          expect(await caught(promise)).toMatchObject({
            code: 'invalid_cursor',
          });
        }
      });

      it.each([0, -1, 1.5, 501, 'ten'])('refuses limit %p', async limit => {
        const error = await caught(
          store.listJobs({ limit: limit as unknown as number }),
        );

        expect(error).toMatchObject({ kind: 'input', code: 'invalid_limit' });
        expect(error.message).toContain(String(limit));
      });
    });
  });

  describe('attempts', () => {
    it('records the duration of a finished attempt', async () => {
      const job = await newJob();
      const attempt = await store.createAttempt({
        jobId: job.id,
        attempt: 1,
        trigger: 'automatic',
        target: job.target,
        failureType: 'network_error',
        strategy: 'automatic_retry',
        plan: { jobId: job.id } as never,
        status: 'scheduled',
        requestedBy: null,
      });
      await sleep(20);

      await store.updateAttempt(attempt.id, 'running', { started: true });
      await store.updateAttempt(attempt.id, 'succeeded', {
        outcome: 'Recovered',
        rowsProcessed: 42,
      });

      const done = (await store.getAttempt(attempt.id))!;
      expect(done).toMatchObject({
        status: 'succeeded',
        outcome: 'Recovered',
        rowsProcessed: 42,
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
      expect(done.durationMs).toBeGreaterThanOrEqual(15);
      expect(done.durationMs).toBeLessThan(10_000);
    });

    it('counts outcomes by failure type and attempts per target window', async () => {
      const job = await newJob({ target: 'api' });
      const make = (
        status: 'succeeded' | 'failed',
        trigger: 'manual' | 'batch',
      ) =>
        store.createAttempt({
          jobId: job.id,
          attempt: 1,
          trigger,
          target: 'api',
          failureType: 'timeout',
          strategy: 'automatic_retry',
          plan: { jobId: job.id } as never,
          status,
          requestedBy: null,
        });
      await make('succeeded', 'manual');
      await make('succeeded', 'batch');
      await make('failed', 'batch');

      expect(await store.attemptOutcomesByFailureType('timeout')).toEqual({
        succeeded: 2,
        finished: 3,
      });
      expect(await store.attemptOutcomesByFailureType('memory')).toEqual({
        succeeded: 0,
        finished: 0,
      });
      expect(
        await store.countAttemptsSince('api', isoIn(-60_000), ['batch']),
      ).toBe(2);
      expect(
        await store.countAttemptsSince('api', isoIn(60_000), ['batch']),
      ).toBe(0);
    });
  });
});
