import type {
  Failure,
  FailureEvidence,
  FailureType,
  Job,
  JobSettings,
  RecoveryTrigger,
} from '../client/types';
import { ReboundError } from '../errors';
import { RECOVERABILITY } from './classifier';
import {
  adjustSettings,
  buildPlan,
  checkAdjustments,
  DEFAULT_RECOVERY_POLICY,
  type RecoveryPolicy,
} from './planner';

const SETTINGS: JobSettings = {
  batchSize: 500,
  timeoutMs: 30_000,
  maxInvalidShare: 0.01,
  maxInvalidRows: 100,
  isolateRejectedRows: false,
};

function jobOf(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    type: 'api_upload',
    status: 'failed',
    target: 'crm',
    priority: 'normal',
    fileId: 'file-1',
    fileName: 'data.csv',
    fileSha256: 'ab'.repeat(32),
    fileSize: 1000,
    columns: ['id', 'name'],
    options: { type: 'api_upload', target: 'crm' },
    settings: SETTINGS,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    notBefore: null,
    attempts: 0,
    version: 3,
    progress: {
      rowsDone: 300,
      rowsAccepted: 300,
      rowsRejected: 0,
      rowsQuarantined: 0,
      bytesTotal: 1000,
      bytesDone: 300,
    },
    checkpoint: {
      step: 'load',
      rowsDone: 300,
      byteOffset: 4567,
      batchSeq: 3,
      rowsAccepted: 300,
      rowsRejected: 0,
      rowsQuarantined: 0,
      inDoubt: null,
      updatedAt: '2026-01-01T00:01:00.000Z',
    },
    failure: null,
    createdBy: null,
    ...overrides,
  };
}

function failureOf(
  type: FailureType,
  evidence: FailureEvidence = {},
  message = `a ${type} failure`,
): Failure {
  return {
    type,
    message,
    recoverability: RECOVERABILITY[type],
    confidence: 0.95,
    evidence,
    at: '2026-01-01T00:01:00.000Z',
  };
}

function plan(
  type: FailureType,
  options: {
    job?: Partial<Job>;
    settings?: Partial<JobSettings>;
    evidence?: FailureEvidence;
    trigger?: RecoveryTrigger;
    policy?: Partial<RecoveryPolicy>;
    history?: { succeeded: number; finished: number };
    adjustments?: object;
  } = {},
) {
  return buildPlan({
    job: jobOf({
      ...options.job,
      settings: { ...SETTINGS, ...options.settings },
    }),
    failure: failureOf(type, options.evidence),
    trigger: options.trigger ?? 'automatic',
    policy: { ...DEFAULT_RECOVERY_POLICY, ...options.policy },
    history: options.history ?? { succeeded: 0, finished: 0 },
    adjustments: options.adjustments,
    random: () => 0.5,
  });
}

