import { mockCredentials } from '@backstage/backend-test-utils';
import { failureSignature } from '@rebound/core';
import type { Knex } from 'knex';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../../packages/core/src/testing/databases';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
  type Server,
} from './testBackend';

const USER = mockCredentials.user.header();
const JOB_ID = '00000000-0000-4000-8000-00000000a001';

/** One upload to crm that failed with a 503 and was recovered. */
async function seed(knex: Knex) {
  const at = '2026-11-30T10:00:00.000Z';
  await knex('source_files').insert({
    id: 'f1',
    name: 'contacts.csv',
    size: 10,
    sha256: 'ab'.repeat(32),
    storage_key: 'sources/f1',
    created_at: at,
  });
  await knex('jobs').insert({
    id: JOB_ID,
    type: 'api_upload',
    status: 'succeeded',
    target: 'crm',
    priority: 'normal',
    priority_rank: 2,
    file_id: 'f1',
    options: JSON.stringify({ type: 'api_upload', target: 'crm' }),
    settings: JSON.stringify({ batchSize: 500, timeoutMs: 30_000 }),
    created_at: at,
    updated_at: '2026-11-30T10:20:00.000Z',
    finished_at: '2026-11-30T10:20:00.000Z',
    rows_done: 400,
    rows_quarantined: 4,
  });
  const message =
    "Target 'crm' answered 503 Service Unavailable for rows 1-500: busy";
  await knex('failures').insert({
    job_id: JOB_ID,
    job_type: 'api_upload',
    target: 'crm',
    type: 'temporary_resource',
    message,
    signature: failureSignature(message),
    http_status: 503,
    at: '2026-11-30T10:05:00.000Z',
  });
  await knex('recovery_attempts').insert({
    id: 'a1',
    job_id: JOB_ID,
    attempt: 1,
    trigger: 'automatic',
    target: 'crm',
    failure_type: 'temporary_resource',
    strategy: 'automatic_retry',
    plan: JSON.stringify({ adjustments: {} }),
    status: 'succeeded',
    created_at: '2026-11-30T10:06:00.000Z',
    finished_at: '2026-11-30T10:20:00.000Z',
  });
}

describe.each(DATABASE_KINDS)('GET /analytics on %s', kind => {
  let backend: RecoveryTestBackend;
  let server: Server;

  beforeEach(async () => {
    backend = await startRecoveryTestBackend(kind);
    server = backend.server;
    await seed(backend.db.knex);
  });

  afterEach(async () => {
    await backend.stop();
  });

  const get = (url: string) =>
    request(server).get(`/api/recovery${url}`).set('Authorization', USER);

  it('reports the period asked for', async () => {
    const res = await get('/analytics?from=2026-11-30&to=2026-12-01T00:00:00Z');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      empty: false,
      summary: {
        failures: 1,
        attempts: 1,
        successes: 1,
        rate: 1,
        recoverableAttempts: 1,
        recoverableSuccesses: 1,
        recoverableRate: 1,
      },
      successRateByFailureType: [
        { key: 'temporary_resource', attempts: 1, successes: 1, rate: 1 },
      ],
      successRateByJobType: [
        { key: 'api_upload', attempts: 1, successes: 1, rate: 1 },
      ],
      successRateByTarget: [{ key: 'crm', attempts: 1, successes: 1, rate: 1 }],
      timeToRecover: { count: 1, medianMs: 900_000, p90Ms: 900_000 },
      attemptsPerRecoveredJob: { count: 1, mean: 1, median: 1, max: 1 },
      quarantine: { rowsDone: 400, rowsQuarantined: 4, share: 0.01 },
      manualIntervention: {
        waiting: 0,
        oldestWaitingMs: null,
        medianWaitingMs: null,
      },
      patterns: [
        {
          signature:
            "Target '…' answered <n> Service Unavailable for rows <n>-<n>: busy",
          count: 1,
          previousCount: 0,
          trend: 'new',
          jobIds: [JOB_ID],
        },
      ],
      failuresByTarget: [
        { target: 'crm', failures: 1, types: { temporary_resource: 1 } },
      ],
      overTime: [
        { date: '2026-11-30', failures: 1, recoveries: 1, successes: 1 },
      ],
      recommendations: [],
      alerts: [],
    });
    expect(res.body.failuresByHour).toHaveLength(24);
    expect(res.body.failuresByHour[10]).toEqual({ hour: 10, failures: 1 });
  });

  it('lists the alerts open now with the name of their schedule, and those resolved in the period', async () => {
    const knex = backend.db.knex;
    const scheduleId = '00000000-0000-4000-8000-00000000c001';
    await knex('schedules').insert({
      id: scheduleId,
      name: 'Nightly failed jobs',
      owner: 'user:default/ana',
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      export_request: JSON.stringify({ dataset: 'jobs', format: 'csv' }),
      deliveries: JSON.stringify([{ type: 'storage', path: 'n/{run}.{ext}' }]),
      enabled: true,
      missed_run_policy: 'latest',
      last_run_at: null,
      next_run_at: '2026-12-01T01:00:00.000Z',
      version: 0,
      created_at: '2026-11-01T00:00:00.000Z',
      updated_at: '2026-11-01T00:00:00.000Z',
    });
    const alert = (id: string, fields: object) => ({
      id,
      kind: 'missed_runs',
      scope: scheduleId,
      message: 'Schedule "Nightly failed jobs" has 1 missed or failed run.',
      value: 1,
      threshold: 0,
      opened_at: '2026-11-30T03:00:00.000Z',
      updated_at: '2026-11-30T03:00:00.000Z',
      ...fields,
    });
    await knex('alerts').insert([
      alert('al-open', { status: 'open', resolved_at: null }),
      alert('al-in', {
        status: 'resolved',
        resolved_at: '2026-11-30T04:00:00.000Z',
      }),
      // Resolved after the period: not of it.
      alert('al-after', {
        status: 'resolved',
        resolved_at: '2026-12-02T04:00:00.000Z',
      }),
    ]);

    const res = await get('/analytics?from=2026-11-30&to=2026-12-01T00:00:00Z');

    expect(res.status).toBe(200);
    expect(res.body.alerts.map((a: { id: string }) => a.id).sort()).toEqual([
      'al-in',
      'al-open',
    ]);
    for (const listed of res.body.alerts) {
      expect(listed).toMatchObject({
        scope: scheduleId,
        scopeName: 'Nightly failed jobs',
      });
    }
  });

  it('reports the last seven days by default', async () => {
    const before = Date.now();
    const res = await get('/analytics');
    const after = Date.now();

    expect(res.status).toBe(200);
    const to = Date.parse(res.body.to);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(after);
    expect(to - Date.parse(res.body.from)).toBe(7 * 86_400_000);
    // One bucket a day, the partial first and last days included.
    expect(res.body.overTime).toHaveLength(to % 86_400_000 === 0 ? 7 : 8);
  });

  it.each([
    ['from=last-week', "from is 'last-week', not a date"],
    ['from=2026-12-01&to=2026-11-01', 'from (2026-12-01) must be before to'],
    ['to=2026-02-30', "to is '2026-02-30', not a date"],
    ['from=2024-01-01&to=2026-01-01', 'may be at most 366 days'],
    ['from=2026-11-01&from=2026-11-02', "Query parameter 'from'"],
  ])('refuses %s with a 400 that names it', async (query, message) => {
    const res = await get(`/analytics?${query}`);

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
  });

  it('refuses a request without credentials with a 401', async () => {
    const res = await request(server).get('/api/recovery/analytics');

    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });
});
