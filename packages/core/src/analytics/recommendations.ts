import type { Recommendation } from '../client/analytics';
import type { FailureType, RecoveryPlan } from '../client/types';
import { RECOVERABILITY } from '../recovery/classifier';

/** What the rules look at: one period's failures, attempts, row errors. */
export interface RecommendationInput {
  failures: { target: string; type: FailureType; http_status: number | null }[];
  attempts: {
    job_id: string;
    target: string;
    failure_type: FailureType;
    status: string;
    trigger: string;
    plan: RecoveryPlan;
  }[];
  invalidColumns: {
    code: string;
    column: string;
    rows: number;
    jobs: number;
    example: string;
  }[];
  /** The settings jobs of each target run with now. */
  settings: Map<string, { batchSize: number; timeoutMs: number }>;
}

/** How much data a rule needs before it speaks. */
const MIN_FAILURES = 3;
const MIN_ATTEMPTS = 5;
const MIN_INVALID_ROWS = 20;
/** Jobs a failure type's retries must have failed on: one job is one event. */
const MIN_JOBS = 3;
/** Of those, jobs that ran out of attempts before retrying longer is advised. */
const MIN_JOBS_OUT_OF_ATTEMPTS = 2;

/** "1 job", "3 jobs". */
function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A failure type in words: "temporary resource". */
function words(type: string, capital = false): string {
  const text = type.replace(/_/g, ' ');
  return capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * Draws recommendations from the period's data. Each rule needs a
 * minimum of evidence, so a quiet period recommends nothing.
 *
 * @public
 */
export function recommend(input: RecommendationInput): Recommendation[] {
  return [
    ...timeoutRule(input),
    ...batchTooLargeRule(input),
    ...rateLimitRule(input),
    ...failingRetriesRule(input),
    ...invalidColumnRule(input),
  ];
}

function byTarget<T extends { target: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    groups.set(row.target, [...(groups.get(row.target) ?? []), row]);
  }
  return groups;
}

/** Timeouts that only recover once the timeout was raised. */
function timeoutRule(input: RecommendationInput): Recommendation[] {
  const recovered = input.attempts.filter(
    a => a.failure_type === 'timeout' && a.status === 'succeeded',
  );
  return [
    ...byTarget(input.failures.filter(f => f.type === 'timeout')),
  ].flatMap(([target, failures]) => {
    if (failures.length < MIN_FAILURES) {
      return [];
    }
    const mine = recovered.filter(a => a.target === target);
    const adjusted = mine.filter(
      a => a.plan.adjustments?.timeoutMs !== undefined,
    );
    if (mine.length === 0 || adjusted.length < mine.length / 2) {
      return [];
    }
    const batchSize = input.settings.get(target)?.batchSize;
    const suggested = batchSize
      ? Math.max(10, Math.floor(batchSize / 2))
      : undefined;
    return [
      {
        id: `target_timeouts:${target}`,
        rule: 'target_timeouts' as const,
        title: `Target '${target}' times out with its batch size`,
        message:
          `${failures.length} runs on '${target}' timed out; ${adjusted.length} of ` +
          `${plural(mine.length, 'recovery', 'recoveries')} succeeded only ` +
          'after the timeout was raised. ' +
          'Smaller batches finish within the timeout without the wasted first try.',
        setting: `recovery.targets.${target}.batchSize`,
        ...(suggested ? { suggestedValue: suggested } : {}),
        evidence: {
          timeouts: failures.length,
          recoveredAfterLongerTimeout: adjusted.length,
          recovered: mine.length,
          ...(batchSize ? { batchSize } : {}),
        },
      },
    ];
  });
}

/**
 * 413s: requests too large for the target. Other memory failures (the
 * process ran out) say nothing about what the target accepts.
 */
function batchTooLargeRule(input: RecommendationInput): Recommendation[] {
  return [
    ...byTarget(input.failures.filter(f => f.http_status === 413)),
  ].flatMap(([target, failures]) => {
    if (failures.length < 2) {
      return [];
    }
    const worked = input.attempts
      .filter(
        a =>
          a.target === target &&
          a.failure_type === 'memory' &&
          a.status === 'succeeded',
      )
      .map(a => a.plan.adjustments?.batchSize)
      .filter((n): n is number => typeof n === 'number');
    const suggested = worked.length ? Math.max(...worked) : undefined;
    return [
      {
        id: `target_batch_too_large:${target}`,
        rule: 'target_batch_too_large' as const,
        title: `Batches are too large for target '${target}'`,
        message:
          `'${target}' refused ${failures.length} batches as too large` +
          (suggested
            ? `; recoveries succeeded with ${suggested} rows per batch.`
            : '.'),
        setting: `recovery.targets.${target}.batchSize`,
        ...(suggested ? { suggestedValue: suggested } : {}),
        evidence: {
          tooLarge: failures.length,
          batchSizesThatWorked: worked.map(String),
        },
      },
    ];
  });
}

