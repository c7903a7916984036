import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Failure, Job } from '../client/types';
import { ReboundError } from '../errors';
import type { Logger } from '../logger';
import { runJob, type RunResult } from '../pipeline/runJob';
import { recordFailure } from '../analytics/failureLog';
import { reboundMetrics } from '../metrics';
import { classifyFailure } from '../recovery/classifier';
import { LeaseLostError } from '../store/DatabaseJobStore';
import type { JobStore } from '../store/JobStore';
import type { StorageService } from '../storage/StorageService';
import type { TargetRegistry } from '../targets/TargetRegistry';
import { isoNow, sleep } from '../time';

/** @public */
export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  maxRecordBytes: number;
  /** Unique per process; defaults to host, pid and a random part. */
  owner?: string;
}

/** @public */
export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 2,
  leaseMs: 30_000,
  pollMs: 1_000,
  maxRecordBytes: 1024 * 1024,
};

/**
 * Claims pending jobs and runs them while holding a lease it renews. Any
 * number of workers, in any number of processes, share one database.
 *
 * @public
 */
export class JobWorker {
  readonly owner: string;
  private readonly running = new Map<string, AbortController>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: () => void = () => {};

  constructor(
    private readonly deps: {
      store: JobStore;
      storage: StorageService;
      targets: TargetRegistry;
      logger: Logger;
      /** Told of each job that ended failed, for automatic recovery. */
      onFailed?: (job: Job) => Promise<void>;
    },
    private readonly options: WorkerOptions,
  ) {
    this.owner =
      options.owner ??
      `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (!this.loop) {
      this.stopping = false;
      this.loop = this.poll();
    }
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp();
  }

  /**
   * Stops claiming and interrupts running jobs: each is failed as
   * `interrupted` at its last checkpoint, for recovery to resume.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const controller of this.running.values()) {
      controller.abort(shutdownError());
    }
    this.wakeUp();
    await this.loop;
    while (this.running.size > 0) {
      await sleep(50);
    }
    this.loop = undefined;
  }

  /** Jobs this worker runs right now. */
  activeJobs(): string[] {
    return [...this.running.keys()];
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      try {
        while (!this.stopping && this.running.size < this.options.concurrency) {
          const job = await this.deps.store.claimNext(
            this.owner,
            this.options.leaseMs,
          );
          if (!job) {
            break;
          }
          this.launch(job);
        }
      } catch (error) {
        this.deps.logger.warn('Could not claim jobs', error as Error);
      }
      await new Promise<void>(resolve => {
        this.wakeUp = resolve;
        // The server keeps the process alive, not an idle worker.
        setTimeout(resolve, this.options.pollMs).unref();
      });
    }
  }

  private launch(job: Job) {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    if (this.stopping) {
      // Claimed while stop() ran: fail it at its checkpoint at once.
      controller.abort(shutdownError());
    }
    this.execute(job, controller)
      .catch(error =>
        this.deps.logger.error(
          `Worker failed on job ${job.id}`,
          error as Error,
        ),
      )
      .finally(() => {
        this.running.delete(job.id);
        this.wakeUp();
      });
  }

  private async execute(job: Job, controller: AbortController) {
    const { store } = this.deps;
    const log = this.deps.logger.child({
      jobId: job.id,
      attempt: job.attempts,
    });
    const attemptId = await this.currentAttempt(job.id);
    if (attemptId) {
      await store.updateAttempt(attemptId, 'running', { started: true });
    }
    const heartbeat = setInterval(async () => {
      try {
        if (
          !(await store.renewLease(job.id, this.owner, this.options.leaseMs))
        ) {
          controller.abort(new LeaseLostError(job.id));
        }
      } catch (error) {
        log.warn('Could not renew the lease', error as Error);
      }
    }, Math.max(100, Math.floor(this.options.leaseMs / 3)));
    heartbeat.unref();

    log.info(`Job ${job.id} started`, {
      resumeRow: job.checkpoint?.rowsDone ?? 0,
      byteOffset: job.checkpoint?.byteOffset ?? 0,
    });
    try {
      const result = await runJob(job, {
        store,
        storage: this.deps.storage,
        targets: this.deps.targets,
        owner: this.owner,
        signal: controller.signal,
        logger: log,
        maxRecordBytes: this.options.maxRecordBytes,
      });
      await this.succeed(job, result, attemptId, log);
    } catch (error) {
      await this.fail(job, error, controller, attemptId, log);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async succeed(
    job: Job,
    result: RunResult,
    attemptId: string | undefined,
    log: Logger,
  ) {
    await this.deps.store
      .knex('jobs')
      .where({ id: job.id, lease_owner: this.owner })
      .update({ rows_total: result.rowsDone, bytes_done: job.fileSize });
    const summary =
      `${result.rowsDone} rows: ${result.rowsAccepted} accepted, ` +
      `${result.rowsRejected} rejected, ${result.rowsQuarantined} quarantined; ` +
      `this run read ${result.rowsRead} rows from row ${
        result.resumedFrom.row + 1
      }`;
    const done = await this.deps.store.finishRun(
      job.id,
      this.owner,
      'succeeded',
      null,
      attemptId
        ? {
            id: attemptId,
            outcome: `Recovered: ${summary}`,
            rowsProcessed: result.rowsRead,
          }
        : undefined,
    );
    if (!done) {
      throw new LeaseLostError(job.id);
    }
    reboundMetrics.jobFinished(
      { status: 'succeeded', type: job.type, target: job.target },
      secondsSince(done.startedAt),
      result.rowsAccepted - (job.checkpoint?.rowsAccepted ?? 0),
    );
    if (attemptId) {
      reboundMetrics.recovery({ outcome: 'succeeded', target: job.target });
    }
    log.info(`Job ${job.id} succeeded: ${summary}`, { ...result });
  }

  private async fail(
    job: Job,
    error: unknown,
    controller: AbortController,
    attemptId: string | undefined,
    log: Logger,
  ) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    if (reason instanceof LeaseLostError) {
      const current = await this.deps.store.getJob(job.id);
      if (current?.status === 'cancelled') {
        if (attemptId) {
          await this.deps.store.updateAttempt(attemptId, 'cancelled', {
            outcome: 'The job was cancelled while it ran.',
          });
        }
        log.info(`Job ${job.id} was cancelled; its run stopped`);
        return;
      }
      log.warn(`Job ${job.id} was taken over; this worker stopped`, reason);
      return;
    }
    const failure: Failure =
      (reason as ReboundError)?.code === 'shutdown'
        ? interruptedFailure('The backend shut down during the run.')
        : classifyFailure(reason);
    const failed = await this.deps.store.finishRun(
      job.id,
      this.owner,
      'failed',
      failure,
      attemptId
        ? { id: attemptId, outcome: `${failure.type}: ${failure.message}` }
        : undefined,
    );
    if (failed) {
      await recordFailure(this.deps.store.knex, job, failure);
      reboundMetrics.failure({ type: failure.type, target: job.target });
      reboundMetrics.jobFinished(
        { status: 'failed', type: job.type, target: job.target },
        secondsSince(failed.startedAt),
        0,
      );
      if (attemptId) {
        reboundMetrics.recovery({ outcome: 'failed', target: job.target });
      }
    }
    log.warn(`Job ${job.id} failed: ${failure.type}`, {
      failureType: failure.type,
      message: failure.message,
    });
    if (failed && this.deps.onFailed && !this.stopping) {
      await this.deps.onFailed(failed);
    }
  }

  private async currentAttempt(jobId: string): Promise<string | undefined> {
    const row = await this.deps.store
      .knex('jobs')
      .where({ id: jobId })
      .first('current_attempt_id');
    return row?.current_attempt_id ?? undefined;
  }
}

function shutdownError(): ReboundError {
  return new ReboundError(
    'internal',
    'shutdown',
    'The backend is shutting down.',
  );
}

function secondsSince(iso: string | null): number {
  return iso ? Math.max(0, (Date.now() - Date.parse(iso)) / 1000) : 0;
}

/** The failure the reaper and a shutdown give a run that stopped. @public */
export function interruptedFailure(message: string): Failure {
  return {
    type: 'interrupted',
    message,
    recoverability: 'high',
    confidence: 1,
    evidence: { code: 'lease_expired' },
    at: isoNow(),
  };
}
