import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signWebhook } from '@rebound/core';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  DATABASE_KINDS,
  type DatabaseKind,
} from '../../../../packages/core/src/testing/databases';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
  type Server,
} from './testBackend';

const USER = mockCredentials.user.header();

interface Hook {
  url: string;
  received: { path: string; headers: http.IncomingHttpHeaders; body: string }[];
  status: number[];
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const hook = {
    received: [] as Hook['received'],
    status: [] as number[],
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      hook.received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(hook.status.shift() ?? 200).end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...hook,
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function startBackend(
  kind: DatabaseKind,
  alertsUrl: string,
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return startRecoveryTestBackend(kind, {
    recovery: {
      schedules: { frequency: { hours: 1 } },
      delivery: {
        email: {
          smtp: { host: '127.0.0.1', port: 2525, from: 'r@example.com' },
        },
        webhook: { allowedHosts: ['127.0.0.1'] },
        slack: { token: 'xoxb-test', baseUrl: 'http://127.0.0.1:9/api' },
        retry: { maxAttempts: 2, backoff: { base: { milliseconds: 5 } } },
        alerts: [{ type: 'webhook', url: alertsUrl }],
      },
    },
    features: [mockServices.permissions.factory({ result: permission })],
  });
}

describe.each(DATABASE_KINDS)('schedule routes on %s', kind => {
  let backend: RecoveryTestBackend;
  let server: Server;
  let hook: Hook;

  beforeEach(async () => {
    hook = await startHook();
    backend = await startBackend(kind, hook.url.replace('/hook', '/alerts'));
    server = backend.server;
  });

  afterEach(async () => {
    await backend.stop();
    await hook.close();
  });

  const call = (method: 'get' | 'post' | 'patch' | 'delete', url: string) =>
    request(server)[method](`/api/recovery${url}`).set('Authorization', USER);
  const body = (extra: object = {}) => ({
    name: 'Failed jobs for the team',
    cron: '0 8 * * 1',
    timezone: 'Europe/Berlin',
    export: { dataset: 'jobs', format: 'csv' },
    deliveries: [{ type: 'webhook', url: hook.url, secret: 's3cret-value' }],
    ...extra,
  });

  async function waitForAlert() {
    for (let i = 0; i < 200; i++) {
      const alert = hook.received.find(r => r.path === '/alerts');
      if (alert) {
        return alert;
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error('no alert arrived');
  }

  async function waitForRun(scheduleId: string, runId: string) {
    for (let i = 0; i < 200; i++) {
      const run = await call('get', `/schedules/${scheduleId}/runs/${runId}`);
      if (!['pending', 'running'].includes(run.body.status)) {
        return run.body;
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  it('creates, reads, changes and deletes a schedule, never showing the secret', async () => {
    const created = await call('post', '/schedules').send(body());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Failed jobs for the team',
      owner: 'user:default/mock',
      cron: '0 8 * * 1',
      timezone: 'Europe/Berlin',
      description: 'every Monday at 08:00',
      enabled: true,
      missedRunPolicy: 'latest',
      lastRunAt: null,
      lastRun: null,
      deliveries: [{ type: 'webhook', url: hook.url, hasSecret: true }],
    });
    expect(Date.parse(created.body.nextRunAt)).toBeGreaterThan(Date.now());
    const id = created.body.id;

    const list = await call('get', '/schedules');
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(JSON.stringify(list.body)).not.toContain('s3cret-value');

    const changed = await call('patch', `/schedules/${id}`).send({
      cron: '30 6 * * *',
      deliveries: [{ type: 'webhook', url: hook.url }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      description: 'every day at 06:30',
      deliveries: [{ type: 'webhook', url: hook.url, hasSecret: true }],
    });

    const paused = await call('post', `/schedules/${id}/pause`);
    expect(paused.body).toMatchObject({ enabled: false, nextRunAt: null });
    const resumed = await call('post', `/schedules/${id}/resume`);
    expect(resumed.body.nextRunAt).not.toBeNull();

    expect((await call('delete', `/schedules/${id}`)).status).toBe(204);
    expect((await call('get', `/schedules/${id}`)).status).toBe(404);
  });

  it('runs a schedule now, signs the webhook and lists the run with its attempts', async () => {
    hook.status.push(500);
    const { body: schedule } = await call('post', '/schedules').send(body());
    const started = await call('post', `/schedules/${schedule.id}/run`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      trigger: 'manual',
      status: 'running',
    });
    const run = await waitForRun(schedule.id, started.body.id);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.exportId).toEqual(expect.any(String));
    expect(run.attempts.map((a: { status: string }) => a.status)).toEqual([
      'failed',
      'delivered',
    ]);
    const last = hook.received[1];
    expect(last.headers['x-rebound-signature']).toBe(
      signWebhook(
        's3cret-value',
        String(last.headers['x-rebound-timestamp']),
        last.body,
      ),
    );
    expect(JSON.parse(last.body)).toMatchObject({
      exportId: run.exportId,
      scheduleId: schedule.id,
      runId: run.id,
      rowCount: 0,
    });
    const runs = await call('get', `/schedules/${schedule.id}/runs`);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0].attempts).toHaveLength(2);
  });

  it('fails a run after the last attempt and resends that delivery alone', async () => {
    hook.status.push(500, 500);
    const { body: schedule } = await call('post', '/schedules').send(
      body({
        deliveries: [
          { type: 'webhook', url: hook.url },
          { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
        ],
      }),
    );
    const started = await call('post', `/schedules/${schedule.id}/run`);
    const failed = await waitForRun(schedule.id, started.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error.message).toMatch(/webhook .* after 2 attempts: .*500/);
    // Words for the API and the portal alike: no route to call.
    expect(failed.error.message).toMatch(
      /Once the cause is fixed, resend each failed delivery/,
    );
    expect(failed.error.message).not.toMatch(/POST \//);
    const lastRun = {
      id: failed.id,
      status: 'failed',
      scheduledFor: failed.scheduledFor,
      finishedAt: failed.finishedAt,
      error: failed.error,
    };
    const listed = await call('get', '/schedules');
    expect(listed.body.items[0].lastRun).toEqual(lastRun);
    const one = await call('get', `/schedules/${schedule.id}`);
    expect(one.body.lastRun).toEqual(lastRun);
    const alert = await waitForAlert();
    expect(JSON.parse(alert.body)).toEqual({
      alert: 'Scheduled export "Failed jobs for the team" failed',
      message: expect.stringContaining(`Run ${failed.id} of schedule`),
    });
    const attempt = failed.attempts.find(
      (a: { type: string }) => a.type === 'webhook',
    );
    const resent = await call(
      'post',
      `/schedules/${schedule.id}/runs/${failed.id}/attempts/${attempt.id}/resend`,
    );
    expect(resent.status).toBe(200);
    expect(resent.body.status).toBe('succeeded');
    expect(
      resent.body.attempts.map((a: { type: string; status: string }) => [
        a.type,
        a.status,
      ]),
    ).toEqual([
      ['webhook', 'failed'],
      ['webhook', 'failed'],
      ['storage', 'delivered'],
      ['webhook', 'delivered'],
    ]);
    expect(hook.received.filter(r => r.path === '/hook')).toHaveLength(3);
  });

  it('previews the next runs with the daylight-saving warning', async () => {
    const res = await call('post', '/schedules/preview').send({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      from: '2025-03-28T23:59:59Z',
      count: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body.runs.map((r: { at: string }) => r.at)).toEqual([
      '2025-03-30T01:30:00.000Z',
      '2025-04-06T00:30:00.000Z',
    ]);
    expect(res.body.warnings).toEqual([
      expect.stringMatching(/02:30 does not exist on 2025-03-30/),
    ]);
    expect(
      (
        await call('post', '/schedules/preview').send({
          cron: '0 8 * *',
          timezone: 'UTC',
        })
      ).status,
    ).toBe(400);
  });

  it('previews up to 50 runs from a later start, with the change a year ahead', async () => {
    const res = await call('post', '/schedules/preview').send({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      from: '2024-12-01T00:00:00Z',
      count: 50,
    });
    expect(res.status).toBe(200);
    expect(res.body.runs).toHaveLength(50);
    expect(res.body.from).toBe('2024-12-01T00:00:00.000Z');
    expect(res.body.daylightSaving).toEqual({
      checkedUntil: '2025-12-02T00:00:00.000Z',
      next: expect.objectContaining({
        at: '2025-03-30T01:00:00.000Z',
        clocks: 'forward',
        run: expect.objectContaining({ at: '2025-03-30T01:30:00.000Z' }),
      }),
    });

    const five = await call('post', '/schedules/preview').send({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      from: '2024-12-01T00:00:00Z',
    });
    expect(five.body.runs).toHaveLength(5);
    expect(five.body.warnings).toEqual([]);
    expect(five.body.daylightSaving.next.run.at).toBe(
      '2025-03-30T01:30:00.000Z',
    );

    for (const [extra, message] of [
      [{ count: 51 }, /^count is 51; allowed: a whole number from 1 to 50/],
      [{ from: 'soon' }, /^from is "soon", which is not an instant/],
    ] as const) {
      const refused = await call('post', '/schedules/preview').send({
        cron: '0 8 * * 1',
        timezone: 'UTC',
        ...extra,
      });
      expect([refused.status, refused.body.error?.name]).toEqual([
        400,
        'InputError',
      ]);
      expect(refused.body.error.message).toMatch(message);
    }
  });

  it('lists every delivery channel as configured, without hosts or secrets', async () => {
    const res = await call('get', '/delivery-channels');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { type: 'email', configured: true },
        { type: 'webhook', configured: true },
        { type: 'storage', configured: true },
        { type: 'slack', configured: true },
      ],
    });
    expect(res.text).not.toContain('127.0.0.1');
    expect(res.text).not.toContain('xoxb-test');
    expect(
      (await request(server).get('/api/recovery/delivery-channels')).status,
    ).toBe(401);
  });

  it('answers 400 naming each bad field', async () => {
    const cases: [object, RegExp][] = [
      [
        { cron: '61 25 * * 1' },
        /cron "61 25 \* \* 1" is not valid: minute 61 is not 0–59; hour 25 is not 0–23;/,
      ],
      [{ timezone: 'Europe/Atlantis' }, /timezone is "Europe\/Atlantis"/],
      [
        { deliveries: [{ type: 'fax', number: '1' }] },
        /deliveries\[0\]\.type is "fax".*allowed: email, webhook, storage, slack/,
      ],
      [
        { deliveries: [{ type: 'email', to: ['not-an-address'] }] },
        /deliveries\[0\]\.to\[0\] is "not-an-address", which is not an email address/,
      ],
      [
        { deliveries: [{ type: 'webhook', url: 'http://evil.example.com/x' }] },
        /deliveries\[0\]\.url calls evil\.example\.com, which is not in recovery\.delivery\.webhook\.allowedHosts/,
      ],
      [
        { deliveries: [{ type: 'slack', channel: '#team' }] },
        /deliveries\[0\]\.channel is "#team"; Slack needs the channel id/,
      ],
      [
        { deliveries: [{ type: 'storage', path: '../{name}.{ext}' }] },
        /deliveries\[0\]\.path "\.\.\/\{name\}\.\{ext\}" would leave the delivery root/,
      ],
      [{ export: { dataset: 'sales', format: 'csv' } }, /^export: .*"sales"/],
      [
        { missedRunPolicy: 'never' },
        /missedRunPolicy is "never"; allowed: skip, latest, all/,
      ],
      [{ deliveries: [] }, /deliveries must list at least one delivery/],
      [
        {
          deliveries: [
            { type: 'storage', path: 'team/{date}/{name}.{ext}' },
            { type: 'storage', path: 'team/{date}/{name}.{ext}' },
          ],
        },
        /^deliveries\[1\] repeats deliveries\[0\]: both write the file to "team\/\{date\}\/\{name\}\.\{ext\}", so the second would overwrite the first/,
      ],
    ];
    for (const [extra, message] of cases) {
      const res = await call('post', '/schedules').send(body(extra));
      expect([res.status, res.body.error?.name]).toEqual([400, 'InputError']);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await call('get', '/schedules')).body.items).toEqual([]);
  });

  it('refuses anonymous callers and unknown schedules', async () => {
    expect((await request(server).get('/api/recovery/schedules')).status).toBe(
      401,
    );
    expect((await call('get', '/schedules/nope')).status).toBe(404);
    expect((await call('post', '/schedules/nope/run')).status).toBe(404);
    expect((await call('get', '/schedules/nope/runs')).status).toBe(404);
  });
});

describe('schedule routes without recovery.schedule.manage', () => {
  it('answers 403 on writes and still allows reads', async () => {
    const backend = await startBackend(
      'sqlite',
      'http://127.0.0.1:9/alerts',
      AuthorizeResult.DENY,
    );
    try {
      const server = backend.server;
      const denied = await request(server)
        .post('/api/recovery/schedules')
        .set('Authorization', USER)
        .send({});
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(/recovery\.schedule\.manage/);
      const list = await request(server)
        .get('/api/recovery/schedules')
        .set('Authorization', USER);
      expect(list.status).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});

describe.each(DATABASE_KINDS)(
  'GET /delivery-channels without delivery config on %s',
  kind => {
    it('names the config key each unconfigured channel lacks, and refuses such a delivery', async () => {
      const backend = await startRecoveryTestBackend(kind, {
        recovery: { schedules: { frequency: { hours: 1 } } },
      });
      try {
        const call = (method: 'get' | 'post', url: string) =>
          request(backend.server)
            [method](`/api/recovery${url}`)
            .set('Authorization', USER);

        const res = await call('get', '/delivery-channels');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          items: [
            {
              type: 'email',
              configured: false,
              missingConfig: 'recovery.delivery.email.smtp',
            },
            {
              type: 'webhook',
              configured: false,
              missingConfig: 'recovery.delivery.webhook.allowedHosts',
            },
            { type: 'storage', configured: true },
            {
              type: 'slack',
              configured: false,
              missingConfig: 'recovery.delivery.slack.token',
            },
          ],
        });
        expect(res.text).not.toContain(backend.storageDir);

        const refused = await call('post', '/schedules').send({
          name: 'Mail',
          cron: '0 8 * * 1',
          timezone: 'UTC',
          export: { dataset: 'jobs', format: 'csv' },
          deliveries: [{ type: 'email', to: ['ana@example.com'] }],
        });
        expect(refused.status).toBe(400);
        expect(refused.body.error.message).toBe(
          'deliveries[0]: email deliveries are not configured on this ' +
            'backend; an administrator sets recovery.delivery.email.smtp, ' +
            'or choose another delivery type.',
        );
      } finally {
        await backend.stop();
      }
    });
  },
);
