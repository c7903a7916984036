import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import type {
  Adjustments,
  BatchRecoveryItem,
  BatchRecoveryRequest,
  BatchRecoveryResult,
  FailureAnalysis,
  Job,
  JobSettings,
  JobStatus,
  Priority,
  RecoveryPlan,
  RecoveryTrigger,
} from '../client/types';
import { PRIORITIES } from '../client/types';
import { conflict, inputError, notFound, ReboundError } from '../errors';
import type { Logger } from '../logger';
import { PRIORITY_RANK } from '../store/DatabaseJobStore';
import type { JobStore } from '../store/JobStore';
import { isoIn, sleep } from '../time';
import { adjustSettings, buildPlan, type RecoveryPolicy } from './planner';
import { countStalledAttempts } from './progress';

const RECOVERABLE: JobStatus[] = ['failed', 'manual_intervention_required'];
const TERMINAL: JobStatus[] = [
  'succeeded',
  'failed',
  'manual_intervention_required',
  'cancelled',
];

/** @public */
export interface RecoverOptions {
  trigger: RecoveryTrigger;
  requestedBy?: string;
  priority?: Priority;
  adjustments?: Adjustments;
  /**
   * False: should this recovery fail, the automatic recovery leaves the
   * job to a person. A manual or batch recovery without it allows
   * automatic retries again.
   */
  autoRetry?: boolean;
}

/**
 * Analyses failed jobs, plans their recovery and executes the plan
 * through the job's compare-and-set, keeping a history of every attempt.
 *
 * @public
 */
export class RecoveryEngine {
  constructor(
    private readonly store: JobStore,
    private readonly policy: RecoveryPolicy,
    private readonly logger: Logger,
    /** Called when a job becomes pending, to wake the local worker. */
    private readonly onPending: () => void = () => {},
  ) {}

  async analyse(
    jobId: string,
    trigger: RecoveryTrigger = 'manual',
  ): Promise<FailureAnalysis> {
    const job = await this.getJob(jobId);
    const history = await this.store.listAttempts({ jobId, limit: 1 });
    const base = {
      jobId,
      status: job.status,
      failure: job.failure,
      history: {
        attempts: job.attempts,
        lastOutcome: history.items[0]?.status ?? null,
      },
    };
    if (!RECOVERABLE.includes(job.status) || !job.failure) {
      return {
        ...base,
        plan: null,
        recoverable: false,
        reason: notRecoverableReason(job),
      };
    }
    return {
      ...base,
      plan: await this.plan(job, trigger),
      recoverable: true,
    };
  }

  /** Executes the plan for one job; 409 when it is not recoverable. */
  async recover(
    jobId: string,
    options: RecoverOptions,
  ): Promise<{ job: Job; plan: RecoveryPlan }> {
    const job = await this.getJob(jobId);
    if (!RECOVERABLE.includes(job.status) || !job.failure) {
      throw conflict('not_recoverable', notRecoverableReason(job));
    }
    const plan = await this.plan(job, options.trigger, options.adjustments);
    if (options.trigger !== 'manual') {
      await this.checkBudget(job);
    }
    return this.execute(job, plan, options);
  }

  /**
   * Recovers a failed job on its own when its plan is automatic, unless a
   * person's recovery asked to be left the job should it fail again
   * (`settings.autoRetry` false).
   */
  async recoverAutomatically(job: Job): Promise<RecoveryPlan | undefined> {
    if (
      job.status !== 'failed' ||
      !job.failure ||
      job.settings.autoRetry === false
    ) {
      return undefined;
    }
    const plan = await this.plan(job, 'automatic');
    if (plan.strategy === 'investigation_required') {
      return plan;
    }
    if (plan.automatic) {
      await this.checkBudget(job);
    }
    await this.execute(job, plan, { trigger: 'automatic' });
    return plan;
  }

