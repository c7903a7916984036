import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import type {
  Failure,
  FailureType,
  Job,
  JobStatus,
  RecoveryTrigger,
} from '../client/types';
import { DATABASE_KINDS } from '../testing/databases';
import { createTestRebound, type TestRebound } from '../testing/rebound';
import { RECOVERABILITY } from './classifier';
import { buildPlan, DEFAULT_RECOVERY_POLICY } from './planner';

function failedJob(status: JobStatus = 'failed'): Job {
  return {
    id: 'job-7',
    type: 'api_upload',
    status,
    target: 'crm',
    priority: 'normal',
    fileId: 'file-7',
    fileName: 'contacts.csv',
    fileSha256: 'cd'.repeat(32),
    fileSize: 2048,
    columns: ['id', 'email'],
    options: { type: 'api_upload', target: 'crm' },
    settings: {
      batchSize: 200,
      timeoutMs: 10_000,
      maxInvalidShare: 0.01,
      maxInvalidRows: 100,
      isolateRejectedRows: false,
    },
    createdAt: '2026-02-01T09:00:00.000Z',
    updatedAt: '2026-02-01T09:05:00.000Z',
    startedAt: '2026-02-01T09:00:01.000Z',
    finishedAt: '2026-02-01T09:05:00.000Z',
    notBefore: null,
    attempts: 1,
    version: 4,
    progress: {
      rowsDone: 400,
      rowsAccepted: 400,
      rowsRejected: 0,
      rowsQuarantined: 0,
      bytesTotal: 2048,
      bytesDone: 900,
    },
    checkpoint: null,
    failure: null,
    createdBy: null,
  };
}

function failureOf(type: FailureType): Failure {
  return {
    type,
    message: `Target 'crm' failed with ${type}`,
    recoverability: RECOVERABILITY[type],
    confidence: 0.9,
    evidence: {},
    at: '2026-02-01T09:05:00.000Z',
  };
}

function planFor(
  type: FailureType,
  trigger: RecoveryTrigger,
  options: { status?: JobStatus; manualFailureTypes?: FailureType[] } = {},
) {
  return buildPlan({
    job: failedJob(options.status),
    failure: failureOf(type),
    trigger,
    policy: {
      ...DEFAULT_RECOVERY_POLICY,
      manualFailureTypes: options.manualFailureTypes ?? [
        'network_error',
        'timeout',
      ],
    },
    history: { succeeded: 0, finished: 0 },
    random: () => 0.5,
  });
}

describe('buildPlan with recovery.retry.manualFailureTypes', () => {
  it.each(['automatic', 'batch'] as RecoveryTrigger[])(
    'sends a listed failure type to a person when the trigger is %s',
    trigger => {
      const plan = planFor('network_error', trigger);

      expect(plan).toMatchObject({
        strategy: 'manual_intervention',
        automatic: false,
        delayMs: 0,
        estimatedSuccess: 0,
        adjustments: {},
      });
      expect(plan.reason).toBe(
        'network_error failures are not retried on their own ' +
          '(recovery.retry.manualFailureTypes).',
      );
      expect(plan.actions).toEqual([
        "Read the failure: Target 'crm' failed with network_error",
        'Recover the job by hand when its cause is fixed.',
      ]);
    },
  );

  it('drops the adjustments a listed type would have been retried with', () => {
    expect(planFor('timeout', 'automatic')).toMatchObject({
      strategy: 'manual_intervention',
      automatic: false,
      adjustments: {},
    });
  });

  it('retries a listed type when a person asks for it', () => {
    expect(planFor('network_error', 'manual')).toMatchObject({
      strategy: 'automatic_retry',
      automatic: true,
    });
    expect(planFor('timeout', 'manual')).toMatchObject({
      strategy: 'retry_with_adjustments',
      adjustments: { timeoutMs: 20_000 },
    });
  });

  it('retries a listed type again after manual intervention, when a person asks', () => {
    expect(
      planFor('network_error', 'manual', {
        status: 'manual_intervention_required',
      }),
    ).toMatchObject({ strategy: 'automatic_retry', automatic: true });
  });

  it('leaves the types it does not list to the usual plan', () => {
    expect(planFor('temporary_resource', 'automatic')).toMatchObject({
      strategy: 'automatic_retry',
      automatic: true,
    });
    expect(
      planFor('network_error', 'automatic', { manualFailureTypes: [] }),
    ).toMatchObject({ strategy: 'automatic_retry' });
  });

  it('keeps the own reason of a type that is manual anyway', () => {
    const plan = planFor('security', 'automatic', {
      manualFailureTypes: ['security'],
    });

    expect(plan.strategy).toBe('manual_intervention');
    expect(plan.reason).toBe('The target refused the credentials.');
  });
});

describe.each(DATABASE_KINDS)(
  'the engine with recovery.retry.manualFailureTypes on %s',
  kind => {
    let target: UploadTarget;
    let rebound: TestRebound;

    beforeEach(async () => {
      target = await startUploadTarget();
      rebound = await createTestRebound(kind, {
        targets: { api: { type: 'http', url: target.url, timeoutMs: 2000 } },
        policy: { manualFailureTypes: ['temporary_resource'] },
      });
    });

    afterEach(async () => {
      await rebound.close();
      await target.close();
    });

    async function failedBy503() {
      target.addFault({ mode: 'status', status: 503, retryAfter: 0 });
      const job = await rebound.submit('id,name\n1,a\n2,b\n', {
        type: 'api_upload',
        target: 'api',
      });
      return rebound.waitFor(job.id, ['failed']);
    }

    it('moves the job to manual intervention instead of retrying it on its own', async () => {
      const failed = await failedBy503();

      const plan = await rebound.engine.recoverAutomatically(failed);

      expect(plan?.strategy).toBe('manual_intervention');
      const job = await rebound.store.getJob(failed.id);
      expect(job?.status).toBe('manual_intervention_required');
      const history = await rebound.store.listAttempts({ jobId: failed.id });
      expect(history.items).toEqual([
        expect.objectContaining({ status: 'manual', trigger: 'automatic' }),
      ]);
      expect(target.stats().requests).toBe(1);
    });

    it('skips the job in a batch recovery, naming the setting', async () => {
      const failed = await failedBy503();

      const result = await rebound.engine.recoverMany({ jobIds: [failed.id] });

      expect(result.successful).toEqual([]);
      expect(result.skipped).toEqual([
        expect.objectContaining({
          jobId: failed.id,
          reason: expect.stringContaining('recovery.retry.manualFailureTypes'),
        }),
      ]);
      expect((await rebound.store.getJob(failed.id))?.status).toBe('failed');
    });

    it('recovers the job when a person asks', async () => {
      const failed = await failedBy503();

      const { plan } = await rebound.engine.recover(failed.id, {
        trigger: 'manual',
      });

      expect(plan.strategy).toBe('automatic_retry');
      await rebound.waitFor(failed.id, ['succeeded']);
      expect(target.records(failed.id)).toHaveLength(2);
    });
  },
);
