import type { SchedulerServiceTaskFunction } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../../packages/core/src/testing/databases';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
} from './testBackend';

/** The scheduled clean-up of stored sources, as the API shows it. */
describe.each(DATABASE_KINDS)('source retention on %s', kind => {
  let backend: RecoveryTestBackend;
  let tasks: Map<string, SchedulerServiceTaskFunction>;

  /** Runs a scheduler task of the plugin now, as the scheduler would. */
  const runTask = (id: string) => tasks.get(id)!(new AbortController().signal);

  beforeEach(async () => {
    tasks = new Map();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task.fn);
      },
    });
    backend = await startRecoveryTestBackend(kind, {
      defaultCredentials: mockCredentials.user(),
      recovery: {
        workers: { pollInterval: { milliseconds: 50 } },
        storage: { sourceRetention: { minutes: 1 } },
      },
      features: [scheduler.factory],
    });
  });

  afterEach(async () => {
    await backend.stop();
  });

  const api = (path: string) => `/api/recovery${path}`;

  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean) {
    for (let i = 0; i < 200; i++) {
      const value = await read();
      if (ok(value)) {
        return value;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error('gave up waiting');
  }

  it('removes the source of a cancelled job after the retention and says so', async () => {
    const created = await request(backend.server)
      .post(api('/jobs'))
      .field('options', JSON.stringify({ type: 'csv_import', target: 'local' }))
      .attach('file', Buffer.from('a,b\n1,2\n'), 'orders.csv');
    expect(created.status).toBe(201);
    const id = created.body.id;
    await until(
      async () => (await request(backend.server).get(api(`/jobs/${id}`))).body,
      job => job.status === 'succeeded',
    );
    await runTask('recovery-source-cleanup');
    const kept = await request(backend.server).get(api(`/jobs/${id}`));
    expect(kept.body.fileRemovedAt).toBeNull();

    // It ended two minutes ago, past the retention of one.
    await backend.db
      .knex('jobs')
      .where({ id })
      .update({
        status: 'cancelled',
        finished_at: new Date(Date.now() - 120_000).toISOString(),
      });
    await runTask('recovery-source-cleanup');
    const { body: job } = await request(backend.server).get(api(`/jobs/${id}`));
    expect(job).toMatchObject({
      status: 'cancelled',
      fileRemovedAt: expect.any(String),
    });
    expect(await fs.readdir(path.join(backend.storageDir, 'sources'))).toEqual(
      [],
    );

    const recovered = await request(backend.server)
      .post(api(`/jobs/${id}/recover`))
      .send({});
    expect(recovered.status).toBe(409);
    expect(recovered.body.error.message).toBe(
      `Job ${id} was cancelled. Its source file orders.csv was removed from ` +
        `storage on ${job.fileRemovedAt} (recovery.storage.sourceRetention); ` +
        'to process the data again, upload the file again as a new job.',
    );
  });
});
