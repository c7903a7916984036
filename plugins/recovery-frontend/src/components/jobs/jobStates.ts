import type {
  FailureAnalysis,
  Job,
  JobStatus,
  JobType,
  TargetType,
} from '@rebound/core/client';
import { formatCount } from '../common/format';

const RECOVERABLE: JobStatus[] = ['failed', 'manual_intervention_required'];
const FINISHED: JobStatus[] = ['succeeded', 'cancelled'];

/** A job a worker has or will pick up: its page and list keep reloading. */
export function isActive(job: Pick<Job, 'status'>): boolean {
  return job.status === 'pending' || job.status === 'running';
}

/**
 * How often a job's page loads it again: often while a worker has it,
 * now and then while automatic recovery or another person may take it,
 * never once it is finished.
 */
export function followInterval(job: Pick<Job, 'status'>): number | undefined {
  if (isActive(job)) {
    return 2000;
  }
  return FINISHED.includes(job.status) ? undefined : 5000;
}

export function isRecoverable(job: Pick<Job, 'status'>): boolean {
  return RECOVERABLE.includes(job.status);
}

export const NOT_RECOVERABLE_REASON =
  'Only failed jobs and jobs waiting for manual intervention can be recovered.';

const STATE_SENTENCE: Partial<Record<JobStatus, string>> = {
  pending: 'This job is pending.',
  running: 'This job is running.',
  succeeded: 'This job succeeded.',
  cancelled: 'This job was cancelled.',
};

/** Why the job cannot be recovered now, from its state and its plan. */
export function recoverStateReason(
  job: Job,
  analysis: FailureAnalysis | undefined,
): string | undefined {
  if (!isRecoverable(job)) {
    return `${NOT_RECOVERABLE_REASON} ${
      STATE_SENTENCE[job.status] ?? ''
    }`.trim();
  }
  if (!analysis) {
    return 'Loading the recovery plan…';
  }
  if (!analysis.recoverable) {
    return analysis.reason ?? 'The job cannot be recovered.';
  }
  if (analysis.plan && !analysis.plan.automatic) {
    return `A recovery would not run the job: ${analysis.plan.reason}`;
  }
  return undefined;
}

/** Why the job cannot be cancelled, or undefined when it can. */
export function cancelStateReason(job: Job): string | undefined {
  return FINISHED.includes(job.status)
    ? `Finished jobs cannot be cancelled. ${STATE_SENTENCE[job.status]}`
    : undefined;
}

/** The job type a target takes, as the backend pairs them. */
export const JOB_TYPE_OF_TARGET: Record<TargetType, JobType> = {
  table: 'csv_import',
  http: 'api_upload',
};

/** "contacts.csv" → "contacts", for the names of derived files. */
export function fileBase(fileName: string): string {
  const base = fileName.replace(/\.[^./\\]*$/, '');
  return base === '' ? fileName : base;
}

/**
 * The message for a field that takes a whole number from min to max, in
 * the words the backend uses, or undefined when the text is one.
 */
export function wholeNumberProblem(
  label: string,
  text: string,
  min: number,
  max: number,
): string | undefined {
  const value = Number(text);
  return /^\s*\d+\s*$/.test(text) && value >= min && value <= max
    ? undefined
    : `${label} must be a whole number from ${formatCount(
        min,
      )} to ${formatCount(max)}.`;
}
