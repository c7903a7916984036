import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../../../../packages/core/src/testing/databases';
import { recoveryPlugin } from '../plugin';

const USER = mockCredentials.user.header();
const SECRET = 'crm-token-0123456789';

type Server = Parameters<typeof request>[0];

describe.each(DATABASE_KINDS)('GET /targets on %s', kind => {
  let db: TestDatabase;
  let storageDir: string;
  let server: Server;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-targets-'));
    const backend = await startTestBackend({
      features: [
        recoveryPlugin,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            recovery: {
              storage: { dir: storageDir },
              targets: {
                local: { type: 'table', table: 'imported_rows' },
                crm: {
                  type: 'http',
                  url: `https://rebound:${SECRET}@crm.example.com/bulk`,
                  batchSize: 200,
                  timeout: { seconds: 45 },
                  headers: { Authorization: `Bearer ${SECRET}` },
                },
              },
              pipeline: { batchSize: 750, timeout: { seconds: 20 } },
              autoRecovery: { enabled: false },
            },
          },
        }),
      ],
    });
    server = backend.server as unknown as Server;
    stop = () => backend.stop();
  });

  afterEach(async () => {
    await stop();
    // Only now: the backend used this pool until it stopped.
    await db.close();
    await fs.rm(storageDir, { recursive: true, force: true });
  });

  it('lists each target with the batch size and timeout a new job gets', async () => {
    const res = await request(server)
      .get('/api/recovery/targets')
      .set('Authorization', USER);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { name: 'local', type: 'table', batchSize: 750, timeoutMs: 20_000 },
        { name: 'crm', type: 'http', batchSize: 200, timeoutMs: 45_000 },
      ],
    });
  });

  it('shows no URL, header or credential of a target', async () => {
    const res = await request(server)
      .get('/api/recovery/targets')
      .set('Authorization', USER);

    expect(res.status).toBe(200);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('crm.example.com');
    expect(res.text).not.toContain('imported_rows');
  });

  it('answers 401 to a request without credentials, as GET /jobs does', async () => {
    const targets = await request(server).get('/api/recovery/targets');
    const jobs = await request(server).get('/api/recovery/jobs');

    expect(targets.status).toBe(401);
    expect(jobs.status).toBe(401);
  });
});
