import type {
  Adjustments,
  Failure,
  FailureType,
  Job,
  JobSettings,
  Recoverability,
  RecoveryPlan,
  RecoveryStrategy,
  RecoveryTrigger,
} from '../client/types';
import { inputError } from '../errors';
import { backoffDelay, type BackoffPolicy } from './backoff';

/** How recovery behaves; read from recovery.retry and friends. @public */
export interface RecoveryPolicy {
  /**
   * Recoveries in a row that made no progress (the checkpoint did not move
   * past where they resumed) before automatic recovery stops.
   */
  maxAttempts: number;
  /**
   * Recoveries of one job in all, progress or not, before automatic
   * recovery stops: a job that moves a little on every run still ends.
   */
  maxTotalAttempts: number;
  backoff: BackoffPolicy;
  /** Automatic retries per target per window, shared by every job. */
  targetBudget: { retries: number; windowMs: number };
  /** The share of invalid rows a quarantining retry may set aside. */
  quarantineMaxShare: number;
  maxTimeoutMs: number;
  minBatchSize: number;
  /** Failure types never retried on their own: a person decides. */
  manualFailureTypes?: FailureType[];
}

/** @public */
export const DEFAULT_RECOVERY_POLICY: RecoveryPolicy = {
  // Eight stalled recoveries with ceilings of 2, 4, 8 … 60 s wait about two
  // minutes in all (full jitter halves the sum of 242 s): an outage of a
  // minute or two passes without a person.
  maxAttempts: 8,
  maxTotalAttempts: 200,
  backoff: { baseMs: 2000, capMs: 60_000 },
  targetBudget: { retries: 60, windowMs: 60_000 },
  quarantineMaxShare: 0.25,
  maxTimeoutMs: 300_000,
  minBatchSize: 10,
};

const PRIOR_SUCCESS: Record<Recoverability, number> = {
  high: 0.9,
  medium: 0.7,
  low: 0.2,
  unknown: 0.4,
};

/** Parse failures no retry can get past: the file itself must change. */
const FATAL_SOURCE_CODES = new Set([
  'CSV_QUOTE_NOT_CLOSED',
  'CSV_MAX_RECORD_SIZE',
  'CSV_INVALID_CLOSING_QUOTE',
  'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE',
  'empty_file',
  'duplicate_header',
  'empty_header',
  'source_changed',
  'not_csv',
]);

export interface PlanInput {
  job: Job;
  failure: Failure;
  trigger: RecoveryTrigger;
  policy: RecoveryPolicy;
  /** Past outcomes of recoveries of this failure type. */
  history: { succeeded: number; finished: number };
  /**
   * The job's latest recoveries in a row that made no progress
   * (countStalledAttempts); without it every recovery counts as one.
   */
  stalledAttempts?: number;
  adjustments?: Adjustments;
  random?: () => number;
}

interface Decision {
  strategy: RecoveryStrategy;
  reason: string;
  adjustments?: Adjustments;
  actions?: string[];
}

/**
 * The plan a recovery of this job would follow. Pure: the engine
 * executes it, the analysis route only shows it.
 *
 * @public
 */
export function buildPlan(input: PlanInput): RecoveryPlan {
  const { job, failure, policy, trigger } = input;
  const attempt = job.attempts + 1;
  const stalled = input.stalledAttempts ?? job.attempts;
  let decision = decide(job, failure, policy);

  const sourceIsBad =
    failure.type === 'data_loss' ||
    (!!failure.evidence.code && FATAL_SOURCE_CODES.has(failure.evidence.code));
  if (
    trigger === 'manual' &&
    !sourceIsBad &&
    (job.status === 'manual_intervention_required' ||
      !isAutomatic(decision.strategy))
  ) {
    // A person's own recovery is the intervention the plan asked for; the
    // actions stay in the plan: they say what should have been done.
    decision = {
      strategy: 'automatic_retry',
      reason:
        job.status === 'manual_intervention_required'
          ? 'A person asked to retry after manual intervention; the job resumes from its checkpoint.'
          : `${decision.reason} Recovering it by hand retries it from its checkpoint.`,
      actions: decision.actions,
    };
  } else if (
    trigger !== 'manual' &&
    policy.manualFailureTypes?.includes(failure.type) &&
    decision.strategy !== 'manual_intervention'
  ) {
    decision = {
      strategy: 'manual_intervention',
      reason:
        `${failure.type} failures are not retried on their own ` +
        '(recovery.retry.manualFailureTypes).',
      actions: [
        `Read the failure: ${failure.message}`,
        'Recover the job by hand when its cause is fixed.',
      ],
    };
  } else if (trigger !== 'manual' && isAutomatic(decision.strategy)) {
    decision = capAttempts(input, stalled) ?? decision;
  }

  const adjustments = mergeAdjustments(decision.adjustments, input.adjustments);
  const automatic = isAutomatic(decision.strategy);
  const retries = automatic && trigger !== 'manual';
  return {
    jobId: job.id,
    strategy: decision.strategy,
    failureType: failure.type,
    automatic,
    reason: decision.reason,
    adjustments,
    delayMs: automatic
      ? retries
        ? backoffDelay(stalled + 1, policy.backoff, {
            retryAfterSeconds: failure.evidence.retryAfterSeconds,
            random: input.random,
          })
        : (failure.evidence.retryAfterSeconds ?? 0) * 1000
      : 0,
    estimatedSuccess: automatic
      ? estimateSuccess(failure.recoverability, input.history)
      : 0,
    resumeFrom: {
      row: job.checkpoint?.rowsDone ?? 0,
      byteOffset: job.checkpoint?.byteOffset ?? 0,
      replayInDoubt: !!job.checkpoint?.inDoubt,
    },
    actions: decision.actions ?? [],
    attempt,
    maxAttempts: policy.maxAttempts,
    stalledAttempts: stalled,
    maxTotalAttempts: policy.maxTotalAttempts,
  };
}

