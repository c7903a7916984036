import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
} from './testBackend';

/** Uploads and requests a careless user sends, and what they get back. */
describe('checks of uploads and recovery requests', () => {
  let backend: RecoveryTestBackend;

  beforeAll(async () => {
    backend = await startRecoveryTestBackend('sqlite', {
      recovery: { workers: { pollInterval: { milliseconds: 50 } } },
      // These requests carry no credentials; here they count as a user’s.
      defaultCredentials: mockCredentials.user(),
    });
  });

  afterAll(async () => {
    await backend.stop();
  });

  const upload = (options: unknown, csv: string | Buffer, name = 'data.csv') =>
    request(backend.server)
      .post('/api/recovery/jobs')
      .field('options', JSON.stringify(options))
      .attach('file', Buffer.from(csv), name);

  async function settled(id: string) {
    for (let i = 0; i < 200; i++) {
      const job = await request(backend.server).get(`/api/recovery/jobs/${id}`);
      if (!['pending', 'running'].includes(job.body.status)) {
        return job.body;
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error(`Job ${id} did not settle`);
  }

  it('refuses a rename onto an existing column, which would lose its values', async () => {
    const res = await upload(
      {
        type: 'csv_import',
        target: 'local',
        transforms: [{ column: 'a', op: 'rename', to: 'b' }],
      },
      'a,b\n1,2\n',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /renames 'a' to 'b', which is already a column/,
    );
  });

  it('refuses a transform of a column the file lacks, naming the columns it has', async () => {
    const res = await upload(
      {
        type: 'csv_import',
        target: 'local',
        transforms: [{ column: 'zz', op: 'trim' }],
      },
      'a,b\n1,2\n',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("'zz'");
    expect(res.body.error.message).toContain('a, b');
  });

  it('refuses two file parts instead of keeping one silently', async () => {
    const res = await request(backend.server)
      .post('/api/recovery/jobs')
      .field('options', JSON.stringify({ type: 'csv_import', target: 'local' }))
      .attach('file', Buffer.from('a\n1\n'), 'one.csv')
      .attach('file', Buffer.from('b\n2\n'), 'two.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/two "file" fields/);
  });

  it('keeps a non-ASCII file name as it was sent', async () => {
    const res = await upload(
      { type: 'csv_import', target: 'local' },
      'a\n1\n',
      'Résumé_日本語.csv',
    );
    expect(res.status).toBe(201);
    expect(res.body.fileName).toBe('Résumé_日本語.csv');
  });

  it('points a UTF-16 file at the encoding option, and takes the encoding in any case', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('a,b\n1,2\n', 'utf16le'),
    ]);
    const refused = await upload(
      { type: 'csv_import', target: 'local' },
      utf16,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'the encoding utf-16le (`encoding` in the options)',
    );

    const accepted = await upload(
      { type: 'csv_import', target: 'local', encoding: 'UTF-8' },
      'a\n1\n',
    );
    expect(accepted.status).toBe(201);
  });

  it('says once what was wrong, without repeating the cause', async () => {
    const res = await request(backend.server).get('/api/recovery/jobs/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('There is no job nope.');
  });

  it('answers a body that is not JSON with a 400 that says so', async () => {
    const res = await request(backend.server)
      .post('/api/recovery/recoveries')
      .set('content-type', 'application/json')
      .send('garbage');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/request body is not valid JSON/);
  });

  it('checks the failure type of a batch filter and refuses ids with a filter', async () => {
    const type = await request(backend.server)
      .post('/api/recovery/recoveries')
      .send({ filter: { failureType: 'nope' } });
    expect(type.status).toBe(400);
    expect(type.body.error.message).toMatch(
      /filter.failureType is 'nope'; allowed: timeout/,
    );

    const both = await request(backend.server)
      .post('/api/recovery/recoveries')
      .send({ jobIds: ['x'], filter: { target: 'local' } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('Give jobIds or filter, not both.');
  });

  it('lets a job that waits for a person be cancelled, and keeps a bad file manual', async () => {
    const created = await upload(
      { type: 'csv_import', target: 'local' },
      'a,b\n1,"never closed\n',
    );
    const failed = await settled(created.body.id);
    expect(failed.failure.type).toBe('data_quality');

    const recovered = await request(backend.server)
      .post(`/api/recovery/jobs/${created.body.id}/recover`)
      .send({});
    expect(recovered.status).toBe(200);
    expect(recovered.body.plan.strategy).toBe('manual_intervention');
    expect(recovered.body.job.status).toBe('manual_intervention_required');

    // Retrying cannot fix the file: the plan stays manual.
    const analysis = await request(backend.server).get(
      `/api/recovery/jobs/${created.body.id}/analysis`,
    );
    expect(analysis.body.plan.strategy).toBe('manual_intervention');

    const cancelled = await request(backend.server).post(
      `/api/recovery/jobs/${created.body.id}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });
});
