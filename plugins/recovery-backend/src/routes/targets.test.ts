import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../../packages/core/src/testing/databases';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
  type Server,
} from './testBackend';

const USER = mockCredentials.user.header();
const SECRET = 'crm-token-0123456789';

describe.each(DATABASE_KINDS)('GET /targets on %s', kind => {
  let backend: RecoveryTestBackend;
  let server: Server;

  beforeEach(async () => {
    backend = await startRecoveryTestBackend(kind, {
      targets: {
        crm: {
          type: 'http',
          url: `https://rebound:${SECRET}@crm.example.com/bulk`,
          batchSize: 200,
          timeout: { seconds: 45 },
          headers: { Authorization: `Bearer ${SECRET}` },
        },
      },
      recovery: { pipeline: { batchSize: 750, timeout: { seconds: 20 } } },
    });
    server = backend.server;
  });

  afterEach(async () => {
    await backend.stop();
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
