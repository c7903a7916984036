import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import knexFactory from 'knex';
import { AlertService } from '../analytics/AlertService';
import { base64Size } from '../delivery/EmailChannel';
import { signWebhook } from '../delivery/WebhookChannel';
import { unconfiguredChannel } from '../delivery/DeliveryChannel';
import { silentLogger, type Logger } from '../logger';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../testing/databases';
import { missedRunsRule } from './ScheduleService';
import { createHarness, seedJobs, type Harness } from './testing/harness';
import { startHttpServer, startSmtpServer } from './testing/servers';

/** A port nothing listens on, for a mail server that cannot be reached. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

const EXPORT = { dataset: 'jobs', format: 'csv', columns: ['id', 'status'] };

describe.each(DATABASE_KINDS)('scheduled runs on %s', kind => {
  let db: TestDatabase;
  let harness: Harness | undefined;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    db = await createTestDatabase(kind);
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    for (const close of closers.splice(0).reverse()) {
      await close();
    }
    await db.close();
  });

  async function start(options: Parameters<typeof createHarness>[1] = {}) {
    harness = await createHarness(db.knex, options);
    await seedJobs(db.knex);
    return harness;
  }

  it('catches up the newest missed Shanghai slot and records the older as missed', async () => {
    let now = Date.parse('2025-05-31T23:59:00Z');
    const { schedules } = await start({ clock: () => now });
    const schedule = await schedules.create(
      {
        name: 'Nightly',
        cron: '0 8 * * *',
        timezone: 'Asia/Shanghai',
        export: EXPORT,
        deliveries: [
          { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
        ],
      },
      'user:default/ana',
    );
    expect(schedule).toMatchObject({
      nextRunAt: '2025-06-01T00:00:00.000Z',
      missedRunPolicy: 'latest',
      description: 'every day at 08:00',
    });

    now = Date.parse('2025-06-01T00:00:20Z');
    expect((await schedules.tick()).started).toHaveLength(1);
    await schedules.whenIdle();

    now = Date.parse('2025-06-04T01:35:00Z');
    const tick = await schedules.tick();
    expect(tick).toMatchObject({ missed: 2 });
    expect(tick.started).toHaveLength(1);
    await schedules.whenIdle();

    const runs = await schedules.listRuns(schedule.id);
    expect(
      runs
        .map(r => [r.scheduledFor, r.status])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ).toEqual([
      ['2025-06-01T00:00:00.000Z', 'succeeded'],
      ['2025-06-02T00:00:00.000Z', 'missed'],
      ['2025-06-03T00:00:00.000Z', 'missed'],
      ['2025-06-04T00:00:00.000Z', 'succeeded'],
    ]);
    expect(await schedules.get(schedule.id)).toMatchObject({
      lastRunAt: '2025-06-04T00:00:00.000Z',
      nextRunAt: '2025-06-05T00:00:00.000Z',
    });
  });

  it('runs the newest slot after a downtime longer than the slots it records', async () => {
    let now = Date.parse('2025-06-01T00:00:30Z');
    const { schedules } = await start({ clock: () => now });
    const schedule = await schedules.create(
      {
        name: 'Every minute',
        cron: '* * * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [{ type: 'storage', path: 'm/{run}.{ext}' }],
      },
      'user:default/ana',
    );
    now = Date.parse('2025-06-02T00:00:30Z');
    const tick = await schedules.tick();
    await schedules.whenIdle();
    expect(tick.started).toHaveLength(1);
    const [newest] = await schedules.listRuns(schedule.id, 1);
    expect(newest).toMatchObject({
      scheduledFor: '2025-06-02T00:00:00.000Z',
      status: 'succeeded',
    });
    expect((await schedules.get(schedule.id)).nextRunAt).toBe(
      '2025-06-02T00:01:00.000Z',
    );
  });

  it('runs every missed slot under "all" and none late under "skip"', async () => {
    let now = Date.parse('2025-05-31T23:59:00Z');
    const { schedules } = await start({ clock: () => now });
    const body = {
      cron: '0 8 * * *',
      timezone: 'Asia/Shanghai',
      export: EXPORT,
      deliveries: [{ type: 'storage', path: '{schedule}/{run}.{ext}' }],
    };
    const all = await schedules.create(
      { ...body, name: 'all', missedRunPolicy: 'all' },
      'user:default/ana',
    );
    const skip = await schedules.create(
      { ...body, name: 'skip', missedRunPolicy: 'skip' },
      'user:default/ana',
    );
    now = Date.parse('2025-06-03T01:35:00Z');
    await schedules.tick();
    await schedules.whenIdle();
    const statuses = async (id: string) =>
      (await schedules.listRuns(id)).map(r => r.status).sort();
    expect(await statuses(all.id)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(await statuses(skip.id)).toEqual(['missed', 'missed', 'missed']);
  });

  it('runs a due slot once when two runners race for it', async () => {
    let now = Date.parse('2026-01-05T06:59:00Z');
    const clock = () => now;
    const { schedules } = await start({ clock });
    // A second runner: its own connection pool on the same database.
    const other =
      kind === 'postgres'
        ? knexFactory({ client: 'pg', connection: db.connection })
        : db.knex;
    if (other !== db.knex) {
      closers.push(() => other.destroy());
    }
    const second = await createHarness(other, { clock, migrate: false });
    closers.push(() => second.close());

    const schedule = await schedules.create(
      {
        name: 'Monday report',
        cron: '0 8 * * 1',
        timezone: 'Europe/Berlin',
        export: EXPORT,
        deliveries: [{ type: 'storage', path: 'race/{run}.{ext}' }],
      },
      'user:default/ana',
    );
    expect(schedule.nextRunAt).toBe('2026-01-05T07:00:00.000Z');
    now = Date.parse('2026-01-05T07:00:01Z');
    const ticks = await Promise.all([
      schedules.tick(),
      second.schedules.tick(),
      schedules.tick(),
      second.schedules.tick(),
    ]);
    expect(ticks.flatMap(t => t.started)).toHaveLength(1);
    await schedules.whenIdle();
    await second.schedules.whenIdle();
    const runs = await schedules.listRuns(schedule.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'succeeded' });
  });

  it('finishes a run whose process died, and fails one that keeps dying', async () => {
    const { schedules, deliveryRoot } = await start();
    const schedule = await schedules.create(
      {
        name: 'Resumed',
        cron: '0 8 * * 1',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [{ type: 'storage', path: 'resumed/{run}.{ext}' }],
      },
      'user:default/ana',
    );
    const silent = new Date(Date.now() - 10 * 60_000).toISOString();
    const row = (id: string, claims: number, slot: string) => ({
      id,
      schedule_id: schedule.id,
      scheduled_for: slot,
      trigger: 'schedule',
      status: 'running',
      lease_owner: 'dead-host:1',
      heartbeat_at: silent,
      claims,
      created_at: silent,
      started_at: silent,
    });
    await db
      .knex('schedule_runs')
      .insert([
        row(
          '11111111-0000-4000-8000-000000000001',
          1,
          '2025-01-06T08:00:00.000Z',
        ),
        row(
          '11111111-0000-4000-8000-000000000002',
          3,
          '2025-01-13T08:00:00.000Z',
        ),
      ]);
    expect((await schedules.tick()).resumed).toBe(1);
    await schedules.whenIdle();
    const runs = await schedules.listRuns(schedule.id);
    const byId = Object.fromEntries(runs.map(r => [r.id, r]));
    expect(byId['11111111-0000-4000-8000-000000000001']).toMatchObject({
      status: 'succeeded',
    });
    expect(byId['11111111-0000-4000-8000-000000000002']).toMatchObject({
      status: 'failed',
      error: { code: 'run_interrupted' },
    });
    const files = await fs.readdir(path.join(deliveryRoot, 'resumed'));
    expect(files).toEqual(['11111111-0000-4000-8000-000000000001.csv']);
  });

  it('emails the export to a real SMTP server with the same SHA-256', async () => {
    const smtp = await startSmtpServer();
    closers.push(smtp.close);
    const { schedules, exports } = await start({ smtpPort: smtp.port });
    const schedule = await schedules.create(
      {
        name: 'Row errors for the partner',
        cron: '0 6 * * *',
        timezone: 'Europe/Berlin',
        export: EXPORT,
        deliveries: [
          { type: 'email', to: ['partner@example.com', 'ana@example.com'] },
        ],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map(a => [a.recipient, a.status])).toEqual([
      ['partner@example.com', 'delivered'],
      ['ana@example.com', 'delivered'],
    ]);
    const record = await exports.get(done.exportId!);
    expect(smtp.mails).toHaveLength(2);
    const [mail] = smtp.mails;
    expect(mail.to).toEqual(['partner@example.com']);
    expect(mail.subject).toBe(
      'Row errors for the partner: 3 rows of jobs (csv)',
    );
    expect(mail.text).toContain(`SHA-256: ${record.sha256}`);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].fileName).toBe(record.fileName);
    expect(mail.attachments[0].sha256).toBe(record.sha256);
  });

  it('records an SMTP refusal once and retries a temporary one', async () => {
    const smtp = await startSmtpServer(i =>
      i === 0
        ? { code: 550, message: 'Mailbox unavailable' }
        : i === 1
        ? { code: 451, message: 'Try again later' }
        : undefined,
    );
    closers.push(smtp.close);
    const { schedules } = await start({ smtpPort: smtp.port });
    const schedule = await schedules.create(
      {
        name: 'Refused',
        cron: '0 6 * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [
          { type: 'email', to: ['nobody@example.com'] },
          { type: 'email', to: ['later@example.com'] },
        ],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(
      done.attempts.map(a => [a.recipient, a.attempt, a.status, a.retryable]),
    ).toEqual([
      ['nobody@example.com', 1, 'failed', false],
      ['later@example.com', 1, 'failed', true],
      ['later@example.com', 2, 'delivered', null],
    ]);
    expect(done.status).toBe('failed');
    expect(done.error?.message).toMatch(
      /1 of 2 deliveries failed: email to nobody@example.com after 1 attempt: .*refused.*550/,
    );
    expect(smtp.mails.map(m => m.to)).toEqual([['later@example.com']]);
  });

  it('signs webhooks, retries a 500 twice and delivers once', async () => {
    const hook = await startHttpServer((_req, i) =>
      i < 2 ? { status: 500 } : { status: 204 },
    );
    closers.push(hook.close);
    const { schedules, exports, failedRuns } = await start();
    const secret = 'a-very-secret-value';
    const schedule = await schedules.create(
      {
        name: 'Hook',
        cron: '0 6 * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [{ type: 'webhook', url: `${hook.url}/rebound`, secret }],
      },
      'user:default/ana',
    );
    expect(schedule.deliveries).toEqual([
      { type: 'webhook', url: `${hook.url}/rebound`, hasSecret: true },
    ]);
    expect(JSON.stringify(schedule)).not.toContain(secret);

    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map(a => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'delivered'],
    ]);
    expect(done.attempts[0].error?.message).toMatch(/answered 500/);
    expect(failedRuns).toHaveLength(0);
    expect(hook.requests).toHaveLength(3);
    const delivered = hook.requests[2];
    const body = delivered.body.toString();
    const timestamp = String(delivered.headers['x-rebound-timestamp']);
    expect(delivered.headers['x-rebound-signature']).toBe(
      signWebhook(secret, timestamp, body),
    );
    expect(delivered.headers['x-rebound-delivery']).toBe(done.attempts[2].id);
    expect(
      new Set(hook.requests.map(r => r.headers['x-rebound-delivery'])).size,
    ).toBe(3);
    const record = await exports.get(done.exportId!);
    expect(JSON.parse(body)).toEqual({
      exportId: record.id,
      dataset: 'jobs',
      format: 'csv',
      fileName: record.fileName,
      rowCount: 3,
      size: record.size,
      sha256: record.sha256,
      downloadUrl: `http://127.0.0.1:7007/api/recovery/exports/${record.id}/content`,
      scheduleId: schedule.id,
      scheduleName: 'Hook',
      runId: run.id,
      scheduledFor: run.scheduledFor,
    });
  });

  it('fails a run after the last attempt, tells of it, and resends one delivery alone', async () => {
    let failing = true;
    const hook = await startHttpServer(() => ({ status: failing ? 503 : 200 }));
    closers.push(hook.close);
    const { schedules, deliveryRoot, failedRuns } = await start();
    const schedule = await schedules.create(
      {
        name: 'Flaky',
        cron: '0 6 * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [
          { type: 'storage', path: 'flaky/{run}.{ext}' },
          { type: 'webhook', url: `${hook.url}/x` },
        ],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const failed = await schedules.getRun(schedule.id, run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toMatch(
      /1 of 2 deliveries failed: webhook to .* after 3 attempts: .*answered 503/,
    );
    expect(failedRuns.map(r => r.id)).toEqual([run.id]);

    failing = false;
    const lastFailed = failed.attempts.filter(a => a.type === 'webhook').pop()!;
    const resent = await schedules.resend(schedule.id, run.id, lastFailed.id);
    expect(resent.status).toBe('succeeded');
    expect(resent.attempts.map(a => [a.type, a.attempt, a.status])).toEqual([
      ['storage', 1, 'delivered'],
      ['webhook', 1, 'failed'],
      ['webhook', 2, 'failed'],
      ['webhook', 3, 'failed'],
      ['webhook', 4, 'delivered'],
    ]);
    expect(await fs.readdir(path.join(deliveryRoot, 'flaky'))).toHaveLength(1);
  });

  it('copies the file under the delivery root by its template', async () => {
    const { schedules, deliveryRoot, exports } = await start();
    const schedule = await schedules.create(
      {
        name: 'Team/Report',
        cron: '0 8 * * 1',
        timezone: 'Europe/Berlin',
        export: { ...EXPORT, options: { fileName: 'failed jobs' } },
        deliveries: [
          { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
        ],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    // {date} is the run's day in the schedule's zone, not in UTC.
    const date = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin',
    }).format(new Date(run.scheduledFor));
    const relative = `Team_Report/${date}/failed jobs.csv`;
    expect(done.attempts[0]).toMatchObject({
      status: 'delivered',
      detail: { path: relative },
    });
    const content = await fs.readFile(path.join(deliveryRoot, relative));
    expect(createHash('sha256').update(content).digest('hex')).toBe(
      (await exports.get(done.exportId!)).sha256,
    );
    const left = await fs.readdir(path.join(deliveryRoot, 'Team_Report', date));
    expect(left).toEqual(['failed jobs.csv']);
  });

  it('posts to Slack through the three-step upload', async () => {
    const slack = await startHttpServer(request => {
      if (request.path === '/api/files.getUploadURLExternal') {
        return {
          status: 200,
          body: {
            ok: true,
            upload_url: `${slackUrl}/upload/F0001`,
            file_id: 'F0001',
          },
        };
      }
      if (request.path === '/upload/F0001') {
        return { status: 200 };
      }
      return { status: 200, body: { ok: true, files: [{ id: 'F0001' }] } };
    });
    const slackUrl = slack.url;
    closers.push(slack.close);
    const { schedules, exports } = await start({
      slackUrl: `${slack.url}/api`,
    });
    const schedule = await schedules.create(
      {
        name: 'Team channel',
        cron: '0 8 * * 1',
        timezone: 'Europe/Berlin',
        export: EXPORT,
        deliveries: [{ type: 'slack', channel: 'C0123456789' }],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(done.status).toBe('succeeded');
    const record = await exports.get(done.exportId!);
    expect(slack.requests.map(r => r.path)).toEqual([
      '/api/files.getUploadURLExternal',
      '/upload/F0001',
      '/api/files.completeUploadExternal',
    ]);
    const [get, upload, complete] = slack.requests;
    expect(get.headers.authorization).toBe('Bearer xoxb-test');
    expect(
      Object.fromEntries(new URLSearchParams(get.body.toString())),
    ).toEqual({
      filename: record.fileName,
      length: String(record.size),
    });
    expect(createHash('sha256').update(upload.body).digest('hex')).toBe(
      record.sha256,
    );
    const completed = JSON.parse(complete.body.toString());
    expect(completed).toMatchObject({
      files: [{ id: 'F0001', title: record.fileName }],
      channel_id: 'C0123456789',
    });
    expect(completed.initial_comment).toContain(
      'Team channel: jobs export, csv',
    );
  });

  it('retries Slack ratelimited, and records not_in_channel with its reason', async () => {
    let calls = 0;
    const slack = await startHttpServer(request => {
      if (request.path.startsWith('/upload')) {
        return { status: 200 };
      }
      calls += 1;
      if (calls === 1) {
        return {
          status: 200,
          body: { ok: false, error: 'ratelimited' },
          headers: { 'Retry-After': '0' },
        };
      }
      if (request.path === '/api/files.getUploadURLExternal') {
        return {
          status: 200,
          body: { ok: true, upload_url: `${url}/upload/F1`, file_id: 'F1' },
        };
      }
      const body = JSON.parse(request.body.toString());
      return body.channel_id === 'C0000000001'
        ? { status: 200, body: { ok: false, error: 'not_in_channel' } }
        : { status: 200, body: { ok: true } };
    });
    const url = slack.url;
    closers.push(slack.close);
    const { schedules } = await start({ slackUrl: `${slack.url}/api` });
    const schedule = await schedules.create(
      {
        name: 'Slack errors',
        cron: '0 8 * * 1',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [
          { type: 'slack', channel: 'C0000000002' },
          { type: 'slack', channel: 'C0000000001' },
        ],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(
      done.attempts.map(a => [a.recipient, a.attempt, a.status, a.error?.code]),
    ).toEqual([
      ['C0000000002', 1, 'failed', 'slack_ratelimited'],
      ['C0000000002', 2, 'delivered', undefined],
      ['C0000000001', 1, 'failed', 'slack_not_in_channel'],
    ]);
    expect(done.status).toBe('failed');
    expect(done.error?.message).toMatch(
      /not_in_channel; invite the Rebound bot/,
    );
  });

  it('does not run a paused schedule and counts from now on resume', async () => {
    let now = Date.parse('2026-01-05T06:00:00Z');
    const { schedules } = await start({ clock: () => now });
    const schedule = await schedules.create(
      {
        name: 'Paused',
        cron: '0 8 * * *',
        timezone: 'Europe/Berlin',
        export: EXPORT,
        deliveries: [{ type: 'storage', path: 'p/{run}.{ext}' }],
      },
      'user:default/ana',
    );
    const paused = await schedules.update(schedule.id, { enabled: false });
    expect(paused).toMatchObject({ enabled: false, nextRunAt: null });
    now = Date.parse('2026-01-08T06:00:00Z');
    expect((await schedules.tick()).started).toEqual([]);
    const resumed = await schedules.update(schedule.id, { enabled: true });
    expect(resumed.nextRunAt).toBe('2026-01-08T07:00:00.000Z');
    expect(await schedules.listRuns(schedule.id)).toEqual([]);
  });

  it('answers the newest run of each schedule, one query for a page', async () => {
    const hook = await startHttpServer(() => ({ status: 400 }));
    closers.push(hook.close);
    let now = Date.parse('2026-01-05T06:00:00Z');
    const { schedules } = await start({ clock: () => now });
    // A minute apart, so that the list's newest-first order is known.
    const create = (name: string, delivery: object) => {
      now += 60_000;
      return schedules.create(
        {
          name,
          cron: '0 8 * * *',
          timezone: 'UTC',
          export: EXPORT,
          deliveries: [delivery],
        },
        'user:default/ana',
      );
    };
    const twice = await create('Twice', {
      type: 'storage',
      path: 't/{run}.{ext}',
    });
    const refused = await create('Refused', {
      type: 'webhook',
      url: `${hook.url}/x`,
    });
    const never = await create('Never', {
      type: 'storage',
      path: 'n/{run}.{ext}',
    });
    expect(twice.lastRun).toBeNull();

    await schedules.runNow(twice.id);
    await schedules.whenIdle();
    now = Date.parse('2026-01-05T06:10:00Z');
    const second = await schedules.runNow(twice.id);
    const failed = await schedules.runNow(refused.id);
    await schedules.whenIdle();

    expect((await schedules.get(twice.id)).lastRun).toEqual({
      id: second.id,
      status: 'succeeded',
      scheduledFor: '2026-01-05T06:10:00.000Z',
      finishedAt: expect.any(String),
      error: null,
    });
    expect((await schedules.get(refused.id)).lastRun).toMatchObject({
      id: failed.id,
      status: 'failed',
      error: {
        code: 'delivery_failed',
        message: expect.stringMatching(/answered 400/),
      },
    });
    expect((await schedules.get(never.id)).lastRun).toBeNull();

    const runQueries: string[] = [];
    const count = (query: { sql: string }) => {
      if (query.sql.includes('schedule_runs')) {
        runQueries.push(query.sql);
      }
    };
    db.knex.on('query', count);
    const page = await schedules.list({ limit: 2 });
    db.knex.removeListener('query', count);
    expect(runQueries).toHaveLength(1);
    expect(page.items.map(s => [s.name, s.lastRun?.id ?? null])).toEqual([
      ['Never', null],
      ['Refused', failed.id],
    ]);
    const rest = await schedules.list({ limit: 2, cursor: page.nextCursor! });
    expect(rest.items.map(s => [s.name, s.lastRun?.id])).toEqual([
      ['Twice', second.id],
    ]);
  });

  it('sends a download link instead of a file too large to attach or post', async () => {
    const smtp = await startSmtpServer();
    closers.push(smtp.close);
    const slack = await startHttpServer(() => ({
      status: 200,
      body: { ok: true, ts: '1.2' },
    }));
    closers.push(slack.close);
    const { schedules, exports } = await start({
      smtpPort: smtp.port,
      slackUrl: `${slack.url}/api`,
      emailMaxAttachmentBytes: 100,
      slackMaxFileBytes: 10,
    });
    const schedule = await schedules.create(
      {
        name: 'Big',
        cron: '0 6 * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [
          { type: 'email', to: ['ana@example.com'] },
          { type: 'slack', channel: 'C0123456789' },
        ],
      },
      'user:default/ana',
    );
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(done.status).toBe('succeeded');
    const record = await exports.get(done.exportId!);
    expect(base64Size(record.size!)).toBeGreaterThan(100);
    expect(smtp.mails[0].attachments).toEqual([]);
    expect(smtp.mails[0].text).toContain(
      `download it from ${record.downloadUrl}`,
    );
    expect(done.attempts[0].detail).toMatchObject({ attached: false });
    expect(slack.requests.map(r => r.path)).toEqual(['/api/chat.postMessage']);
    expect(JSON.parse(slack.requests[0].body.toString()).text).toContain(
      record.downloadUrl,
    );
  });

  it('records a delivery whose channel is no longer configured', async () => {
    const { schedules } = await start();
    const schedule = await schedules.create(
      {
        name: 'Orphan',
        cron: '0 6 * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [{ type: 'storage', path: 'o/{run}.{ext}' }],
      },
      'user:default/ana',
    );
    await db
      .knex('schedules')
      .where({ id: schedule.id })
      .update({
        deliveries: JSON.stringify([{ type: 'fax', number: '1' }]),
      });
    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);
    expect(done.status).toBe('failed');
    expect(done.attempts[0].error?.code).toBe('channel_not_configured');
    expect(done.error?.message).toMatch(
      /^1 of 1 delivery failed: fax to fax after 1 attempt: /,
    );
  });

  it('words failed deliveries without server paths, mail hosts or API routes, and logs the cause', async () => {
    const logged: { message: string; meta: unknown; fields: object }[] = [];
    const capture = (fields: object): Logger => ({
      error: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      warn: (message, meta) => logged.push({ message, meta, fields }),
      child: more => capture({ ...fields, ...more }),
    });
    const closedPort = await freePort();
    const { schedules, deliveryRoot } = await start({
      smtpPort: closedPort,
      logger: capture({}),
      settings: { maxAttempts: 1 },
    });
    // A file where the template needs a folder: the copy cannot be written.
    await fs.writeFile(path.join(deliveryRoot, 'blocked'), 'in the way');
    const schedule = await schedules.create(
      {
        name: 'Words',
        cron: '0 6 * * *',
        timezone: 'UTC',
        export: EXPORT,
        deliveries: [
          { type: 'storage', path: 'blocked/{name}.{ext}' },
          { type: 'email', to: ['ana@example.com'] },
        ],
      },
      'user:default/ana',
    );

    const run = await schedules.runNow(schedule.id);
    await schedules.whenIdle();
    const done = await schedules.getRun(schedule.id, run.id);

    const [storage, email] = done.attempts;
    expect(storage.recipient).toBe('blocked/{name}.{ext}');
    expect(storage.detail).toEqual({
      path: expect.stringMatching(/^blocked\/jobs-.*\.csv$/),
    });
    expect(storage.error).toEqual({
      code: 'storage_write_failed',
      message: expect.stringMatching(
        /^The file could not be written to blocked\/jobs-.*\.csv in the delivery folder \(a file or folder of that name is in the way\)\. If this persists, ask an administrator/,
      ),
    });
    expect(email.error).toEqual({
      code: 'smtp_unreachable',
      message: expect.stringMatching(/^The mail server could not be reached/),
    });
    const words = JSON.stringify(done);
    expect(words).not.toContain(deliveryRoot);
    expect(words).not.toContain(`127.0.0.1:${closedPort}`);
    expect(words).not.toMatch(/POST \/|GET \//);
    expect(done.error?.message).toMatch(
      /^2 of 2 deliveries failed: storage to blocked\/\{name\}\.\{ext\} after 1 attempt: .* Once the cause is fixed, resend each failed delivery; those delivered are not sent again\.$/,
    );

    // The operator still finds the server's path in the log.
    const storageLog = logged.find(
      l => (l.fields as { code?: string }).code === 'storage_write_failed',
    );
    expect(storageLog).toMatchObject({
      message: 'Delivery attempt failed',
      fields: { scheduleId: schedule.id, runId: run.id, attempt: 1 },
    });
    expect(String((storageLog!.meta as Error).message)).toContain(deliveryRoot);
  });

  it('refuses a delivery that repeats another, so that no file is overwritten', async () => {
    const { schedules } = await start();
    const create = (deliveries: object[]) =>
      schedules.create(
        {
          name: 'Twice',
          cron: '0 6 * * *',
          timezone: 'UTC',
          export: EXPORT,
          deliveries,
        },
        'user:default/ana',
      );
    const refused: [object[], RegExp][] = [
      [
        [
          { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
          { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
        ],
        /^deliveries\[1\] repeats deliveries\[0\]: both write the file to "\{schedule\}\/\{date\}\/\{name\}\.\{ext\}", so the second would overwrite the first; remove one, or give it another path\.$/,
      ],
      [
        [
          { type: 'email', to: ['ana@example.com'] },
          { type: 'storage', path: 'x/{name}.{ext}' },
          { type: 'email', to: ['bo@example.com', 'Ana@Example.com'] },
        ],
        /^deliveries\[2\] repeats deliveries\[0\]: both send the file to Ana@Example\.com/,
      ],
      [
        [{ type: 'email', to: ['ana@example.com', 'ana@example.com'] }],
        /^deliveries\[0\] lists ana@example\.com twice/,
      ],
      [
        [
          { type: 'webhook', url: 'http://127.0.0.1:9/hook' },
          { type: 'webhook', url: 'http://127.0.0.1:9/hook' },
        ],
        /^deliveries\[1\] repeats deliveries\[0\]: both call http:\/\/127\.0\.0\.1:9\/hook/,
      ],
    ];
    for (const [deliveries, message] of refused) {
      await expect(create(deliveries)).rejects.toMatchObject({
        code: 'duplicate_delivery',
        message: expect.stringMatching(message),
      });
    }

    // The same type to other recipients is two deliveries, not a repeat.
    const both = await create([
      { type: 'storage', path: 'a/{name}.{ext}' },
      { type: 'storage', path: 'b/{name}.{ext}' },
      { type: 'email', to: ['ana@example.com'] },
      { type: 'email', to: ['bo@example.com'] },
    ]);
    expect(both.deliveries).toHaveLength(4);
  });

  it('lists each channel and whether it can deliver', async () => {
    const { deliveries } = await start({ allowedHosts: [] });
    deliveries.register(unconfiguredChannel('fax', 'recovery.delivery.fax'));
    expect(deliveries.describe()).toEqual([
      { type: 'email', configured: true },
      {
        type: 'webhook',
        configured: false,
        missingConfig: 'recovery.delivery.webhook.allowedHosts',
      },
      { type: 'storage', configured: true },
      { type: 'slack', configured: true },
      {
        type: 'fax',
        configured: false,
        missingConfig: 'recovery.delivery.fax',
      },
    ]);
  });

  it('previews from a given instant up to 50 runs, and refuses other counts and starts', async () => {
    const { schedules } = await start({
      clock: () => Date.parse('2024-12-01T00:00:00Z'),
    });
    const fifty = schedules.preview({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      count: 50,
    });
    expect(fifty.runs).toHaveLength(50);
    expect(fifty.from).toBe('2024-12-01T00:00:00.000Z');
    expect(fifty.warnings).toHaveLength(2);

    const later = schedules.preview({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      from: '2025-03-29T23:00:00Z',
      count: 1,
    });
    expect(later.runs.map(r => r.at)).toEqual(['2025-03-30T01:30:00.000Z']);
    expect(later.daylightSaving.next?.run.at).toBe('2025-03-30T01:30:00.000Z');

    const refused: [object, RegExp][] = [
      [{ count: 51 }, /^count is 51; allowed: a whole number from 1 to 50/],
      [{ count: 0 }, /^count is 0;/],
      [{ count: 2.5 }, /^count is 2\.5;/],
      [{ count: '5' }, /^count is "5";/],
      [
        { from: 'next monday' },
        /^from is "next monday", which is not an instant/,
      ],
      [{ from: 20250301 }, /^from is 20250301, which is not an instant/],
    ];
    for (const [extra, message] of refused) {
      expect(() =>
        schedules.preview({ cron: '0 8 * * 1', timezone: 'UTC', ...extra }),
      ).toThrow(message);
    }
  });

  it('opens a missed_runs alert and tells it through a delivery', async () => {
    const hook = await startHttpServer(() => ({ status: 200 }));
    closers.push(hook.close);
    let now = Date.parse('2025-05-31T23:59:00Z');
    const { schedules } = await start({ clock: () => now });
    const schedule = await schedules.create(
      {
        name: 'Nightly',
        cron: '0 8 * * *',
        timezone: 'Asia/Shanghai',
        export: EXPORT,
        deliveries: [{ type: 'storage', path: 'n/{run}.{ext}' }],
      },
      'user:default/ana',
    );
    now = Date.parse('2025-06-04T01:35:00Z');
    await schedules.tick();
    await schedules.whenIdle();
    const alerts = new AlertService(
      db.knex,
      [missedRunsRule(db.knex, { windowMs: 3600_000 })],
      silentLogger,
      (alert, change) =>
        schedules.sendMessage(
          [{ type: 'webhook', url: `${hook.url}/alerts` }],
          {
            subject: `Rebound alert ${change}: ${alert.kind}`,
            text: alert.message,
          },
        ),
    );
    const { opened } = await alerts.evaluate();
    expect(opened).toMatchObject([
      { kind: 'missed_runs', scope: schedule.id, value: 3 },
    ]);
    // Lists name the schedule, whose id alone says nothing to a reader.
    expect(await alerts.list()).toMatchObject([
      { scope: schedule.id, scopeName: 'Nightly' },
    ]);
    expect(JSON.parse(hook.requests[0].body.toString())).toEqual({
      alert: 'Rebound alert opened: missed_runs',
      message: expect.stringContaining('Schedule "Nightly" has 3 missed'),
    });
  });
});
