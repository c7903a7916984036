import type { Recommendation } from '../client/analytics';
import type { FailureType, RecoveryPlan } from '../client/types';

/** What the rules look at: one period's failures, attempts, row errors. */
export interface RecommendationInput {
  failures: { target: string; type: FailureType; http_status: number | null }[];
  attempts: {
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
          `${mine.length} recoveries succeeded only after the timeout was raised. ` +
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

/** Automatic retries of a failure type that mostly fail waste time. */
function failingRetriesRule(input: RecommendationInput): Recommendation[] {
  const automatic = input.attempts.filter(a => a.trigger !== 'manual');
  const types = new Set(automatic.map(a => a.failure_type));
  return [...types].flatMap(type => {
    const attempts = automatic.filter(a => a.failure_type === type);
    const successes = attempts.filter(a => a.status === 'succeeded').length;
    if (attempts.length < MIN_ATTEMPTS || successes / attempts.length >= 0.5) {
      return [];
    }
    return [
      {
        id: `retries_mostly_fail:${type}`,
        rule: 'retries_mostly_fail' as const,
        title: `Automatic retries of ${type} failures mostly fail`,
        message:
          `${attempts.length - successes} of ${
            attempts.length
          } automatic recoveries of ` +
          `${type} failures failed again. Send them to a person at once instead.`,
        setting: 'recovery.retry.manualFailureTypes',
        suggestedValue: [type],
        evidence: {
          failureType: type,
          attempts: attempts.length,
          successes,
        },
      },
    ];
  });
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
        `${c.rows} rows in ${c.jobs} jobs failed the '${c.code}' check on column ` +
        `'${c.column}', e.g. "${c.example}". Fix the source, or the schema if the values are right.`,
      setting: `options.schema.columns.${c.column}`,
      evidence: { column: c.column, code: c.code, rows: c.rows, jobs: c.jobs },
    }));
}
