import type {
  Adjustments,
  FailureType,
  RecoveryPlan,
  RecoveryTrigger,
} from '../client/types';
import { recommend, type RecommendationInput } from './recommendations';

type FailureInput = RecommendationInput['failures'][number];
type AttemptInput = RecommendationInput['attempts'][number];
type InvalidColumn = RecommendationInput['invalidColumns'][number];

function failures(
  count: number,
  target: string,
  type: FailureType,
  httpStatus: number | null = null,
): FailureInput[] {
  return Array.from({ length: count }, () => ({
    target,
    type,
    http_status: httpStatus,
  }));
}

/**
 * `count` attempts spread over `jobs` jobs (job-1, job-2, …; one job by
 * default); `attempt` is each plan's number, of `maxAttempts`.
 */
function attempts(
  count: number,
  fields: {
    target?: string;
    failureType: FailureType;
    status: 'succeeded' | 'failed';
    trigger?: RecoveryTrigger;
    adjustments?: Adjustments;
    jobs?: number;
    attempt?: number;
  },
): AttemptInput[] {
  const plan: RecoveryPlan = {
    jobId: 'job-1',
    strategy: fields.adjustments ? 'retry_with_adjustments' : 'automatic_retry',
    failureType: fields.failureType,
    automatic: true,
    reason: 'a test plan',
    adjustments: fields.adjustments ?? {},
    delayMs: 0,
    estimatedSuccess: 0.9,
    resumeFrom: { row: 0, byteOffset: 0, replayInDoubt: false },
    actions: [],
    attempt: fields.attempt ?? 1,
    maxAttempts: 5,
  };
  return Array.from({ length: count }, (_, i) => ({
    job_id: `job-${(i % (fields.jobs ?? 1)) + 1}`,
    target: fields.target ?? 'crm',
    failure_type: fields.failureType,
    status: fields.status,
    trigger: fields.trigger ?? 'automatic',
    plan,
  }));
}

function inputOf(parts: Partial<RecommendationInput>): RecommendationInput {
  return {
    failures: [],
    attempts: [],
    invalidColumns: [],
    settings: new Map([['crm', { batchSize: 500, timeoutMs: 30_000 }]]),
    ...parts,
  };
}

function column(fields: Partial<InvalidColumn>): InvalidColumn {
  return {
    code: 'integer',
    column: 'amount',
    rows: 1,
    jobs: 1,
    example: "Column 'amount' value 'x1' is not a whole number.",
    ...fields,
  };
}

