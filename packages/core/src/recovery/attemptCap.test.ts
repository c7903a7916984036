import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { parse } from 'csv-parse/sync';
import type { RecoveryPolicy } from './planner';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';

function csvOf(rows: number): string {
  const lines = ['id,name'];
  for (let i = 1; i <= rows; i++) {
    lines.push(`${i},name ${i}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The automatic recovery of uploads to a target that fails now and then:
 * the attempt cap stops jobs that are stuck, not jobs that advance.
 */
describe.each(DATABASE_KINDS)('the attempt cap on %s', kind => {
  let target: UploadTarget;
  let rebound: TestRebound;

  async function start(policy: Partial<RecoveryPolicy>) {
    target = await startUploadTarget();
    rebound = await createTestRebound(kind, {
      targets: { api: { type: 'http', url: target.url, timeoutMs: 2000 } },
      policy,
      autoRecover: true,
    });
  }

  afterEach(async () => {
    await rebound?.close();
    await target?.close();
  });

  /** A 503 after every `ok` requests, `times` times over. */
  function flaky(ok: number, times: number) {
    target.addFault(
      Array.from({ length: times }, () => ({
        afterRequests: ok,
        mode: 'status' as const,
        status: 503,
        retryAfter: 0,
      })),
    );
  }

  async function upload(rows: number) {
    const csv = csvOf(rows);
    const job = await rebound.submit(csv, {
      type: 'api_upload',
      target: 'api',
      batchSize: 10,
    });
    const ended = await rebound.waitFor(job.id, [
      'succeeded',
      'manual_intervention_required',
    ]);
    return { csv, job: ended };
  }

  it('keeps recovering an upload whose every run moves it on, past maxAttempts', async () => {
    await start({ maxAttempts: 2 });
    // Each run gets two batches through (the replay of the one in doubt,
    // then a new one) before a 503.
    flaky(2, 5);

    const { csv, job } = await upload(150);

    expect(job).toMatchObject({ status: 'succeeded', attempts: 5 });
    expect(target.records(job.id)).toEqual(parse(csv, { columns: true }));
    expect(target.stats().duplicateRows).toBe(0);
    const { items } = await rebound.store.listAttempts({ jobId: job.id });
    expect(items.map(a => a.plan.stalledAttempts)).toEqual([0, 0, 0, 0, 0]);
  });

  it('hands a job that makes no progress to a person after maxAttempts recoveries', async () => {
    await start({ maxAttempts: 2 });
    target.addFault({ mode: 'status', status: 503, count: 1000 });

    const { job } = await upload(50);

    expect(job).toMatchObject({
      status: 'manual_intervention_required',
      attempts: 2,
    });
    const { items } = await rebound.store.listAttempts({ jobId: job.id });
    expect(items[0]).toMatchObject({ status: 'manual', trigger: 'automatic' });
    expect(items[0].plan.reason).toBe(
      "The job's last 2 recoveries made no progress: the checkpoint is still " +
        'at row 0 (recovery.retry.maxAttempts = 2 recoveries in a row ' +
        'without progress; 2 recoveries in all).',
    );
  });

  it('stops a job that advances at maxTotalAttempts', async () => {
    await start({ maxAttempts: 2, maxTotalAttempts: 3 });
    flaky(2, 6);

    const { job } = await upload(200);

    expect(job).toMatchObject({
      status: 'manual_intervention_required',
      attempts: 3,
    });
    const { items } = await rebound.store.listAttempts({ jobId: job.id });
    expect(items[0].plan.reason).toMatch(
      /^The job has had 3 recoveries, the most allowed for one job \(recovery\.retry\.maxTotalAttempts = 3\), although they moved it on to row 80\.$/,
    );
    // Nothing was sent twice on the way.
    expect(target.stats().duplicateRows).toBe(0);
  });
});
