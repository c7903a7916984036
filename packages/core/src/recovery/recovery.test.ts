import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { parse } from 'csv-parse/sync';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';

function csvOf(rows: number): string {
  const lines = ['id,zip,name,amount'];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `${10000000000000000000n + BigInt(i)},0${
        (1000 + i) % 10000
      },"Name, ${i}",${i}.5`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe.each(DATABASE_KINDS)('recovery on %s', kind => {
  let target: UploadTarget;
  let rebound: TestRebound;

  beforeEach(async () => {
    target = await startUploadTarget();
    rebound = await createTestRebound(kind, {
      targets: {
        local: { type: 'table', table: 'imported_rows' },
        api: { type: 'http', url: target.url, timeoutMs: 2000 },
      },
    });
  });

  afterEach(async () => {
    await rebound.close();
    await target.close();
  });

  it('imports into the table sink once, keeping values as the file has them', async () => {
    const csv = csvOf(1234);
    const job = await rebound.submit(csv, {
      type: 'csv_import',
      target: 'local',
      batchSize: 100,
    });
    const done = await rebound.waitFor(job.id, ['succeeded']);

    expect(done.progress).toMatchObject({
      rowsDone: 1234,
      rowsAccepted: 1234,
      rowsTotal: 1234,
    });
    const rows = await rebound.db
      .knex('imported_rows')
      .where({ job_id: job.id })
      .orderBy('row_number');
    expect(rows).toHaveLength(1234);
    const expected = parse(csv, { columns: true });
    rows.forEach((row, i) => {
      expect(Number(row.row_number)).toBe(i + 1);
      expect(JSON.parse(row.data)).toEqual(expected[i]);
    });
    expect(JSON.parse(rows[0].data).id).toBe('10000000000000000001');
    expect(JSON.parse(rows[0].data).zip).toBe('01001');
  });

  it('recovers an upload after 503s mid-job and the target holds every row once', async () => {
    target.addFault({
      afterRequests: 3,
      count: 2,
      mode: 'status',
      status: 503,
      retryAfter: 0,
    });
    const csv = csvOf(1000);
    const job = await rebound.submit(csv, {
      type: 'api_upload',
      target: 'api',
      batchSize: 100,
    });

    const failed = await rebound.waitFor(job.id, ['failed']);
    expect(failed.failure).toMatchObject({
      type: 'temporary_resource',
      recoverability: 'high',
    });
    expect(failed.failure?.evidence.httpStatus).toBe(503);
    expect(failed.checkpoint?.rowsDone).toBe(300);

    const { plan } = await rebound.engine.recover(job.id, {
      trigger: 'manual',
    });
    expect(plan.strategy).toBe('automatic_retry');
    expect(plan.resumeFrom.row).toBe(300);
    // The second 503 fails the first retry; recover once more.
    await rebound.waitFor(job.id, ['failed', 'succeeded']);
    if ((await rebound.store.getJob(job.id))!.status === 'failed') {
      await rebound.engine.recover(job.id, { trigger: 'manual' });
    }
    const done = await rebound.waitFor(job.id, ['succeeded']);

    expect(done.progress.rowsAccepted).toBe(1000);
    expect(target.records(job.id)).toEqual(parse(csv, { columns: true }));
    expect(target.stats().duplicateRows).toBe(0);
    const history = await rebound.store.listAttempts({ jobId: job.id });
    expect(history.items[0]).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
    });
  });

  it('replays an in-doubt batch with the same key after a timeout', async () => {
    target.addFault({
      afterRequests: 2,
      mode: 'timeout',
      delayMs: 5000,
      processBeforeFailing: true,
    });
    const csv = csvOf(500);
    const job = await rebound.submit(csv, {
      type: 'api_upload',
      target: 'api',
      batchSize: 100,
    });

    const failed = await rebound.waitFor(job.id, ['failed']);
    expect(failed.failure?.type).toBe('timeout');
    expect(failed.checkpoint?.inDoubt).toEqual({
      firstRow: 201,
      lastRow: 300,
    });

    // A recovery that also changes the batch size must replay rows 201-300
    // as they were first sent.
    const { plan } = await rebound.engine.recover(job.id, {
      trigger: 'manual',
      adjustments: { batchSize: 30 },
    });
    expect(plan.resumeFrom.replayInDoubt).toBe(true);
    expect(plan.adjustments.timeoutMs).toBe(4000);
    await rebound.waitFor(job.id, ['succeeded']);

    expect(target.stats().replays).toBe(1);
    expect(target.stats().duplicateRows).toBe(0);
    expect(target.records(job.id)).toEqual(parse(csv, { columns: true }));
  });

  it('sets malformed rows aside as row errors and goes on', async () => {
    const good = Array.from({ length: 98 }, (_, i) => `${i},${i}`);
    const csv = ['a,b', good[0], '3', '4,5,6', ...good.slice(1)].join('\n');
    const job = await rebound.submit(csv, {
      type: 'csv_import',
      target: 'local',
    });
    const done = await rebound.waitFor(job.id, ['succeeded']);

    expect(done.progress).toMatchObject({
      rowsDone: 100,
      rowsAccepted: 98,
      rowsQuarantined: 2,
    });
    const errors = await rebound.store.listRowErrors(job.id, {});
    expect(errors.items.map(e => [e.row, e.code, e.raw])).toEqual([
      [2, 'field_count', '3'],
      [3, 'field_count', '4,5,6'],
    ]);
  });

  it('fails a file with too many bad rows at its end, then quarantines them', async () => {
    // 1 bad row of 8 is 12.5%: over the default 5%, within the 25% a
    // quarantining recovery allows.
    const csv = 'a,b\n1,2\n3\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n';
    const job = await rebound.submit(csv, {
      type: 'csv_import',
      target: 'local',
    });
    const failed = await rebound.waitFor(job.id, ['failed']);
    expect(failed.failure).toMatchObject({
      type: 'data_quality',
      evidence: { code: 'too_many_malformed_rows', rows: [2] },
    });
    // The valid rows are loaded already; nothing is lost.
    const loaded = await rebound.db
      .knex('imported_rows')
      .where({ job_id: job.id });
    expect(loaded).toHaveLength(7);

    const { plan } = await rebound.engine.recover(job.id, {
      trigger: 'manual',
    });
    expect(plan).toMatchObject({
      strategy: 'retry_with_adjustments',
      adjustments: { maxInvalidShare: 0.25 },
      resumeFrom: { row: 8 },
    });
    const done = await rebound.waitFor(job.id, ['succeeded']);
    expect(done.progress).toMatchObject({
      rowsAccepted: 7,
      rowsQuarantined: 1,
    });
    expect(
      await rebound.db.knex('imported_rows').where({ job_id: job.id }),
    ).toHaveLength(7);
  });

  it('never calls a file of only bad rows a success', async () => {
    const job = await rebound.submit('a,b\n1\n2\n3,4,5\n', {
      type: 'csv_import',
      target: 'local',
    });
    const failed = await rebound.waitFor(job.id, ['failed']);
    expect(failed.failure?.type).toBe('data_quality');
    expect(failed.progress).toMatchObject({
      rowsAccepted: 0,
      rowsQuarantined: 3,
    });
  });

  it('fails an unclosed quote as data_quality naming the row, and plans manual work', async () => {
    const csv = 'a,b\n1,2\n3,"never closed\n5,6\n';
    const job = await rebound.submit(csv, {
      type: 'csv_import',
      target: 'local',
    });
    const failed = await rebound.waitFor(job.id, ['failed']);

    expect(failed.failure?.type).toBe('data_quality');
    expect(failed.failure?.message).toMatch(/data row 2/);
    const analysis = await rebound.engine.analyse(job.id);
    expect(analysis.plan?.strategy).toBe('manual_intervention');
  });

  it('halves the batch after a 413 and succeeds', async () => {
    target.configure({ maxRecordsPerRequest: 60 });
    const csv = csvOf(300);
    const job = await rebound.submit(csv, {
      type: 'api_upload',
      target: 'api',
      batchSize: 100,
    });
    const failed = await rebound.waitFor(job.id, ['failed']);
    expect(failed.failure?.type).toBe('memory');

    const { plan } = await rebound.engine.recover(job.id, {
      trigger: 'manual',
    });
    expect(plan).toMatchObject({
      strategy: 'retry_with_adjustments',
      adjustments: { batchSize: 50 },
    });
    await rebound.waitFor(job.id, ['succeeded']);
    expect(target.records(job.id)).toHaveLength(300);
    expect(target.stats().duplicateRows).toBe(0);
  });

  it('lets one of two simultaneous recoveries win', async () => {
    target.addFault({ mode: 'status', status: 503 });
    const job = await rebound.submit(csvOf(10), {
      type: 'api_upload',
      target: 'api',
    });
    await rebound.waitFor(job.id, ['failed']);

    const results = await Promise.allSettled([
      rebound.engine.recover(job.id, { trigger: 'manual' }),
      rebound.engine.recover(job.id, { trigger: 'manual' }),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult;
    expect(rejected.reason.code).toMatch(/job_changed|not_recoverable/);
    await rebound.waitFor(job.id, ['succeeded']);
  });

  it('refuses to recover a job that succeeded', async () => {
    const job = await rebound.submit(csvOf(3), {
      type: 'csv_import',
      target: 'local',
    });
    await rebound.waitFor(job.id, ['succeeded']);
    await expect(
      rebound.engine.recover(job.id, { trigger: 'manual' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'not_recoverable',
    });
  });

  it('leaves a failure of no known type to a person, and retries it when one asks', async () => {
    target.addFault({ mode: 'status', status: 418, count: 1 });
    const job = await rebound.submit(csvOf(10), {
      type: 'api_upload',
      target: 'api',
      batchSize: 5,
    });
    const failed = await rebound.waitFor(job.id, ['failed']);
    expect(failed.failure?.type).toBe('unknown');
    expect((await rebound.engine.recoverAutomatically(failed))?.strategy).toBe(
      'investigation_required',
    );
    expect((await rebound.store.getJob(job.id))?.status).toBe('failed');

    const { plan } = await rebound.engine.recover(job.id, {
      trigger: 'manual',
    });

    expect(plan).toMatchObject({
      strategy: 'automatic_retry',
      automatic: true,
    });
    const done = await rebound.waitFor(job.id, ['succeeded']);
    expect(done.progress.rowsAccepted).toBe(10);
    expect(target.stats()).toMatchObject({
      acceptedRows: 10,
      duplicateRows: 0,
    });
  });

  it('sends 401s to manual intervention instead of retrying', async () => {
    target.addFault({ mode: 'status', status: 401, count: 100 });
    const job = await rebound.submit(csvOf(10), {
      type: 'api_upload',
      target: 'api',
    });
    const failed = await rebound.waitFor(job.id, ['failed']);
    await rebound.engine.recoverAutomatically(failed);
    const manual = await rebound.store.getJob(job.id);
    expect(manual?.status).toBe('manual_intervention_required');
    expect(target.stats().requests).toBe(1);
  });
});
