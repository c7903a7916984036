import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';

/** Rows a target refuses one by one keep their record, as quarantined ones do. */
describe.each(DATABASE_KINDS)('rows the target rejects on %s', kind => {
  let target: UploadTarget;
  let rebound: TestRebound;

  beforeEach(async () => {
    target = await startUploadTarget({
      rejectWhen: { column: 'email', matches: '^$' },
    });
    rebound = await createTestRebound(kind, {
      targets: { api: { type: 'http', url: target.url, timeoutMs: 2000 } },
    });
  });

  afterEach(async () => {
    await rebound.close();
    await target.close();
  });

  it('keep the raw record of the file with the row error', async () => {
    const csv = 'id,email\n1,a@example.com\n2,\n3,"c@example.com"\n4,\n';
    const job = await rebound.submit(
      csv,
      { type: 'api_upload', target: 'api', batchSize: 10 },
      'people.csv',
    );

    const done = await rebound.waitFor(job.id, ['succeeded', 'failed']);

    expect(done.progress).toMatchObject({ rowsAccepted: 2, rowsRejected: 2 });
    const { items } = await rebound.store.listRowErrors(job.id, {
      kind: 'rejected',
    });
    expect(items.map(e => [e.row, e.kind, e.raw])).toEqual([
      [2, 'rejected', '2,'],
      [4, 'rejected', '4,'],
    ]);
  });
});