  /** Many jobs by priority then age, with bounded concurrency. */
  async recoverMany(
    request: BatchRecoveryRequest,
    requestedBy?: string,
  ): Promise<BatchRecoveryResult> {
    const result: BatchRecoveryResult = {
      dryRun: !!request.dryRun,
      successful: [],
      failed: [],
      skipped: [],
    };
    const jobs = await this.selectJobs(request, result);
    const queue = new PQueue({
      concurrency: checkConcurrency(request.concurrency),
    });

    for (const job of jobs) {
      const priority = request.priority ?? job.priority;
      queue.add(
        () => this.recoverOne(job, priority, request, requestedBy, result),
        {
          // p-queue runs higher numbers first.
          priority: PRIORITIES.length - PRIORITY_RANK[priority],
        },
      );
    }
    await queue.onIdle();
    return result;
  }

  /** One pass of the automatic sweep over failed jobs. */
  async sweep(
    limit = 500,
  ): Promise<{ recovered: number; manual: number; skipped: number }> {
    const counts = { recovered: 0, manual: 0, skipped: 0 };
    for (const job of await this.store.listByStatus('failed', limit)) {
      try {
        const plan = await this.recoverAutomatically(job);
        if (!plan || plan.strategy === 'investigation_required') {
          counts.skipped += 1;
        } else if (plan.automatic) {
          counts.recovered += 1;
        } else {
          counts.manual += 1;
        }
      } catch (error) {
        counts.skipped += 1;
        if ((error as ReboundError).code !== 'retry_budget_spent') {
          this.logger.warn(
            `Automatic recovery of job ${job.id} failed`,
            error as Error,
          );
        }
      }
    }
    return counts;
  }

  private async recoverOne(
    job: Job,
    priority: Priority,
    request: BatchRecoveryRequest,
    requestedBy: string | undefined,
    result: BatchRecoveryResult,
  ) {
    const item: BatchRecoveryItem = { jobId: job.id, priority, reason: '' };
    try {
      // With includeManual the person asking plans each job as their own
      // recovery of it would; the attempt is still recorded as a batch's.
      const plan = await this.plan(
        job,
        request.includeManual ? 'manual' : 'batch',
      );
      item.plan = plan;
      if (!plan.automatic) {
        item.reason = `Not retried: ${plan.reason}`;
        result.skipped.push(item);
        return;
      }
      if (request.dryRun) {
        item.reason = `Would ${plan.strategy.replace(/_/g, ' ')}: ${
          plan.reason
        }`;
        result.successful.push(item);
        return;
      }
      await this.checkBudget(job);
      const executed = await this.execute(job, plan, {
        trigger: 'batch',
        requestedBy,
        priority,
        autoRetry: request.autoRetry,
      });
      item.status = executed.job.status;
      if (!request.wait) {
        item.reason = `Recovery scheduled: ${plan.reason}`;
        result.successful.push(item);
        return;
      }
      const final = await this.waitForJob(job.id);
      item.status = final.status;
      item.reason =
        final.status === 'succeeded'
          ? `Recovered: ${final.progress.rowsDone} rows done`
          : `Recovery ended ${final.status}: ${final.failure?.message ?? ''}`;
      (final.status === 'succeeded' ? result.successful : result.failed).push(
        item,
      );
    } catch (error) {
      item.reason = (error as Error).message;
      const code = (error as ReboundError).code;
      (code === 'job_changed' || code === 'retry_budget_spent'
        ? result.skipped
        : result.failed
      ).push(item);
    }
  }

  private async selectJobs(
    request: BatchRecoveryRequest,
    result: BatchRecoveryResult,
  ): Promise<Job[]> {
    let jobs: Job[] = [];
    if (request.jobIds) {
      if (!Array.isArray(request.jobIds) || request.jobIds.length > 1000) {
        throw inputError(
          'invalid_job_ids',
          'jobIds must be an array of at most 1000 job ids.',
        );
      }
      const ids = [...new Set(request.jobIds.map(String))];
      jobs = (await this.store.listJobs({ ids, limit: 500 })).items;
      for (const id of ids.slice(500)) {
        const job = await this.store.getJob(id);
        if (job) {
          jobs.push(job);
        }
      }
      const found = new Set(jobs.map(j => j.id));
      for (const id of ids.filter(i => !found.has(i))) {
        result.skipped.push({
          jobId: id,
          priority: 'normal',
          reason: `No job ${id}.`,
        });
      }
    } else {
      const filter = request.filter ?? {};
      let cursor: string | undefined;
      do {
        const page = await this.store.listJobs({
          status: filter.status ?? 'failed',
          failureType: filter.failureType,
          target: filter.target,
          limit: 500,
          cursor,
        });
        jobs.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && jobs.length < 5000);
    }

    const recoverable = jobs.filter(job => {
      if (RECOVERABLE.includes(job.status) && job.failure) {
        return true;
      }
      result.skipped.push({
        jobId: job.id,
        priority: job.priority,
        reason: notRecoverableReason(job),
        status: job.status,
      });
      return false;
    });
    return recoverable.sort(
      (a, b) =>
        PRIORITY_RANK[request.priority ?? a.priority] -
          PRIORITY_RANK[request.priority ?? b.priority] ||
        a.createdAt.localeCompare(b.createdAt),
    );
  }

