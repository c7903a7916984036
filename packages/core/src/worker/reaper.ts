import { recordFailure } from '../analytics/failureLog';
import type { Job } from '../client/types';
import type { Logger } from '../logger';
import type { JobStore } from '../store/JobStore';
import { interruptedFailure } from './JobWorker';

/**
 * Finds running jobs whose worker stopped renewing its lease (the process
 * died) and fails them as `interrupted`, so that nothing stays "running".
 *
 * @public
 */
export async function reapExpiredLeases(
  store: JobStore,
  logger: Logger,
): Promise<Job[]> {
  const reaped = await store.reapExpiredLeases(job =>
    interruptedFailure(
      `The worker running job ${job.id} stopped renewing its lease ` +
        `at row ${job.progress.rowsDone}; the process likely died.`,
    ),
  );
  for (const job of reaped) {
    await recordFailure(store.knex, job, job.failure!);
    const row = await store
      .knex('jobs')
      .where({ id: job.id })
      .first('current_attempt_id');
    if (row?.current_attempt_id) {
      await store.updateAttempt(row.current_attempt_id, 'failed', {
        outcome: 'interrupted: the worker stopped renewing its lease',
      });
    }
    logger.warn(
      `Job ${job.id} was interrupted; it resumes at row ${job.progress.rowsDone}`,
      {
        jobId: job.id,
      },
    );
  }
  return reaped;
}