/** A target answering 429: fewer requests at once, longer waits. */
function rateLimitRule(input: RecommendationInput): Recommendation[] {
  return [
    ...byTarget(input.failures.filter(f => f.http_status === 429)),
  ].flatMap(([target, failures]) =>
    failures.length < MIN_FAILURES
      ? []
      : [
          {
            id: `target_rate_limited:${target}`,
            rule: 'target_rate_limited' as const,
            title: `Target '${target}' is rate-limiting Rebound`,
            message:
              `'${target}' answered 429 Too Many Requests ${failures.length} times. ` +
              'Run fewer jobs at once and wait longer between retries.',
            setting:
              'recovery.workers.concurrency, recovery.retry.backoff.base',
            evidence: { rateLimited: failures.length },
          },
        ],
  );
}

type AttemptInput = RecommendationInput['attempts'][number];

/** A failed attempt after which its job had no automatic retry left. */
function ranOut(attempt: AttemptInput): boolean {
  const { plan } = attempt;
  const stalled = plan.stalledAttempts ?? plan.attempt - 1;
  return (
    attempt.status === 'failed' &&
    (stalled + 1 >= plan.maxAttempts ||
      (plan.maxTotalAttempts !== undefined &&
        plan.attempt >= plan.maxTotalAttempts))
  );
}

/**
 * Automatic retries of a failure type that mostly fail, over several
 * jobs. A type that seldom passes on its own is better sent to a person
 * at once. A type that usually does (a timeout, a busy target) is never
 * advised so: its retries failing means an outage outlasted them, and
 * the advice is to retry longer, when jobs did run out of attempts.
 */
function failingRetriesRule(input: RecommendationInput): Recommendation[] {
  const automatic = input.attempts.filter(a => a.trigger !== 'manual');
  const types = new Set(automatic.map(a => a.failure_type));
  return [...types].flatMap(type => {
    const attempts = automatic.filter(a => a.failure_type === type);
    const successes = attempts.filter(a => a.status === 'succeeded').length;
    const jobs = new Set(attempts.map(a => a.job_id)).size;
    if (
      attempts.length < MIN_ATTEMPTS ||
      jobs < MIN_JOBS ||
      successes / attempts.length >= 0.5
    ) {
      return [];
    }
    const evidence = {
      failureType: type,
      attempts: attempts.length,
      successes,
      jobs,
    };
    const failed = `${attempts.length - successes} of ${plural(
      attempts.length,
      'automatic recovery',
      'automatic recoveries',
    )} of ${words(type)} failures on ${plural(jobs, 'job')} failed again`;
    if (RECOVERABILITY[type] === 'high') {
      return retryLongerAdvice(type, attempts, failed, evidence);
    }
    return [
      {
        id: `retries_mostly_fail:${type}`,
        rule: 'retries_mostly_fail' as const,
        title: `Automatic retries of ${words(type)} failures mostly fail`,
        message: `${failed}. Send them to a person at once instead.`,
        setting: 'recovery.retry.manualFailureTypes',
        suggestedValue: [type],
        evidence,
      },
    ];
  });
}

/** Retries of a type that usually passes ran out: give them longer. */
function retryLongerAdvice(
  type: FailureType,
  attempts: AttemptInput[],
  failed: string,
  evidence: Recommendation['evidence'],
): Recommendation[] {
  const outOfAttempts = attempts.filter(ranOut);
  const jobsOut = new Set(outOfAttempts.map(a => a.job_id)).size;
  if (jobsOut < MIN_JOBS_OUT_OF_ATTEMPTS) {
    return [];
  }
  const maxAttempts = Math.max(...outOfAttempts.map(a => a.plan.maxAttempts));
  return [
    {
      id: `retries_mostly_fail:${type}`,
      rule: 'retries_mostly_fail' as const,
      title: `Automatic retries of ${words(type)} failures ran out too soon`,
      message:
        `${failed}; ${jobsOut} of those jobs ran out of automatic recoveries ` +
        `(recovery.retry.maxAttempts is ${maxAttempts}) and wait for a ` +
        `person. ${words(type, true)} failures usually pass once the target ` +
        'is back: let automatic recovery go on for longer, with more ' +
        'attempts or a longer backoff, rather than sending them to a person.',
      setting: 'recovery.retry.maxAttempts, recovery.retry.backoff.cap',
      evidence: { ...evidence, jobsOutOfAttempts: jobsOut, maxAttempts },
    },
  ];
}

/** One column failing the same check again and again. */
function invalidColumnRule(input: RecommendationInput): Recommendation[] {
  return input.invalidColumns
    .filter(
      c =>
        c.rows >= MIN_INVALID_ROWS || (c.jobs >= 2 && c.rows >= MIN_FAILURES),
    )
    .sort((a, b) => b.rows - a.rows)
    .slice(0, 10)
    .map(c => ({
      id: `recurring_invalid_column:${c.column}:${c.code}`,
      rule: 'recurring_invalid_column' as const,
      title: `Column '${c.column}' fails the '${c.code}' check again and again`,
      message:
        `${plural(c.rows, 'row')} in ${plural(c.jobs, 'job')} failed the '${
          c.code
        }' check on column ` +
        `'${c.column}', e.g. "${c.example}". Fix the source, or the schema if the values are right.`,
      setting: `options.schema.columns.${c.column}`,
      evidence: { column: c.column, code: c.code, rows: c.rows, jobs: c.jobs },
    }));
}
