import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import type { Job } from '@rebound/core';
import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import knexFactory from 'knex';
import { POSTGRES_URL } from '../../packages/core/src/testing/databases';
import {
  BackendProcess,
  DATA_DIR,
  fastRecovery,
  postgresBackend,
  tempDir,
  waitFor,
} from './backendProcess';

jest.setTimeout(180_000);

const birdstrikesFile = path.join(DATA_DIR, 'birdstrikes.csv');

async function readCsv(file: string) {
  const text = await fs.readFile(file, 'utf8');
  return {
    text,
    rows: parse(text, { columns: true, bom: true }) as Record<string, string>[],
  };
}

async function upload(
  backend: BackendProcess,
  csv: string,
  name: string,
  batchSize?: number,
) {
  return backend.client.createJob(new Blob([csv]), name, {
    type: 'api_upload',
    target: 'api',
    ...(batchSize ? { batchSize } : {}),
  });
}

async function finished(backend: BackendProcess, id: string): Promise<Job> {
  return waitFor(`job ${id} to succeed`, async () => {
    const job = await backend.client.getJob(id);
    if (['manual_intervention_required', 'cancelled'].includes(job.status)) {
      throw new Error(
        `Job ${id} ended ${job.status}: ${JSON.stringify(job.failure)}`,
      );
    }
    return job.status === 'succeeded' ? job : undefined;
  });
}