/**
 * The attempt caps of automatic and batch recovery. maxAttempts counts
 * only recoveries in a row that made no progress, so a big upload on a
 * flaky target goes on while each run moves it on; maxTotalAttempts
 * bounds every job, so none retries forever.
 */
function capAttempts(input: PlanInput, stalled: number): Decision | undefined {
  const { job, failure, policy } = input;
  const row = job.checkpoint?.rowsDone ?? 0;
  if (stalled >= policy.maxAttempts) {
    return manual(
      `${
        stalled === 1
          ? "The job's last recovery"
          : `The job's last ${stalled} recoveries`
      } made no progress: the checkpoint is still at row ${row} ` +
        `(recovery.retry.maxAttempts = ${policy.maxAttempts} recoveries in ` +
        `a row without progress; ${job.attempts} recoveries in all).`,
      [
        `Read the last failure: ${failure.message}`,
        'Fix its cause, then recover the job by hand; it resumes from its checkpoint.',
      ],
    );
  }
  if (job.attempts >= policy.maxTotalAttempts) {
    return manual(
      `The job has had ${job.attempts} recoveries, the most allowed for one ` +
        `job (recovery.retry.maxTotalAttempts = ${policy.maxTotalAttempts}), ` +
        `although they moved it on to row ${row}.`,
      [
        `Read the last failure: ${failure.message}`,
        `Find out why target '${job.target}' keeps failing batches, then ` +
          `recover the job by hand; it resumes from row ${row}.`,
      ],
    );
  }
  return undefined;
}

function isAutomatic(strategy: RecoveryStrategy): boolean {
  return (
    strategy === 'automatic_retry' || strategy === 'retry_with_adjustments'
  );
}

function decide(job: Job, failure: Failure, policy: RecoveryPolicy): Decision {
  const settings = job.settings;
  const type: FailureType = failure.type;
  const target = `recovery.targets.${job.target}`;
  switch (type) {
    case 'timeout': {
      const timeoutMs = Math.min(policy.maxTimeoutMs, settings.timeoutMs * 2);
      return timeoutMs > settings.timeoutMs
        ? {
            strategy: 'retry_with_adjustments',
            reason: `The target did not answer within ${settings.timeoutMs} ms; retry with ${timeoutMs} ms.`,
            adjustments: { timeoutMs },
          }
        : {
            strategy: 'automatic_retry',
            reason: `The target timed out at the longest timeout allowed (${policy.maxTimeoutMs} ms); retry as is.`,
          };
    }
    case 'network_error':
      return {
        strategy: 'automatic_retry',
        reason: 'The target could not be reached; retry after a backoff.',
      };
    case 'temporary_resource':
      return {
        strategy: 'automatic_retry',
        reason:
          failure.evidence.retryAfterSeconds !== undefined
            ? `The target is busy and asked to wait ${failure.evidence.retryAfterSeconds} s.`
            : 'A resource was temporarily unavailable; retry after a backoff.',
      };
    case 'interrupted':
      return {
        strategy: 'automatic_retry',
        reason: 'The run was interrupted; resume from the last checkpoint.',
      };
    case 'memory': {
      const batchSize = Math.max(
        policy.minBatchSize,
        Math.floor(settings.batchSize / 2),
      );
      return batchSize < settings.batchSize
        ? {
            strategy: 'retry_with_adjustments',
            reason: `The batch of ${settings.batchSize} rows was too large; retry with ${batchSize}.`,
            adjustments: { batchSize },
          }
        : manual(
            `Batches are already at the smallest size (${policy.minBatchSize} rows).`,
            [
              `Raise the request size limit of the target, or lower ${target}.batchSize.`,
            ],
          );
    }
    case 'validation_error':
    case 'data_quality':
      return decideInvalidRows(failure, settings, policy);
    case 'security':
      return manual('The target refused the credentials.', [
        `Check the credentials sent to target '${job.target}' (${target}.headers).`,
        'Then recover the job; it resumes from its checkpoint.',
      ]);
    case 'configuration_error':
      return manual('The target is not configured right.', [
        `Check ${target}.url and that the endpoint exists.`,
        'Then recover the job; it resumes from its checkpoint.',
      ]);
    case 'data_loss':
      return manual('The source file is missing or changed.', [
        'Upload the file again as a new job; this job cannot safely continue.',
      ]);
    default:
      return {
        strategy: 'investigation_required',
        reason: 'The failure is of no known type; look at its message first.',
        actions: [`Read the failure: ${failure.message}`],
      };
  }
}

function decideInvalidRows(
  failure: Failure,
  settings: JobSettings,
  policy: RecoveryPolicy,
): Decision {
  if (failure.evidence.code && FATAL_SOURCE_CODES.has(failure.evidence.code)) {
    return manual(failure.message, [
      'Fix the file where the message says, then upload it as a new job.',
    ]);
  }
  const canWiden = settings.maxInvalidShare < policy.quarantineMaxShare;
  const canIsolate =
    !settings.isolateRejectedRows && failure.evidence.httpStatus !== undefined;
  if (!canWiden && !canIsolate) {
    return manual('Too many rows are invalid even with quarantine.', [
      'Download the quarantined rows, fix them, and import them as a new job.',
      'Or check that the schema matches the file.',
    ]);
  }
  // Never narrower than a share a person already allowed.
  const share = Math.max(settings.maxInvalidShare, policy.quarantineMaxShare);
  return {
    strategy: 'retry_with_adjustments',
    reason:
      `Retry, setting invalid rows aside (up to ${share * 100}% ` +
      'of the rows) as quarantined row errors.',
    adjustments: { maxInvalidShare: share, isolateRejectedRows: true },
  };
}

function manual(reason: string, actions: string[]): Decision {
  return { strategy: 'manual_intervention', reason, actions };
}

/** Past outcomes of this failure type, pulled toward a prior. */
function estimateSuccess(
  recoverability: Recoverability,
  history: { succeeded: number; finished: number },
): number {
  const weight = 5;
  const prior = PRIOR_SUCCESS[recoverability];
  const estimate =
    (history.succeeded + prior * weight) / (history.finished + weight);
  return Math.round(estimate * 100) / 100;
}

function mergeAdjustments(
  planned: Adjustments = {},
  requested: Adjustments = {},
): Adjustments {
  return { ...planned, ...requested };
}

/** Applies a plan's adjustments to a job's settings. @public */
export function adjustSettings(
  settings: JobSettings,
  adjustments: Adjustments,
): JobSettings {
  return {
    ...settings,
    ...(adjustments.batchSize !== undefined
      ? { batchSize: adjustments.batchSize }
      : {}),
    ...(adjustments.timeoutMs !== undefined
      ? { timeoutMs: adjustments.timeoutMs }
      : {}),
    ...(adjustments.maxInvalidShare !== undefined
      ? { maxInvalidShare: adjustments.maxInvalidShare }
      : {}),
    ...(adjustments.isolateRejectedRows !== undefined
      ? { isolateRejectedRows: adjustments.isolateRejectedRows }
      : {}),
  };
}

/** Checks adjustments a caller sends with a recovery request. @public */
export function checkAdjustments(value: unknown): Adjustments {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw inputError('invalid_adjustments', 'adjustments must be an object.');
  }
  const input = value as Record<string, unknown>;
  const known = [
    'batchSize',
    'timeoutMs',
    'concurrency',
    'maxInvalidShare',
    'isolateRejectedRows',
  ];
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      throw inputError(
        'invalid_adjustments',
        `adjustments.${key} is not known; allowed: ${known.join(', ')}.`,
      );
    }
  }
  const whole = (key: string, max: number) => {
    const v = input[key];
    if (
      v !== undefined &&
      (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max)
    ) {
      throw inputError(
        'invalid_adjustments',
        `adjustments.${key} must be a whole number from 1 to ${max}, got ${JSON.stringify(
          v,
        )}.`,
      );
    }
  };
  whole('batchSize', 100_000);
  whole('timeoutMs', 3_600_000);
  whole('concurrency', 64);
  const share = input.maxInvalidShare;
  if (
    share !== undefined &&
    (typeof share !== 'number' || share < 0 || share > 1)
  ) {
    throw inputError(
      'invalid_adjustments',
      `adjustments.maxInvalidShare must be a number from 0 to 1, got ${JSON.stringify(
        share,
      )}.`,
    );
  }
  if (
    input.isolateRejectedRows !== undefined &&
    typeof input.isolateRejectedRows !== 'boolean'
  ) {
    throw inputError(
      'invalid_adjustments',
      'adjustments.isolateRejectedRows must be true or false.',
    );
  }
  return input as Adjustments;
}
