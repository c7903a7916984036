import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../../packages/core/src/testing/databases';
import { recoveryPlugin } from './plugin';

describe('permissions', () => {
  let storageDir: string;
  let db: TestDatabase;

  beforeEach(async () => {
    storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-perm-'));
    db = await createTestDatabase('sqlite');
  });

  afterEach(async () => {
    await db.close();
    await fs.rm(storageDir, { recursive: true, force: true });
  });

  async function backendWith(
    result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) {
    return startTestBackend({
      features: [
        recoveryPlugin,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.permissions.factory({ result }),
        mockServices.rootConfig.factory({
          data: {
            recovery: {
              storage: { dir: storageDir },
              targets: { local: { type: 'table', table: 'imported_rows' } },
              autoRecovery: { enabled: false },
            },
          },
        }),
      ],
    });
  }

  it('refuses uploads, recoveries and cancels the policy denies, with 403', async () => {
    const backend = await backendWith(AuthorizeResult.DENY);
    const { server } = backend;
    try {
      const upload = await request(server)
        .post('/api/recovery/jobs')
        .field(
          'options',
          JSON.stringify({ type: 'csv_import', target: 'local' }),
        )
        .attach('file', Buffer.from('a,b\n1,2\n'), 'data.csv');
      expect(upload.status).toBe(403);
      expect(upload.body.error.message).toContain('recovery.job.create');

      const recover = await request(server)
        .post('/api/recovery/jobs/some-id/recover')
        .send({});
      expect(recover.status).toBe(403);
      expect(recover.body.error.message).toContain('recovery.job.recover');

      const batch = await request(server)
        .post('/api/recovery/recoveries')
        .send({ dryRun: true });
      expect(batch.status).toBe(403);

      const cancel = await request(server).post(
        '/api/recovery/jobs/some-id/cancel',
      );
      expect(cancel.status).toBe(403);

      const exported = await request(server)
        .post('/api/recovery/exports')
        .send({ dataset: 'jobs', format: 'csv' });
      expect(exported.status).toBe(403);
      expect(exported.body.error.message).toContain('recovery.export.create');

      // Reading stays open to anyone signed in.
      const list = await request(server).get('/api/recovery/jobs');
      expect(list.status).toBe(200);
    } finally {
      await backend.stop();
    }
  });

  it('lets an allowed user upload a job', async () => {
    const backend = await backendWith(AuthorizeResult.ALLOW);
    const { server } = backend;
    try {
      const upload = await request(server)
        .post('/api/recovery/jobs')
        .field(
          'options',
          JSON.stringify({ type: 'csv_import', target: 'local' }),
        )
        .attach('file', Buffer.from('a,b\n1,2\n'), 'data.csv');
      expect(upload.status).toBe(201);
      expect(upload.body).toMatchObject({
        status: 'pending',
        columns: ['a', 'b'],
      });
    } finally {
      await backend.stop();
    }
  });
});