describe('recommend', () => {
  it('recommends nothing for a quiet period', () => {
    expect(recommend(inputOf({}))).toEqual([]);
  });

  describe('target_timeouts', () => {
    const longer = { timeoutMs: 60_000 };

    it('halves the batch of a target whose timeouts recover only with a longer timeout', () => {
      const recommendations = recommend(
        inputOf({
          failures: failures(3, 'crm', 'timeout'),
          attempts: [
            ...attempts(2, {
              failureType: 'timeout',
              status: 'succeeded',
              adjustments: longer,
            }),
            ...attempts(1, { failureType: 'timeout', status: 'succeeded' }),
          ],
        }),
      );

      expect(recommendations).toEqual([
        expect.objectContaining({
          id: 'target_timeouts:crm',
          rule: 'target_timeouts',
          setting: 'recovery.targets.crm.batchSize',
          suggestedValue: 250,
          evidence: {
            timeouts: 3,
            recoveredAfterLongerTimeout: 2,
            recovered: 3,
            batchSize: 500,
          },
        }),
      ]);
      expect(recommendations[0].message).toContain('3 runs on');
    });

    it('needs three timeouts', () => {
      expect(
        recommend(
          inputOf({
            failures: failures(2, 'crm', 'timeout'),
            attempts: attempts(2, {
              failureType: 'timeout',
              status: 'succeeded',
              adjustments: longer,
            }),
          }),
        ),
      ).toEqual([]);
    });

    it('needs half of the recovered timeouts to have needed a longer timeout', () => {
      expect(
        recommend(
          inputOf({
            failures: failures(3, 'crm', 'timeout'),
            attempts: [
              ...attempts(1, {
                failureType: 'timeout',
                status: 'succeeded',
                adjustments: longer,
              }),
              ...attempts(2, { failureType: 'timeout', status: 'succeeded' }),
            ],
          }),
        ),
      ).toEqual([]);
      expect(
        recommend(inputOf({ failures: failures(5, 'crm', 'timeout') })),
      ).toEqual([]);
    });

    it('leaves the value out when the current batch size is not known', () => {
      const [recommendation] = recommend(
        inputOf({
          failures: failures(3, 'erp', 'timeout'),
          attempts: attempts(1, {
            target: 'erp',
            failureType: 'timeout',
            status: 'succeeded',
            adjustments: longer,
          }),
        }),
      );

      expect(recommendation.id).toBe('target_timeouts:erp');
      expect(recommendation.suggestedValue).toBeUndefined();
      expect(recommendation.evidence).toEqual({
        timeouts: 3,
        recoveredAfterLongerTimeout: 1,
        recovered: 1,
      });
    });
  });

  describe('target_batch_too_large', () => {
    it('suggests the largest batch that recovered after 413s', () => {
      const recommendations = recommend(
        inputOf({
          failures: failures(2, 'crm', 'memory', 413),
          attempts: [
            ...attempts(1, {
              failureType: 'memory',
              status: 'succeeded',
              adjustments: { batchSize: 250 },
            }),
            ...attempts(1, {
              failureType: 'memory',
              status: 'succeeded',
              adjustments: { batchSize: 125 },
            }),
            ...attempts(1, {
              failureType: 'memory',
              status: 'failed',
              adjustments: { batchSize: 400 },
            }),
          ],
        }),
      );

      expect(recommendations).toEqual([
        expect.objectContaining({
          id: 'target_batch_too_large:crm',
          rule: 'target_batch_too_large',
          setting: 'recovery.targets.crm.batchSize',
          suggestedValue: 250,
          evidence: { tooLarge: 2, batchSizesThatWorked: ['250', '125'] },
        }),
      ]);
      expect(recommendations[0].message).toContain('250 rows per batch');
    });

    it('needs two 413s', () => {
      expect(
        recommend(inputOf({ failures: failures(1, 'crm', 'memory', 413) })),
      ).toEqual([]);
    });

    it('does not blame the target for the process running out of memory', () => {
      expect(
        recommend(inputOf({ failures: failures(4, 'crm', 'memory') })),
      ).toEqual([]);
    });
  });

  describe('target_rate_limited', () => {
    it('asks for fewer requests when a target answers 429 three times', () => {
      expect(
        recommend(
          inputOf({
            failures: [
              ...failures(3, 'erp', 'temporary_resource', 429),
              ...failures(5, 'crm', 'temporary_resource', 503),
            ],
          }),
        ),
      ).toEqual([
        expect.objectContaining({
          id: 'target_rate_limited:erp',
          rule: 'target_rate_limited',
          setting: 'recovery.workers.concurrency, recovery.retry.backoff.base',
          evidence: { rateLimited: 3 },
        }),
      ]);
    });

    it('needs three 429s from one target', () => {
      expect(
        recommend(
          inputOf({
            failures: [
              ...failures(2, 'erp', 'temporary_resource', 429),
              ...failures(2, 'crm', 'temporary_resource', 429),
            ],
          }),
        ),
      ).toEqual([]);
    });
  });

  describe('retries_mostly_fail', () => {
    it('sends a failure type to a person when its automatic retries mostly fail on several jobs', () => {
      const [recommendation, ...others] = recommend(
        inputOf({
          attempts: [
            ...attempts(3, {
              failureType: 'validation_error',
              status: 'failed',
              jobs: 3,
            }),
            ...attempts(1, {
              failureType: 'validation_error',
              status: 'failed',
              trigger: 'batch',
            }),
            ...attempts(1, {
              failureType: 'validation_error',
              status: 'succeeded',
            }),
          ],
        }),
      );

      expect(others).toEqual([]);
      expect(recommendation).toMatchObject({
        id: 'retries_mostly_fail:validation_error',
        rule: 'retries_mostly_fail',
        title: 'Automatic retries of validation error failures mostly fail',
        setting: 'recovery.retry.manualFailureTypes',
        suggestedValue: ['validation_error'],
        evidence: {
          failureType: 'validation_error',
          attempts: 5,
          successes: 1,
          jobs: 3,
        },
      });
      expect(recommendation.message).toBe(
        '4 of 5 automatic recoveries of validation error failures on 3 jobs failed again. Send them to a person at once instead.',
      );
    });

    it('needs five automatic attempts', () => {
      expect(
        recommend(
          inputOf({
            attempts: [
              ...attempts(4, {
                failureType: 'validation_error',
                status: 'failed',
                jobs: 4,
              }),
              ...attempts(3, {
                failureType: 'validation_error',
                status: 'failed',
                trigger: 'manual',
                jobs: 3,
              }),
            ],
          }),
        ),
      ).toEqual([]);
    });

    it('needs three jobs: one job failing again and again is one event', () => {
      expect(
        recommend(
          inputOf({
            attempts: attempts(12, {
              failureType: 'validation_error',
              status: 'failed',
              jobs: 2,
            }),
          }),
        ),
      ).toEqual([]);
    });

    it('stays quiet when half of them succeed', () => {
      expect(
        recommend(
          inputOf({
            attempts: [
              ...attempts(3, {
                failureType: 'validation_error',
                status: 'failed',
                jobs: 3,
              }),
              ...attempts(3, {
                failureType: 'validation_error',
                status: 'succeeded',
                jobs: 3,
              }),
            ],
          }),
        ),
      ).toEqual([]);
    });

    it('recommends nothing after one 503 outage on one job', () => {
      // Five retries of one job, the last of them out of attempts.
      const outage = [1, 2, 3, 4, 5].flatMap(attempt =>
        attempts(1, {
          failureType: 'temporary_resource',
          status: 'failed',
          attempt,
        }),
      );
      expect(recommend(inputOf({ attempts: outage }))).toEqual([]);
    });

    it.each(['temporary_resource', 'network_error', 'timeout', 'interrupted'])(
      'never sends %s failures, which usually pass, to a person',
      type => {
        const failureType = type as FailureType;
        const recommendations = recommend(
          inputOf({
            attempts: [
              ...attempts(12, { failureType, status: 'failed', jobs: 4 }),
              ...attempts(1, { failureType, status: 'succeeded' }),
            ],
          }),
        );
        expect(
          recommendations.filter(
            r => r.setting === 'recovery.retry.manualFailureTypes',
          ),
        ).toEqual([]);
      },
    );

    it('asks to retry longer when jobs ran out of attempts on failures that usually pass', () => {
      const jobOutOfAttempts = (job: number) =>
        [1, 2, 3, 4, 5].flatMap(attempt =>
          attempts(1, {
            failureType: 'temporary_resource',
            status: 'failed',
            attempt,
          }).map(a => ({ ...a, job_id: `out-${job}` })),
        );
      const [recommendation, ...others] = recommend(
        inputOf({
          attempts: [
            ...jobOutOfAttempts(1),
            ...jobOutOfAttempts(2),
            ...attempts(2, {
              failureType: 'temporary_resource',
              status: 'succeeded',
            }),
          ],
        }),
      );

      expect(others).toEqual([]);
      expect(recommendation).toMatchObject({
        id: 'retries_mostly_fail:temporary_resource',
        rule: 'retries_mostly_fail',
        title:
          'Automatic retries of temporary resource failures ran out too soon',
        setting: 'recovery.retry.maxAttempts, recovery.retry.backoff.cap',
        evidence: {
          failureType: 'temporary_resource',
          attempts: 12,
          successes: 2,
          jobs: 3,
          jobsOutOfAttempts: 2,
          maxAttempts: 5,
        },
      });
      expect(recommendation.suggestedValue).toBeUndefined();
      expect(recommendation.message).toBe(
        '10 of 12 automatic recoveries of temporary resource failures on 3 jobs failed again; ' +
          '2 of those jobs ran out of automatic recoveries (recovery.retry.maxAttempts is 5) ' +
          'and wait for a person. Temporary resource failures usually pass once the target is back: ' +
          'let automatic recovery go on for longer, with more attempts or a longer backoff, ' +
          'rather than sending them to a person.',
      );
    });

    it('says nothing of failures that usually pass while no job ran out of attempts', () => {
      expect(
        recommend(
          inputOf({
            attempts: attempts(9, {
              failureType: 'network_error',
              status: 'failed',
              jobs: 3,
            }),
          }),
        ),
      ).toEqual([]);
    });
  });

  describe('recurring_invalid_column', () => {
    it('points at a column failing one check in twenty rows', () => {
      const [recommendation] = recommend(
        inputOf({ invalidColumns: [column({ rows: 20, jobs: 1 })] }),
      );
      expect(recommendation.message).toMatch(/^20 rows in 1 job failed/);
      expect(
        recommend(inputOf({ invalidColumns: [column({ rows: 20, jobs: 1 })] })),
      ).toEqual([
        expect.objectContaining({
          id: 'recurring_invalid_column:amount:integer',
          rule: 'recurring_invalid_column',
          setting: 'options.schema.columns.amount',
          evidence: { column: 'amount', code: 'integer', rows: 20, jobs: 1 },
        }),
      ]);
    });

    it('points at a column failing in three rows across two jobs', () => {
      const [recommendation] = recommend(
        inputOf({
          invalidColumns: [
            column({ column: 'zip', code: 'pattern', rows: 3, jobs: 2 }),
          ],
        }),
      );

      expect(recommendation).toMatchObject({
        id: 'recurring_invalid_column:zip:pattern',
        evidence: { column: 'zip', code: 'pattern', rows: 3, jobs: 2 },
      });
      expect(recommendation.message).toContain('3 rows in 2 jobs');
    });

    it('needs twenty rows in one job, or three across jobs', () => {
      expect(
        recommend(
          inputOf({
            invalidColumns: [
              column({ rows: 19, jobs: 1 }),
              column({ column: 'zip', rows: 2, jobs: 2 }),
            ],
          }),
        ),
      ).toEqual([]);
    });
  });

  it('gives every recommendation a stable id, a title, a message and its setting', () => {
    const recommendations = recommend(
      inputOf({
        failures: [
          ...failures(3, 'crm', 'timeout'),
          ...failures(2, 'crm', 'memory', 413),
          ...failures(3, 'crm', 'temporary_resource', 429),
        ],
        attempts: [
          ...attempts(1, {
            failureType: 'timeout',
            status: 'succeeded',
            adjustments: { timeoutMs: 60_000 },
          }),
          ...attempts(5, {
            failureType: 'validation_error',
            status: 'failed',
            jobs: 3,
          }),
        ],
        invalidColumns: [column({ rows: 40, jobs: 3 })],
      }),
    );

    expect(recommendations.map(r => r.id)).toEqual([
      'target_timeouts:crm',
      'target_batch_too_large:crm',
      'target_rate_limited:crm',
      'retries_mostly_fail:validation_error',
      'recurring_invalid_column:amount:integer',
    ]);
    for (const recommendation of recommendations) {
      expect(recommendation.title).not.toBe('');
      expect(recommendation.message).not.toBe('');
      expect(recommendation.setting).not.toBe('');
      expect(Object.keys(recommendation.evidence).length).toBeGreaterThan(0);
    }
  });
});
