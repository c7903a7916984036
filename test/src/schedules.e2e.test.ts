import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import knexFactory from 'knex';
import { POSTGRES_URL } from '../../packages/core/src/testing/databases';
import {
  BackendProcess,
  TOKEN,
  postgresBackend,
  tempDir,
  waitFor,
} from './backendProcess';

jest.setTimeout(180_000);

interface Answer {
  id: string;
  nextRunAt: string;
  items: { id: string; scheduledFor: string; status: string }[];
}

describe('two backend processes on one PostgreSQL with a due schedule', () => {
  const prefix = `rebound_e2e_${randomBytes(4).toString('hex')}_`;
  const received: { slot: string; runId: string }[] = [];
  let hook: http.Server;
  let hookUrl: string;
  let backends: BackendProcess[];

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        const manifest = JSON.parse(body);
        received.push({ slot: manifest.scheduledFor, runId: manifest.runId });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>(resolve => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;

    const workDir = await tempDir('e2e-schedules');
    backends = await Promise.all(
      [1, 2].map(() =>
        BackendProcess.create(workDir, port => ({
          backend: postgresBackend(port, prefix, POSTGRES_URL),
          recovery: {
            storage: { dir: path.join(workDir, 'storage') },
            autoRecovery: { enabled: false },
            schedules: { frequency: { seconds: 1 } },
            delivery: { webhook: { allowedHosts: ['127.0.0.1'] } },
          },
        })),
      ),
    );
    await backends[0].start();
    await backends[1].start();
  });

  afterAll(async () => {
    await Promise.all(backends.map(b => b.stop()));
    await new Promise(resolve => hook.close(resolve));
    const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
    await admin.raw(`drop database if exists ${prefix}recovery with (force)`);
    await admin.destroy();
  });

  const api = async (backend: BackendProcess, url: string, body?: object) => {
    const res = await fetch(
      `http://127.0.0.1:${backend.port}/api/recovery${url}`,
      {
        method: body ? 'POST' : 'GET',
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          'Content-Type': 'application/json',
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      },
    );
    return { status: res.status, body: (await res.json()) as Answer };
  };

  it('runs and delivers the slot once', async () => {
    const created = await api(backends[0], '/schedules', {
      name: 'Every minute',
      cron: '* * * * *',
      timezone: 'Europe/Berlin',
      export: { dataset: 'jobs', format: 'csv' },
      deliveries: [{ type: 'webhook', url: hookUrl }],
      missedRunPolicy: 'skip',
    });
    expect(created.status).toBe(201);
    const slot = created.body.nextRunAt;

    const runs = await waitFor('the first slot to be run', async () => {
      const res = await api(backends[1], `/schedules/${created.body.id}/runs`);
      const run = res.body.items.find(
        r => r.scheduledFor === slot && r.status === 'succeeded',
      );
      return run ? res.body.items : undefined;
    });
    // Both runners have looked at the slot several times by now.
    await new Promise(resolve => setTimeout(resolve, 3_000));
    const atSlot = runs.filter(r => r.scheduledFor === slot);
    expect(atSlot).toHaveLength(1);
    expect(received.filter(r => r.slot === slot)).toEqual([
      { slot, runId: atSlot[0].id },
    ]);
  });
});
