import type { RecoveryAttempt, RecoveryPlan } from '../client/types';

/** Attempt statuses of recoveries whose run started. */
export const RAN_ATTEMPT_STATUSES: RecoveryAttempt['status'][] = [
  'running',
  'succeeded',
  'failed',
];

/**
 * How many of the job's latest recoveries in a row made no progress: the
 * checkpoint they left was not past the row they resumed from. `runs` are
 * the recoveries whose run started, newest first; each ended where the
 * next one resumed, and the newest where the job's checkpoint is now. One
 * recovery that moved the checkpoint ends the count, so a job that keeps
 * advancing on a flaky target is never counted as stuck.
 */
export function countStalledAttempts(
  runs: { plan: Pick<RecoveryPlan, 'resumeFrom'> }[],
  rowsDoneNow: number,
): number {
  let end = rowsDoneNow;
  let stalled = 0;
  for (const run of runs) {
    const start = run.plan.resumeFrom?.row ?? 0;
    if (end > start) {
      break;
    }
    stalled += 1;
    end = start;
  }
  return stalled;
}
