import { randomUUID } from 'node:crypto';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';
import { isoNow } from '../time';

/**
 * A job whose stored source is not CSV, however it was queued, fails
 * before its first row and is left to a person.
 */
describe.each(DATABASE_KINDS)('a source that is not CSV on %s', kind => {
  let rebound: TestRebound;

  beforeEach(async () => {
    rebound = await createTestRebound(kind, {
      targets: { local: { type: 'table', table: 'imported_rows' } },
    });
  });

  afterEach(async () => {
    await rebound.close();
  });

  /** A queued job on `content`, without the checks of an upload. */
  async function queue(content: string) {
    const id = randomUUID();
    const stored = await rebound.storage.put(`sources/${id}`, content);
    const file = {
      id,
      name: 'orders.json',
      size: stored.size,
      sha256: stored.sha256,
      storageKey: stored.key,
      createdAt: isoNow(),
    };
    await rebound.store.insertSourceFile(file);
    const job = await rebound.store.createJob({
      type: 'csv_import',
      target: 'local',
      priority: 'normal',
      file,
      columns: [],
      options: { type: 'csv_import', target: 'local' },
      settings: {
        batchSize: 100,
        timeoutMs: 30_000,
        maxInvalidShare: 0.05,
        maxInvalidRows: 100,
        isolateRejectedRows: false,
      },
    });
    rebound.worker.wake();
    return job;
  }

  it('fails a JSON file as data_quality before loading a row', async () => {
    const json = JSON.stringify(
      Array.from({ length: 300 }, (_, i) => ({ id: i, total: i * 2 })),
    );
    const job = await queue(json);

    const failed = await rebound.waitFor(job.id, ['failed']);

    expect(failed.failure).toMatchObject({
      type: 'data_quality',
      evidence: { code: 'not_csv' },
    });
    expect(failed.failure?.message).toMatch(
      /^The file 'orders.json' is JSON, not CSV/,
    );
    expect(failed.progress.rowsDone).toBe(0);
    expect(
      await rebound.db.knex('imported_rows').where({ job_id: job.id }),
    ).toEqual([]);
    const analysis = await rebound.engine.analyse(job.id, 'automatic');
    expect(analysis.plan?.strategy).toBe('manual_intervention');
  });
});
