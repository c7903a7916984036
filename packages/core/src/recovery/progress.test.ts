import type { Failure, Job, RecoveryPlan } from '../client/types';
import { buildPlan, DEFAULT_RECOVERY_POLICY } from './planner';
import { countStalledAttempts } from './progress';

/** A recovery that resumed at `row`, as the history keeps it. */
const ranFrom = (row: number) => ({
  plan: { resumeFrom: { row, byteOffset: 0, replayInDoubt: false } },
});

describe('countStalledAttempts', () => {
  it('counts nothing when the newest recovery moved the checkpoint', () => {
    expect(countStalledAttempts([ranFrom(200), ranFrom(100)], 300)).toBe(0);
  });

  it('counts recoveries in a row that left the checkpoint where they resumed', () => {
    // Three runs from row 300 that all ended at 300; the one before moved
    // the job from 100 to 300.
    const runs = [ranFrom(300), ranFrom(300), ranFrom(300), ranFrom(100)];

    expect(countStalledAttempts(runs, 300)).toBe(3);
  });

  it('starts again after a recovery that made progress', () => {
    // Oldest first: stuck at 0 twice, then moved on to 50, then stuck.
    const runs = [ranFrom(50), ranFrom(0), ranFrom(0), ranFrom(0)];

    expect(countStalledAttempts(runs, 50)).toBe(1);
  });

  it('counts nothing for a job never recovered', () => {
    expect(countStalledAttempts([], 0)).toBe(0);
  });
});

function failedJob(attempts: number, rowsDone: number): Job {
  return {
    id: 'job-9',
    type: 'api_upload',
    status: 'failed',
    target: 'crm',
    priority: 'normal',
    fileId: 'file-9',
    fileName: 'big.csv',
    fileSha256: 'ef'.repeat(32),
    fileSize: 10_000_000,
    columns: ['id'],
    options: { type: 'api_upload', target: 'crm' },
    settings: {
      batchSize: 500,
      timeoutMs: 30_000,
      maxInvalidShare: 0.05,
      maxInvalidRows: 100,
      isolateRejectedRows: false,
    },
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    startedAt: '2026-03-01T08:00:01.000Z',
    finishedAt: '2026-03-01T09:00:00.000Z',
    notBefore: null,
    attempts,
    version: 40,
    progress: {
      rowsDone,
      rowsAccepted: rowsDone,
      rowsRejected: 0,
      rowsQuarantined: 0,
      bytesTotal: 10_000_000,
      bytesDone: 5_000_000,
    },
    checkpoint: {
      step: 'load',
      rowsDone,
      byteOffset: 5_000_000,
      batchSeq: rowsDone / 500,
      rowsAccepted: rowsDone,
      rowsRejected: 0,
      rowsQuarantined: 0,
      inDoubt: { firstRow: rowsDone + 1, lastRow: rowsDone + 500 },
      updatedAt: '2026-03-01T09:00:00.000Z',
    },
    failure: null,
    createdBy: null,
  };
}

const unavailable: Failure = {
  type: 'temporary_resource',
  message: "Target 'crm' answered 503 Service Unavailable",
  recoverability: 'high',
  confidence: 0.95,
  evidence: { httpStatus: 503 },
  at: '2026-03-01T09:00:00.000Z',
};

function planAfter(
  attempts: number,
  stalledAttempts: number,
  options: { trigger?: 'automatic' | 'batch' | 'manual' } = {},
): RecoveryPlan {
  return buildPlan({
    job: failedJob(attempts, 40_000),
    failure: unavailable,
    trigger: options.trigger ?? 'automatic',
    policy: {
      ...DEFAULT_RECOVERY_POLICY,
      maxAttempts: 5,
      maxTotalAttempts: 50,
    },
    history: { succeeded: 0, finished: 0 },
    stalledAttempts,
    random: () => 0.5,
  });
}

describe('the attempt caps of buildPlan', () => {
  it('goes on retrying a job whose recoveries keep moving it on', () => {
    const plan = planAfter(12, 0);

    expect(plan).toMatchObject({
      strategy: 'automatic_retry',
      automatic: true,
      attempt: 13,
      maxAttempts: 5,
      stalledAttempts: 0,
      maxTotalAttempts: 50,
    });
  });

  it.each(['automatic', 'batch'] as const)(
    'hands a %s recovery to a person after maxAttempts recoveries in a row without progress',
    trigger => {
      const plan = planAfter(12, 5, { trigger });

      expect(plan).toMatchObject({
        strategy: 'manual_intervention',
        automatic: false,
        stalledAttempts: 5,
      });
      expect(plan.reason).toBe(
        "The job's last 5 recoveries made no progress: the checkpoint is " +
          'still at row 40000 (recovery.retry.maxAttempts = 5 recoveries in ' +
          'a row without progress; 12 recoveries in all).',
      );
    },
  );

  it('stops a job that advances at maxTotalAttempts, naming that count', () => {
    const plan = planAfter(50, 1);

    expect(plan.strategy).toBe('manual_intervention');
    expect(plan.reason).toBe(
      'The job has had 50 recoveries, the most allowed for one job ' +
        '(recovery.retry.maxTotalAttempts = 50), although they moved it on ' +
        'to row 40000.',
    );
    expect(plan.actions[1]).toMatch(/target 'crm' keeps failing batches/);
  });

  it('lets a person recover past both caps', () => {
    expect(planAfter(80, 7, { trigger: 'manual' }).strategy).toBe(
      'automatic_retry',
    );
  });

  it('backs off by the recoveries without progress, not by all of them', () => {
    // 30 recoveries, but the last one moved the job: the first ceiling
    // (2 s by default), drawn at 0.5.
    expect(planAfter(30, 0).delayMs).toBe(1000);
    // Two in a row without progress: ceiling 8 s.
    expect(planAfter(30, 2).delayMs).toBe(4000);
  });
});