describe('buildPlan', () => {
  describe('strategy by failure type', () => {
    it.each([
      'network_error',
      'temporary_resource',
      'interrupted',
    ] as FailureType[])('retries %s as is', type => {
      const result = plan(type);

      expect(result).toMatchObject({
        strategy: 'automatic_retry',
        automatic: true,
        adjustments: {},
        failureType: type,
      });
      expect(result.reason).not.toBe('');
    });

    it('doubles the timeout after a timeout', () => {
      const result = plan('timeout', { settings: { timeoutMs: 30_000 } });

      expect(result).toMatchObject({
        strategy: 'retry_with_adjustments',
        adjustments: { timeoutMs: 60_000 },
      });
      expect(result.reason).toMatch(/60000 ms/);
    });

    it('stops doubling at maxTimeout', () => {
      const result = plan('timeout', {
        settings: { timeoutMs: 200_000 },
        policy: { maxTimeoutMs: 300_000 },
      });

      expect(result.adjustments).toEqual({ timeoutMs: 300_000 });
    });

    it('retries as is once the timeout is at maxTimeout', () => {
      const result = plan('timeout', {
        settings: { timeoutMs: 300_000 },
        policy: { maxTimeoutMs: 300_000 },
      });

      expect(result).toMatchObject({
        strategy: 'automatic_retry',
        adjustments: {},
      });
    });

    it('halves the batch after a memory failure', () => {
      const result = plan('memory', { settings: { batchSize: 500 } });

      expect(result).toMatchObject({
        strategy: 'retry_with_adjustments',
        adjustments: { batchSize: 250 },
      });
    });

    it('halves no lower than minBatchSize', () => {
      const result = plan('memory', {
        settings: { batchSize: 15 },
        policy: { minBatchSize: 10 },
      });

      expect(result.adjustments).toEqual({ batchSize: 10 });
    });

    it('asks a person once batches are at minBatchSize', () => {
      const result = plan('memory', {
        settings: { batchSize: 10 },
        policy: { minBatchSize: 10 },
      });

      expect(result).toMatchObject({
        strategy: 'manual_intervention',
        automatic: false,
        delayMs: 0,
        estimatedSuccess: 0,
      });
      expect(result.actions.join(' ')).toMatch(
        /recovery\.targets\.crm\.batchSize/,
      );
    });

    it.each(['validation_error', 'data_quality'] as FailureType[])(
      'retries %s quarantining invalid rows',
      type => {
        const result = plan(type, {
          settings: { maxInvalidShare: 0.01 },
          policy: { quarantineMaxShare: 0.25 },
        });

        expect(result).toMatchObject({
          strategy: 'retry_with_adjustments',
          adjustments: { maxInvalidShare: 0.25, isolateRejectedRows: true },
        });
        expect(result.reason).toMatch(/25%/);
      },
    );

    it('isolates refused rows when the target refused a batch (400) even if the share is widened', () => {
      const result = plan('validation_error', {
        settings: { maxInvalidShare: 0.25, isolateRejectedRows: false },
        evidence: { httpStatus: 400 },
      });

      expect(result).toMatchObject({
        strategy: 'retry_with_adjustments',
        adjustments: { isolateRejectedRows: true },
      });
    });

    it('never narrows a share a person widened beyond the policy', () => {
      const result = plan('validation_error', {
        settings: { maxInvalidShare: 0.5, isolateRejectedRows: false },
        evidence: { httpStatus: 422 },
        policy: { quarantineMaxShare: 0.25 },
      });

      expect(result.adjustments).toEqual({
        maxInvalidShare: 0.5,
        isolateRejectedRows: true,
      });
      expect(result.reason).toMatch(/50%/);
    });

    it('asks a person when quarantine is already as wide as allowed', () => {
      const result = plan('validation_error', {
        settings: { maxInvalidShare: 0.25, isolateRejectedRows: true },
        evidence: { httpStatus: 422 },
        policy: { quarantineMaxShare: 0.25 },
      });

      expect(result.strategy).toBe('manual_intervention');
      expect(result.actions.join(' ')).toMatch(/quarantined rows/);
    });

    it('asks a person when rows fail the schema with the widest share', () => {
      const result = plan('validation_error', {
        settings: { maxInvalidShare: 0.25 },
        policy: { quarantineMaxShare: 0.25 },
      });

      expect(result.strategy).toBe('manual_intervention');
    });

    it.each([
      'CSV_QUOTE_NOT_CLOSED',
      'CSV_MAX_RECORD_SIZE',
      'CSV_INVALID_CLOSING_QUOTE',
      'empty_file',
      'duplicate_header',
      'empty_header',
      'source_changed',
    ])('asks for a fixed file after a fatal parse failure (%s)', code => {
      const result = plan('data_quality', { evidence: { code, rows: [2] } });

      expect(result).toMatchObject({
        strategy: 'manual_intervention',
        automatic: false,
      });
      expect(result.actions.join(' ')).toMatch(/new job/);
    });

    it.each(['security', 'configuration_error', 'data_loss'] as FailureType[])(
      'asks a person after %s',
      type => {
        const result = plan(type);

        expect(result).toMatchObject({
          strategy: 'manual_intervention',
          automatic: false,
          delayMs: 0,
        });
        expect(result.actions.length).toBeGreaterThan(0);
      },
    );

    it("names the target's settings for security and configuration failures", () => {
      expect(plan('security').actions.join(' ')).toMatch(
        /recovery\.targets\.crm\.headers/,
      );
      expect(plan('configuration_error').actions.join(' ')).toMatch(
        /recovery\.targets\.crm\.url/,
      );
    });

    it('asks for investigation of an unknown failure', () => {
      const result = plan('unknown');

      expect(result).toMatchObject({
        strategy: 'investigation_required',
        automatic: false,
      });
      expect(result.actions[0]).toMatch(/a unknown failure/);
    });

    it.each(['unknown', 'security', 'configuration_error'] as FailureType[])(
      'retries a failed job with a %s failure when a person asks',
      type => {
        const result = plan(type, { trigger: 'manual' });

        expect(result).toMatchObject({
          strategy: 'automatic_retry',
          automatic: true,
          resumeFrom: { row: 300, byteOffset: 4567 },
        });
        // The reason keeps what the failure needs, and says what a person's
        // recovery does about it.
        expect(result.reason).toMatch(/Recovering it by hand retries it/);
        expect(result.actions.length).toBeGreaterThan(0);
      },
    );

    it('keeps a file no retry can fix manual, even when a person asks', () => {
      const result = plan('data_loss', { trigger: 'manual' });

      expect(result).toMatchObject({
        strategy: 'manual_intervention',
        automatic: false,
      });
    });

    it.each(['automatic', 'batch'] as RecoveryTrigger[])(
      'leaves an unknown failure to a person on a %s recovery',
      trigger => {
        expect(plan('unknown', { trigger }).strategy).toBe(
          'investigation_required',
        );
      },
    );
  });

  describe('the attempt cap', () => {
    it.each(['automatic', 'batch'] as RecoveryTrigger[])(
      'sends a %s recovery past maxAttempts to manual intervention',
      trigger => {
        const result = plan('network_error', {
          job: { attempts: 5 },
          policy: { maxAttempts: 5 },
          trigger,
        });

        expect(result).toMatchObject({
          strategy: 'manual_intervention',
          automatic: false,
          attempt: 6,
          maxAttempts: 5,
        });
        expect(result.reason).toMatch(/recovery\.retry\.maxAttempts = 5/);
      },
    );

    it('allows the last attempt within the cap', () => {
      const result = plan('network_error', {
        job: { attempts: 4 },
        policy: { maxAttempts: 5 },
      });

      expect(result).toMatchObject({ strategy: 'automatic_retry', attempt: 5 });
    });

    it('lets a person recover past the cap', () => {
      const result = plan('network_error', {
        job: { attempts: 9 },
        policy: { maxAttempts: 5 },
        trigger: 'manual',
      });

      expect(result).toMatchObject({
        strategy: 'automatic_retry',
        automatic: true,
        attempt: 10,
      });
    });
  });

  it('retries a job a person fixed after manual intervention', () => {
    const result = plan('security', {
      job: { status: 'manual_intervention_required', attempts: 7 },
      trigger: 'manual',
    });

    expect(result).toMatchObject({
      strategy: 'automatic_retry',
      automatic: true,
      resumeFrom: { row: 300, byteOffset: 4567 },
    });
    // What should have been done stays visible with the retry.
    expect(result.actions.join(' ')).toMatch(/recovery\.targets\.crm\.headers/);
  });

  it('does not retry a manual_intervention_required job on its own', () => {
    const result = plan('security', {
      job: { status: 'manual_intervention_required' },
      trigger: 'automatic',
    });

    expect(result.strategy).toBe('manual_intervention');
  });

  describe('delay', () => {
    it('backs off for automatic retries', () => {
      const result = plan('network_error', {
        job: { attempts: 2 },
        policy: { backoff: { baseMs: 1000, capMs: 60_000 } },
      });

      // Attempt 3: ceiling 4000 ms, drawn at 0.5.
      expect(result.delayMs).toBe(2000);
    });

    it('honours Retry-After for automatic retries', () => {
      const result = plan('temporary_resource', {
        evidence: { httpStatus: 429, retryAfterSeconds: 20 },
      });

      expect(result.delayMs).toBe(20_000);
      expect(result.reason).toMatch(/20 s/);
    });

    it('starts a manual recovery at once, unless Retry-After asks to wait', () => {
      expect(plan('network_error', { trigger: 'manual' }).delayMs).toBe(0);
      expect(
        plan('temporary_resource', {
          trigger: 'manual',
          evidence: { retryAfterSeconds: 3 },
        }).delayMs,
      ).toBe(3000);
    });
  });

  describe('estimatedSuccess', () => {
    it('starts from the prior of the recoverability', () => {
      expect(plan('network_error').estimatedSuccess).toBe(0.9);
      expect(plan('memory').estimatedSuccess).toBe(0.7);
    });

    it('is pulled toward the history of the failure type', () => {
      const good = plan('network_error', {
        history: { succeeded: 100, finished: 100 },
      }).estimatedSuccess;
      const bad = plan('network_error', {
        history: { succeeded: 0, finished: 100 },
      }).estimatedSuccess;
      const few = plan('network_error', {
        history: { succeeded: 0, finished: 2 },
      }).estimatedSuccess;

      expect(good).toBeGreaterThan(0.95);
      expect(bad).toBeLessThan(0.1);
      expect(few).toBeGreaterThan(bad);
      expect(few).toBeLessThan(0.9);
    });

    it('is 0 for a plan that does not retry', () => {
      expect(
        plan('security', { history: { succeeded: 10, finished: 10 } })
          .estimatedSuccess,
      ).toBe(0);
    });
  });

  it('resumes from the checkpoint and replays an in-doubt batch', () => {
    const job = jobOf({
      checkpoint: {
        ...jobOf().checkpoint!,
        inDoubt: {
          firstRow: 301,
          lastRow: 400,
        },
      },
    });

    const result = buildPlan({
      job,
      failure: failureOf('timeout', { code: 'ETIMEDOUT' }),
      trigger: 'manual',
      policy: DEFAULT_RECOVERY_POLICY,
      history: { succeeded: 0, finished: 0 },
    });

    expect(result.resumeFrom).toEqual({
      row: 300,
      byteOffset: 4567,
      replayInDoubt: true,
    });
  });

  it('starts from the top when the job has no checkpoint', () => {
    const result = plan('interrupted', { job: { checkpoint: null } });

    expect(result.resumeFrom).toEqual({
      row: 0,
      byteOffset: 0,
      replayInDoubt: false,
    });
  });

  it("lets a caller's adjustments override the planned ones", () => {
    const result = plan('timeout', {
      trigger: 'manual',
      adjustments: { timeoutMs: 45_000, batchSize: 50 },
    });

    expect(result.adjustments).toEqual({ timeoutMs: 45_000, batchSize: 50 });
  });

  it('names the job and the attempt counts', () => {
    const result = plan('network_error', { job: { attempts: 2 } });

    expect(result).toMatchObject({
      jobId: 'job-1',
      attempt: 3,
      maxAttempts: DEFAULT_RECOVERY_POLICY.maxAttempts,
    });
  });
});

