import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Job, JobOptions, JobStatus } from '../client/types';
import {
  DEFAULT_JOB_DEFAULTS,
  JobService,
  type JobDefaults,
} from '../jobs/JobService';
import { silentLogger } from '../logger';
import {
  DEFAULT_RECOVERY_POLICY,
  type RecoveryPolicy,
} from '../recovery/planner';
import { RecoveryEngine } from '../recovery/RecoveryEngine';
import { DatabaseJobStore } from '../store/DatabaseJobStore';
import { LocalStorageService } from '../storage/LocalStorageService';
import { TargetRegistry, type TargetConfig } from '../targets/TargetRegistry';
import { sleep } from '../time';
import {
  DEFAULT_WORKER_OPTIONS,
  JobWorker,
  type WorkerOptions,
} from '../worker/JobWorker';
import {
  createTestDatabase,
  type DatabaseKind,
  type TestDatabase,
} from './databases';

/** The core wired as the backend wires it, on a test database. */
export interface TestRebound {
  db: TestDatabase;
  store: DatabaseJobStore;
  storage: LocalStorageService;
  storageDir: string;
  targets: TargetRegistry;
  jobs: JobService;
  engine: RecoveryEngine;
  worker: JobWorker;
  submit(
    csv: string | Buffer,
    options: JobOptions,
    fileName?: string,
  ): Promise<Job>;
  waitFor(
    jobId: string,
    statuses: JobStatus[],
    timeoutMs?: number,
  ): Promise<Job>;
  close(): Promise<void>;
}

export async function createTestRebound(
  kind: DatabaseKind,
  options: {
    targets: Record<string, TargetConfig>;
    policy?: Partial<RecoveryPolicy>;
    worker?: Partial<WorkerOptions>;
    jobDefaults?: Partial<JobDefaults>;
    autoRecover?: boolean;
  },
): Promise<TestRebound> {
  const db = await createTestDatabase(kind);
  const store = await DatabaseJobStore.create(db.knex);
  const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-test-'));
  const storage = await LocalStorageService.create(storageDir);
  const targets = new TargetRegistry(options.targets);
  const jobs = new JobService(store, storage, targets, {
    ...DEFAULT_JOB_DEFAULTS,
    ...options.jobDefaults,
  });
  let wake = () => {};
  const engine = new RecoveryEngine(
    store,
    {
      ...DEFAULT_RECOVERY_POLICY,
      backoff: { baseMs: 10, capMs: 50 },
      ...options.policy,
    },
    silentLogger,
    () => wake(),
  );
  const worker = new JobWorker(
    {
      store,
      storage,
      targets,
      logger: silentLogger,
      onFailed: options.autoRecover
        ? async job => {
            await engine.recoverAutomatically(job).catch(() => undefined);
          }
        : undefined,
    },
    { ...DEFAULT_WORKER_OPTIONS, pollMs: 50, ...options.worker },
  );
  wake = () => worker.wake();
  worker.start();

  return {
    db,
    store,
    storage,
    storageDir,
    targets,
    jobs,
    engine,
    worker,
    async submit(csv, jobOptions, fileName = 'data.csv') {
      const job = await jobs.createJob({
        fileName,
        body: Readable.from([Buffer.from(csv)]),
        options: jobs.parseOptions(jobOptions),
      });
      worker.wake();
      return job;
    },
    async waitFor(jobId, statuses, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = (await store.getJob(jobId))!;
        if (statuses.includes(job.status)) {
          return job;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Job ${jobId} is ${job.status}, not ${statuses.join(
              '/',
            )}, after ${timeoutMs} ms: ` + JSON.stringify(job.failure),
          );
        }
        await sleep(20);
      }
    },
    async close() {
      await worker.stop();
      await db.close();
      await fs.rm(storageDir, { recursive: true, force: true });
    },
  };
}
