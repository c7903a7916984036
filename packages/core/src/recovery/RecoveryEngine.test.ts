import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';
import { sleep } from '../time';

describe.each(DATABASE_KINDS)('RecoveryEngine on %s', kind => {
  let target: UploadTarget;
  let rebound: TestRebound;

  beforeEach(async () => {
    target = await startUploadTarget();
    rebound = await createTestRebound(kind, {
      targets: { api: { type: 'http', url: target.url, timeoutMs: 2000 } },
    });
  });

  afterEach(async () => {
    await rebound.close();
    await target.close();
  });

  /** A job that failed on a 503 and fails on the next `more` runs too. */
  async function failedJob(more = 0) {
    target.addFault({ mode: 'status', status: 503, count: 1 + more });
    const job = await rebound.submit('id\n1\n2\n3\n', {
      type: 'api_upload',
      target: 'api',
    });
    return rebound.waitFor(job.id, ['failed']);
  }

  describe('history', () => {
    async function attemptsOf(jobId: string) {
      for (let i = 0; i < 200; i++) {
        const { items } = await rebound.store.listAttempts({ jobId });
        if (items.every(a => !['scheduled', 'running'].includes(a.status))) {
          return items;
        }
        await sleep(25);
      }
      return (await rebound.store.listAttempts({ jobId })).items;
    }

    it('records the outcome even when a worker finishes the job at once', async () => {
      const job = await failedJob();
      // A slow write of the attempt: the worker is free to run meanwhile.
      const createAttempt = rebound.store.createAttempt.bind(rebound.store);
      jest
        .spyOn(rebound.store, 'createAttempt')
        .mockImplementation(async attempt => {
          await sleep(300);
          return createAttempt(attempt);
        });

      await rebound.engine.recover(job.id, { trigger: 'manual' });
      await rebound.waitFor(job.id, ['succeeded']);

      expect(await attemptsOf(job.id)).toEqual([
        expect.objectContaining({
          status: 'succeeded',
          startedAt: expect.any(String),
          rowsProcessed: 3,
        }),
      ]);
    });

    it('keeps no attempt of a recovery that lost to another', async () => {
      const job = await failedJob();

      const results = await Promise.allSettled([
        rebound.engine.recover(job.id, { trigger: 'manual' }),
        rebound.engine.recover(job.id, { trigger: 'manual' }),
      ]);
      await rebound.waitFor(job.id, ['succeeded']);

      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      expect(await attemptsOf(job.id)).toEqual([
        expect.objectContaining({ status: 'succeeded', trigger: 'manual' }),
      ]);
    });
  });

  describe('includeManual', () => {
    /** Jobs that ended with a person: a 401 each, and one 418. */
    async function jobsLeftToAPerson() {
      const ids: string[] = [];
      for (const status of [401, 401, 418]) {
        target.addFault({ mode: 'status', status, count: 1 });
        const job = await rebound.submit('id\n1\n2\n', {
          type: 'api_upload',
          target: 'api',
        });
        await rebound.waitFor(job.id, [
          'failed',
          'manual_intervention_required',
        ]);
        ids.push(job.id);
      }
      return ids;
    }

    it('skips the jobs a person must see, and retries them when the person asks for them all', async () => {
      const ids = await jobsLeftToAPerson();

      const plain = await rebound.engine.recoverMany({ jobIds: ids });
      expect(plain.skipped.map(item => item.jobId).sort()).toEqual(
        [...ids].sort(),
      );

      const asked = await rebound.engine.recoverMany({
        jobIds: ids,
        includeManual: true,
      });
      expect(asked.successful.map(item => item.jobId).sort()).toEqual(
        [...ids].sort(),
      );
      for (const id of ids) {
        expect(
          (await rebound.waitFor(id, ['succeeded'])).progress,
        ).toMatchObject({ rowsAccepted: 2 });
        const { items } = await rebound.store.listAttempts({ jobId: id });
        expect(items[0]).toMatchObject({ trigger: 'batch' });
      }
      expect(target.stats().duplicateRows).toBe(0);
    });
  });

  describe('automatic retry after a recovery', () => {
    async function recoverAndFailAgain(
      jobId: string,
      request: { autoRetry?: boolean },
    ) {
      const result = await rebound.engine.recoverMany({
        jobIds: [jobId],
        ...request,
      });
      expect(result.successful.map(item => item.jobId)).toEqual([jobId]);
      return rebound.waitFor(jobId, ['failed']);
    }

    it('leaves a job recovered with autoRetry false to a person when it fails again', async () => {
      const job = await failedJob(1);

      const failedAgain = await recoverAndFailAgain(job.id, {
        autoRetry: false,
      });
      const counts = await rebound.engine.sweep();

      expect(failedAgain.settings.autoRetry).toBe(false);
      expect(counts).toEqual({ recovered: 0, manual: 0, skipped: 1 });
      expect(await rebound.store.getJob(job.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
      });
      const { items } = await rebound.store.listAttempts({ jobId: job.id });
      expect(items.map(a => a.trigger)).toEqual(['batch']);
    });

    it('retries a job recovered with the default when it fails again', async () => {
      const job = await failedJob(1);

      const failedAgain = await recoverAndFailAgain(job.id, {});
      const counts = await rebound.engine.sweep();

      expect(failedAgain.settings).not.toHaveProperty('autoRetry');
      expect(counts).toEqual({ recovered: 1, manual: 0, skipped: 0 });
      const done = await rebound.waitFor(job.id, ['succeeded']);
      expect(done.attempts).toBe(2);
      const { items } = await rebound.store.listAttempts({ jobId: job.id });
      expect(items.map(a => a.trigger)).toEqual(['automatic', 'batch']);
    });

    it('allows automatic retries again after a later recovery without autoRetry false', async () => {
      const job = await failedJob(2);
      await recoverAndFailAgain(job.id, { autoRetry: false });

      await rebound.engine.recover(job.id, { trigger: 'manual' });
      const failedAgain = await rebound.waitFor(job.id, ['failed']);
      const counts = await rebound.engine.sweep();

      expect(failedAgain.settings).not.toHaveProperty('autoRetry');
      expect(counts.recovered).toBe(1);
      await rebound.waitFor(job.id, ['succeeded']);
    });
  });
});