describe('adjustSettings', () => {
  it('applies only the adjustments given', () => {
    expect(adjustSettings(SETTINGS, { batchSize: 50 })).toEqual({
      ...SETTINGS,
      batchSize: 50,
    });
    expect(
      adjustSettings(SETTINGS, {
        timeoutMs: 1000,
        maxInvalidShare: 0.2,
        isolateRejectedRows: true,
      }),
    ).toEqual({
      ...SETTINGS,
      timeoutMs: 1000,
      maxInvalidShare: 0.2,
      isolateRejectedRows: true,
    });
  });

  it('leaves the settings it was given unchanged', () => {
    const settings = { ...SETTINGS };

    adjustSettings(settings, { batchSize: 1 });

    expect(settings).toEqual(SETTINGS);
  });
});

describe('checkAdjustments', () => {
  it('accepts nothing as no adjustments', () => {
    expect(checkAdjustments(undefined)).toEqual({});
    expect(checkAdjustments(null)).toEqual({});
  });

  it('accepts valid adjustments unchanged', () => {
    const adjustments = {
      batchSize: 100,
      timeoutMs: 60_000,
      concurrency: 2,
      maxInvalidShare: 0,
      isolateRejectedRows: false,
    };

    expect(checkAdjustments(adjustments)).toEqual(adjustments);
  });

  it.each([
    ['a string', 'batch'],
    ['an array', [1]],
    ['a number', 5],
  ])('refuses %s', (_what, value) => {
    expect(() => checkAdjustments(value)).toThrow(
      /adjustments must be an object/,
    );
  });

  it.each([
    [{ batchSize: 0 }, /adjustments\.batchSize .* got 0/],
    [{ batchSize: 1.5 }, /adjustments\.batchSize .* got 1\.5/],
    [{ batchSize: '100' }, /adjustments\.batchSize .* got "100"/],
    [{ batchSize: 100_001 }, /adjustments\.batchSize .*100000/],
    [{ timeoutMs: -1 }, /adjustments\.timeoutMs .* got -1/],
    [{ timeoutMs: 3_600_001 }, /adjustments\.timeoutMs/],
    [{ concurrency: 65 }, /adjustments\.concurrency .* 1 to 64, got 65/],
    [{ maxInvalidShare: 1.5 }, /adjustments\.maxInvalidShare .* got 1\.5/],
    [{ maxInvalidShare: 'all' }, /adjustments\.maxInvalidShare/],
    [{ isolateRejectedRows: 'yes' }, /adjustments\.isolateRejectedRows/],
    [{ retries: 3 }, /adjustments\.retries is not known; allowed: batchSize/],
  ])('refuses %j naming the key', (value, message) => {
    let error: unknown;
    try {
      checkAdjustments(value);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ReboundError);
    expect(error).toMatchObject({ kind: 'input', code: 'invalid_adjustments' });
    expect((error as Error).message).toMatch(message);
  });
});