  private async plan(
    job: Job,
    trigger: RecoveryTrigger,
    adjustments?: Adjustments,
  ): Promise<RecoveryPlan> {
    const history = await this.store.attemptOutcomesByFailureType(
      job.failure!.type,
    );
    // The cap needs no more runs than it allows in a row.
    const runs = await this.store.listRunAttempts(
      job.id,
      this.policy.maxAttempts,
    );
    return buildPlan({
      job,
      failure: job.failure!,
      trigger,
      policy: this.policy,
      history,
      stalledAttempts: countStalledAttempts(
        runs,
        job.checkpoint?.rowsDone ?? 0,
      ),
      adjustments,
    });
  }

  private async execute(
    job: Job,
    plan: RecoveryPlan,
    options: RecoverOptions,
  ): Promise<{ job: Job; plan: RecoveryPlan }> {
    const log = this.logger.child({ jobId: job.id, attempt: plan.attempt });
    const attemptId = randomUUID();

    if (!plan.automatic) {
      // The decision is recorded before the job changes state, so that
      // whoever sees the job waiting for a person also finds why.
      await this.recordAttempt(
        attemptId,
        job,
        plan,
        options,
        'manual',
        plan.reason,
      );
      const manual =
        job.status === 'manual_intervention_required'
          ? job
          : await this.unlessAnotherWon(attemptId, () =>
              this.store.transition(job, 'manual_intervention_required', {
                currentAttemptId: attemptId,
              }),
            );
      log.info(`Job ${job.id} needs manual intervention: ${plan.reason}`);
      return { job: manual, plan };
    }

    // The attempt is recorded before the job turns pending: a worker may
    // claim and finish the job at once, writing its outcome on the attempt.
    await this.recordAttempt(attemptId, job, plan, options, 'scheduled', null);
    const pending = await this.unlessAnotherWon(attemptId, () =>
      this.store.transition(job, 'pending', {
        attempts: job.attempts + 1,
        settings: withAutoRetry(
          adjustSettings(job.settings, plan.adjustments),
          options,
        ),
        notBefore: isoIn(plan.delayMs),
        priority: options.priority,
        currentAttemptId: attemptId,
      }),
    );
    log.info(
      `Recovery of job ${job.id} scheduled: ${plan.strategy} in ${plan.delayMs} ms`,
      { strategy: plan.strategy, failureType: plan.failureType },
    );
    this.onPending();
    return { job: pending, plan };
  }

  /** Runs a transition; when another change won, its attempt never was. */
  private async unlessAnotherWon(
    attemptId: string,
    transition: () => Promise<Job>,
  ): Promise<Job> {
    try {
      return await transition();
    } catch (error) {
      await this.store.knex('recovery_attempts').where({ id: attemptId }).del();
      throw error;
    }
  }

  private async recordAttempt(
    id: string,
    job: Job,
    plan: RecoveryPlan,
    options: RecoverOptions,
    status: 'manual' | 'scheduled',
    outcome: string | null,
  ) {
    await this.store.createAttempt({
      id,
      jobId: job.id,
      attempt: plan.attempt,
      trigger: options.trigger,
      target: job.target,
      failureType: plan.failureType,
      strategy: plan.strategy,
      plan,
      status,
      outcome,
      requestedBy: options.requestedBy ?? null,
    });
  }