describe('a backend process on SQLite', () => {
  let target: UploadTarget;
  let workDir: string;
  let backend: BackendProcess;

  beforeEach(async () => {
    target = await startUploadTarget();
    workDir = await tempDir('e2e');
    backend = await BackendProcess.create(workDir, port => ({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { host: '127.0.0.1', port },
        database: {
          client: 'better-sqlite3',
          connection: { directory: path.join(workDir, 'db') },
        },
      },
      recovery: {
        storage: { dir: path.join(workDir, 'storage') },
        ...fastRecovery(target.url),
      },
    }));
    await backend.start();
  });

  afterEach(async () => {
    await backend.stop();
    await target.close();
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('recovers birdstrikes.csv after 503s mid-job; the target holds every row once', async () => {
    const { text, rows } = await readCsv(birdstrikesFile);
    expect(rows).toHaveLength(10_000);
    target.addFault({
      afterRequests: 8,
      count: 3,
      mode: 'status',
      status: 503,
      retryAfter: 0,
    });

    const job = await upload(backend, text, 'birdstrikes.csv');
    const done = await finished(backend, job.id);

    expect(done.progress).toMatchObject({
      rowsDone: 10_000,
      rowsAccepted: 10_000,
    });
    expect(target.stats().duplicateRows).toBe(0);
    expect(target.records(job.id)).toEqual(rows);
    const history = await backend.client.listRecoveries({ jobId: job.id });
    expect(history.items.length).toBeGreaterThanOrEqual(1);
    expect(
      history.items.every(a => a.failureType === 'temporary_resource'),
    ).toBe(true);
    expect(history.items[0].status).toBe('succeeded');
  });

  it('uploads zipcodes.csv through a 503 and a reset connection, zeros kept', async () => {
    const { text, rows } = await readCsv(path.join(DATA_DIR, 'zipcodes.csv'));
    expect(rows).toHaveLength(42_049);
    target.addFault([
      { afterRequests: 20, mode: 'status', status: 503 },
      // Rules play one after another: this one counts from the 503 on.
      { afterRequests: 10, mode: 'reset', processBeforeFailing: true },
    ]);

    const job = await upload(backend, text, 'zipcodes.csv', 1000);
    await finished(backend, job.id);

    const received = target.records(job.id);
    expect(received).toEqual(rows);
    expect(received[0].zip_code).toBe('00501');
    expect(target.stats().duplicateRows).toBe(0);
    expect(target.stats().faultsInjected).toBe(2);
    // The reset batch was kept by the target, so its replay is a replay.
    expect(target.stats().replays).toBe(1);
  });

  it('resumes from the checkpoint after SIGKILL without re-reading done rows', async () => {
    const { text, rows } = await readCsv(birdstrikesFile);
    // Slow batches keep the job running long enough to kill it mid-way.
    target.addFault({ mode: 'slow', delayMs: 120, count: 1000 });
    const job = await upload(backend, text, 'birdstrikes.csv');

    const atKill = await waitFor('3000 rows checkpointed', async () => {
      const current = await backend.client.getJob(job.id);
      return (current.checkpoint?.rowsDone ?? 0) >= 3000 ? current : undefined;
    });
    backend.kill();
    target.clearFaults();
    await backend.start();

    const done = await finished(backend, job.id);
    expect(done.progress.rowsDone).toBe(10_000);
    expect(target.stats().duplicateRows).toBe(0);
    expect(target.records(job.id)).toEqual(rows);

    const history = await backend.client.listRecoveries({ jobId: job.id });
    const resumed = history.items.find(a => a.status === 'succeeded')!;
    expect(resumed.failureType).toBe('interrupted');
    const resumeRow = resumed.plan.resumeFrom.row;
    expect(resumeRow).toBeGreaterThanOrEqual(atKill.checkpoint!.rowsDone);
    expect(resumed.plan.resumeFrom.byteOffset).toBeGreaterThan(0);
    // The resumed run read only the rows after its checkpoint.
    expect(resumed.rowsProcessed).toBe(10_000 - resumeRow);
  });
});

describe('two backend processes on one PostgreSQL database', () => {
  const prefix = `rebound_e2e_${randomBytes(4).toString('hex')}_`;
  let target: UploadTarget;
  let workDir: string;
  let backends: BackendProcess[];

  beforeAll(async () => {
    target = await startUploadTarget();
    workDir = await tempDir('e2e-pg');
    backends = await Promise.all(
      [1, 2].map(() =>
        BackendProcess.create(workDir, port => ({
          backend: postgresBackend(port, prefix, POSTGRES_URL),
          recovery: {
            storage: { dir: path.join(workDir, 'storage') },
            ...fastRecovery(target.url),
          },
        })),
      ),
    );
    // The first start creates the schema; the second joins it.
    await backends[0].start();
    await backends[1].start();
  });

  afterAll(async () => {
    await Promise.all(backends.map(b => b.stop()));
    await target.close();
    await fs.rm(workDir, { recursive: true, force: true });
    const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
    await admin.raw(`drop database if exists ${prefix}recovery with (force)`);
    await admin.destroy();
  });

  it('shares 20 jobs; one process is killed; every job completes with every row once', async () => {
    const { text } = await readCsv(birdstrikesFile);
    // The file has CRLF line ends; each slice keeps them.
    const [header, ...data] = text.split('\r\n').filter(Boolean);
    const slices = Array.from(
      { length: 20 },
      (_, i) =>
        `${[header, ...data.slice(i * 500, i * 500 + 500)].join('\r\n')}\r\n`,
    );
    target.addFault({ mode: 'slow', delayMs: 60, count: 10_000 });

    const jobs = [];
    for (const [i, csv] of slices.entries()) {
      jobs.push(await upload(backends[i % 2], csv, `slice-${i}.csv`, 50));
    }
    // Kill the first process once both are working.
    await waitFor('both processes to hold jobs', async () => {
      const running = await backends[1].client.listJobs({
        status: 'running',
        limit: 50,
      });
      const done = await backends[1].client.listJobs({
        status: 'succeeded',
        limit: 50,
      });
      return running.items.length >= 4 && done.items.length >= 1
        ? true
        : undefined;
    });
    backends[0].kill();
    target.clearFaults();

    for (const [i, job] of jobs.entries()) {
      await finished(backends[1], job.id);
      const expected = parse(slices[i], { columns: true });
      expect(target.records(job.id)).toEqual(expected);
    }
    expect(target.stats().duplicateRows).toBe(0);
    const interrupted = (
      await backends[1].client.listRecoveries({ limit: 200 })
    ).items.filter(a => a.failureType === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
  });
});
