/** Jobs, analyses and plans as the backend answers them, for the tests. */
import type {
  FailureAnalysis,
  Job,
  RecoveryAttempt,
  RecoveryPlan,
  RowError,
} from '@rebound/core/client';

export const AT = '2026-12-04T10:00:00.000Z';

export function aJob(overrides: Partial<Job> = {}): Job {
  const id = overrides.id ?? 'job-1';
  return {
    id,
    type: 'api_upload',
    status: 'failed',
    target: 'crm',
    priority: 'normal',
    fileId: `file-${id}`,
    fileName: `${id}.csv`,
    fileSha256: 'ab'.repeat(32),
    fileSize: 12_000,
    columns: ['id', 'name'],
    options: { type: 'api_upload', target: 'crm' },
    settings: {
      batchSize: 500,
      timeoutMs: 30_000,
      maxInvalidShare: 0.05,
      maxInvalidRows: 100,
      isolateRejectedRows: false,
    },
    createdAt: AT,
    updatedAt: AT,
    startedAt: AT,
    finishedAt: null,
    notBefore: null,
    attempts: 0,
    version: 3,
    progress: {
      rowsTotal: 1000,
      rowsDone: 300,
      rowsAccepted: 300,
      rowsRejected: 0,
      rowsQuarantined: 0,
      bytesTotal: 12_000,
      bytesDone: 3_600,
      percent: 30,
    },
    checkpoint: {
      step: 'load',
      rowsDone: 300,
      byteOffset: 3_600,
      batchSeq: 3,
      rowsAccepted: 300,
      rowsRejected: 0,
      rowsQuarantined: 0,
      inDoubt: null,
      updatedAt: AT,
    },
    failure: {
      type: 'temporary_resource',
      message: "Target 'crm' answered 503 Service Unavailable for rows 301-400",
      recoverability: 'high',
      confidence: 0.95,
      evidence: { httpStatus: 503, rows: [301, 400] },
      at: AT,
    },
    createdBy: 'user:default/ada',
    ...overrides,
  };
}

export function aPlan(overrides: Partial<RecoveryPlan> = {}): RecoveryPlan {
  return {
    jobId: 'job-1',
    strategy: 'automatic_retry',
    failureType: 'temporary_resource',
    automatic: true,
    reason: 'The target was busy; retry after a backoff.',
    adjustments: {},
    delayMs: 0,
    estimatedSuccess: 0.87,
    resumeFrom: { row: 300, byteOffset: 3_600, replayInDoubt: false },
    actions: [],
    attempt: 1,
    maxAttempts: 5,
    ...overrides,
  };
}

export function anAnalysis(
  job: Job,
  plan: Partial<RecoveryPlan> = {},
): FailureAnalysis {
  return {
    jobId: job.id,
    status: job.status,
    failure: job.failure,
    plan: aPlan({ jobId: job.id, ...plan }),
    recoverable: true,
    history: { attempts: job.attempts, lastOutcome: null },
  };
}

export function aRowError(row: number, overrides: Partial<RowError> = {}) {
  return {
    jobId: 'job-1',
    row,
    column: 'email',
    code: 'pattern',
    message: `Row ${row}: email does not match the pattern`,
    value: `not-an-email-${row}`,
    kind: 'quarantined',
    ...overrides,
  } satisfies RowError;
}

export function anAttempt(overrides: Partial<RecoveryAttempt> = {}) {
  return {
    id: 'attempt-1',
    jobId: 'job-1',
    attempt: 1,
    trigger: 'manual',
    target: 'crm',
    failureType: 'temporary_resource',
    strategy: 'automatic_retry',
    plan: aPlan(),
    status: 'failed',
    outcome: 'Failed again: 503 from the target',
    requestedBy: 'user:default/ada',
    createdAt: AT,
    startedAt: AT,
    finishedAt: AT,
    durationMs: 65_000,
    rowsProcessed: 120,
    ...overrides,
  } satisfies RecoveryAttempt;
}
