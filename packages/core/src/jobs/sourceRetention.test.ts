import type { Job, JobStatus } from '../client/types';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';
import { isoIn } from '../time';

const DAY = 24 * 3600_000;
const RETENTION = 30 * DAY;

/** The stored sources of ended jobs go after the retention; no others. */
describe.each(DATABASE_KINDS)('source retention on %s', kind => {
  let rebound: TestRebound;

  beforeEach(async () => {
    rebound = await createTestRebound(kind, {
      targets: { local: { type: 'table', table: 'imported_rows' } },
    });
  });

  afterEach(async () => {
    await rebound.close();
  });

  /** A job that ran, then put in `status`, ended `ageMs` ago. */
  async function jobIn(status: JobStatus, ageMs: number): Promise<Job> {
    const created = await rebound.submit('a,b\n1,2\n', {
      type: 'csv_import',
      target: 'local',
    });
    await rebound.waitFor(created.id, ['succeeded']);
    await rebound.db
      .knex('jobs')
      .where({ id: created.id })
      .update({
        status,
        finished_at: status === 'running' ? null : isoIn(-ageMs),
        // A pending job waits far ahead and a running one holds a lease,
        // so that this test's worker leaves them alone.
        not_before: isoIn(DAY),
        lease_owner: status === 'running' ? 'another-replica' : null,
        lease_expires_at: status === 'running' ? isoIn(DAY) : null,
      });
    return (await rebound.store.getJob(created.id))!;
  }

  async function stored(job: Job): Promise<boolean> {
    const file = await rebound.store.getSourceFile(job.fileId);
    return (await rebound.storage.size(file!.storageKey)) !== undefined;
  }

  it('removes the sources of jobs that succeeded or were cancelled before the retention', async () => {
    const succeeded = await jobIn('succeeded', 40 * DAY);
    const cancelled = await jobIn('cancelled', 31 * DAY);
    const recent = await jobIn('succeeded', 29 * DAY);

    const counts = await rebound.jobs.removeExpiredSources(RETENTION);

    expect(counts).toMatchObject({ removed: 2, bytes: 16 });
    expect(await stored(succeeded)).toBe(false);
    expect(await stored(cancelled)).toBe(false);
    expect(await stored(recent)).toBe(true);
    const shown = await rebound.store.getJob(succeeded.id);
    expect(shown?.fileRemovedAt).toEqual(expect.any(String));
    expect((await rebound.store.getJob(recent.id))?.fileRemovedAt).toBeNull();
    // A second pass finds nothing more to do.
    expect(await rebound.jobs.removeExpiredSources(RETENTION)).toMatchObject({
      removed: 0,
    });
  });

  it.each([
    'pending',
    'running',
    'failed',
    'manual_intervention_required',
  ] as JobStatus[])(
    'keeps the source of a %s job, however old',
    async status => {
      const job = await jobIn(status, 400 * DAY);

      await rebound.jobs.removeExpiredSources(RETENTION);

      expect(await stored(job)).toBe(true);
      expect((await rebound.store.getJob(job.id))?.fileRemovedAt).toBeNull();
    },
  );

  it('keeps a source another job of it may still need', async () => {
    const failed = await jobIn('failed', 40 * DAY);
    const done = await jobIn('succeeded', 40 * DAY);
    await rebound.db
      .knex('jobs')
      .where({ id: done.id })
      .update({ file_id: failed.fileId });

    await rebound.jobs.removeExpiredSources(RETENTION);

    expect(await stored(failed)).toBe(true);
  });

  it('says why a job whose source was removed cannot be recovered', async () => {
    const cancelled = await jobIn('cancelled', 40 * DAY);
    await rebound.jobs.removeExpiredSources(RETENTION);
    const job = (await rebound.store.getJob(cancelled.id))!;

    const analysis = await rebound.engine.analyse(job.id);
    expect(analysis.reason).toBe(
      `Job ${job.id} was cancelled. Its source file data.csv was removed ` +
        `from storage on ${job.fileRemovedAt} ` +
        '(recovery.storage.sourceRetention); to process the data again, ' +
        'upload the file again as a new job.',
    );
    await expect(
      rebound.engine.recover(job.id, { trigger: 'manual' }),
    ).rejects.toMatchObject({
      code: 'not_recoverable',
      message: analysis.reason,
    });
  });

  it('fails a run of a removed source as data_loss naming the retention', async () => {
    const done = await jobIn('succeeded', 40 * DAY);
    await rebound.jobs.removeExpiredSources(RETENTION);
    // Nothing moves an ended job back to pending; should anything do so,
    // the run must say what happened to the file.
    await rebound.db
      .knex('jobs')
      .where({ id: done.id })
      .update({ status: 'pending', not_before: isoIn(-1000) });
    rebound.worker.wake();

    const failed = await rebound.waitFor(done.id, ['failed']);
    expect(failed.failure).toMatchObject({ type: 'data_loss' });
    expect(failed.failure?.message).toMatch(
      /was removed from storage on .* \(recovery\.storage\.sourceRetention\); upload it again as a new job\./,
    );
  });
});