  /** One budget per target: automatic retries per window, all jobs. */
  private async checkBudget(job: Job) {
    const { retries, windowMs } = this.policy.targetBudget;
    const since = isoIn(-windowMs);
    const used = await this.store.countAttemptsSince(job.target, since, [
      'automatic',
      'batch',
    ]);
    if (used >= retries) {
      throw new ReboundError(
        'conflict',
        'retry_budget_spent',
        `The retry budget of target '${job.target}' is spent: ${used} ` +
          `automatic retries in the last ${
            windowMs / 1000
          } s (recovery.retry.` +
          `targetBudget.retries = ${retries}). The job is retried when the window allows.`,
      );
    }
  }

  private async waitForJob(jobId: string, timeoutMs = 600_000): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.getJob(jobId);
      if (TERMINAL.includes(job.status) || Date.now() > deadline) {
        return job;
      }
      await sleep(250);
    }
  }

  private async getJob(jobId: string): Promise<Job> {
    const job = await this.store.getJob(jobId);
    if (!job) {
      throw notFound('job_not_found', `There is no job ${jobId}.`);
    }
    return job;
  }
}

function notRecoverableReason(job: Job): string {
  switch (job.status) {
    case 'succeeded':
      return (
        `Job ${job.id} succeeded; there is nothing to recover.` +
        (job.fileRemovedAt ? ` ${sourceRemoved(job)}` : '')
      );
    case 'pending':
    case 'running':
      return `Job ${job.id} is ${job.status}; only failed jobs can be recovered.`;
    case 'cancelled':
      return job.fileRemovedAt
        ? `Job ${job.id} was cancelled. ${sourceRemoved(job)}`
        : `Job ${job.id} was cancelled, and a cancelled job is not run or ` +
            `recovered again. ${cancelledRows(job)}`;
    default:
      return `Job ${job.id} has no recorded failure.`;
  }
}

/**
 * What a cancelled job left at its target, and how to send the rest
 * without sending a row twice.
 */
function cancelledRows(job: Job): string {
  const done = job.checkpoint?.rowsDone ?? 0;
  const doubt = job.checkpoint?.inDoubt;
  if (done === 0 && !doubt) {
    return 'None of its rows was loaded: upload the file again to run it.';
  }
  const handled =
    done > 0
      ? `Rows 1-${done} were handled (${job.progress.rowsAccepted} loaded ` +
        `into target '${job.target}')`
      : `No row is known to have reached target '${job.target}'`;
  const inFlight = doubt
    ? `; rows ${doubt.firstRow}-${doubt.lastRow} were in flight and may ` +
      'or may not have reached it'
    : '';
  const check = doubt
    ? `, leaving out those of rows ${doubt.firstRow}-${doubt.lastRow} ` +
      'that the target has'
    : '';
  return (
    `${handled}${inFlight}. To load the rest, upload a file of the rows ` +
    `after row ${done} only${check}: the whole file again would load ` +
    `rows 1-${done} a second time.`
  );
}

function sourceRemoved(job: Job): string {
  return (
    `Its source file ${job.fileName} was removed from storage on ` +
    `${job.fileRemovedAt} (recovery.storage.sourceRetention); to process ` +
    'the data again, upload the file again as a new job.'
  );
}

/**
 * The settings a recovery leaves: a person's recovery sets or clears the
 * request to be left the job; the automatic recovery keeps what it finds.
 */
function withAutoRetry(
  settings: JobSettings,
  options: RecoverOptions,
): JobSettings {
  if (options.trigger === 'automatic') {
    return settings;
  }
  const { autoRetry: _previous, ...rest } = settings;
  return options.autoRetry === false ? { ...rest, autoRetry: false } : rest;
}

function checkConcurrency(value: unknown): number {
  if (value === undefined) {
    return 4;
  }
  if (
    !Number.isInteger(value) ||
    (value as number) < 1 ||
    (value as number) > 64
  ) {
    throw inputError(
      'invalid_concurrency',
      `concurrency must be a whole number from 1 to 64, got ${JSON.stringify(
        value,
      )}.`,
    );
  }
  return value as number;
}
