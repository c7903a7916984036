import type { Knex } from 'knex';
import type {
  AnalyticsReport,
  DurationSummary,
  FailurePattern,
  SuccessRate,
} from '../client/analytics';
import type { FailureType, RecoveryPlan } from '../client/types';
import { inputError } from '../errors';
import { RECOVERABILITY } from '../recovery/classifier';
import type { AlertService } from './AlertService';
import { recommend, type RecommendationInput } from './recommendations';
import { median, percentile, ratio } from './stats';

const DAY = 86_400_000;
const FINISHED = ['succeeded', 'failed'];

interface AttemptRow {
  id: string;
  job_id: string;
  target: string;
  failure_type: FailureType;
  status: string;
  trigger: string;
  plan: string;
  created_at: string;
  finished_at: string | null;
  job_type: string;
}

interface FailureRow {
  job_id: string;
  target: string;
  type: FailureType;
  message: string;
  signature: string;
  http_status: number | null;
  at: string;
}

/**
 * Measures how well recovery works over a period: success rates, time to
 * recover, failure patterns, and the recommendations drawn from them.
 *
 * @public
 */
export class AnalyticsService {
  constructor(
    private readonly knex: Knex,
    private readonly alerts?: AlertService,
  ) {}

  /** Reads ?from=&to= (ISO dates); the last 7 days by default. */
  static parseRange(from?: string, to?: string, now = Date.now()) {
    const end = to ? parseInstant('to', to) : now;
    const start = from ? parseInstant('from', from) : end - 7 * DAY;
    if (start >= end) {
      // A date alone is its midnight: to=2026-12-04 ends before that day.
      const bareTo = to !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(to);
      const wholeDay =
        bareTo && from === to
          ? ` A date alone is its start (00:00 UTC), so to=${to} ends ` +
            `the period as that day begins; for the whole day ask for ` +
            `to=${new Date(end + DAY).toISOString().slice(0, 10)}.`
          : '';
      throw inputError(
        'invalid_range',
        `from (${from}) must be before to (${to ?? 'now'}).${wholeDay}`,
      );
    }
    if (end - start > 366 * DAY) {
      throw inputError(
        'invalid_range',
        `from (${new Date(start).toISOString()}) and to (${new Date(
          end,
        ).toISOString()}) are ${Math.ceil((end - start) / DAY)} days apart; ` +
          'the period may be at most 366 days, ask for a shorter one.',
      );
    }
    return {
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
    };
  }

  async report(range: { from: string; to: string }): Promise<AnalyticsReport> {
    const { from, to } = range;
    const previousFrom = new Date(
      2 * Date.parse(from) - Date.parse(to),
    ).toISOString();
    const [attempts, failures, previousFailures] = await Promise.all([
      this.attempts(from, to),
      this.failures(from, to),
      this.failures(previousFrom, from),
    ]);
    const finished = attempts.filter(a => FINISHED.includes(a.status));
    const episodes = await this.recoveredEpisodes(finished);
    const invalidColumns = await this.invalidColumns(from, to);

    const successes = finished.filter(a => a.status === 'succeeded').length;
    const recoverable = finished.filter(a =>
      ['high', 'medium'].includes(RECOVERABILITY[a.failure_type]),
    );
    const recoverableSuccesses = recoverable.filter(
      a => a.status === 'succeeded',
    ).length;
    const byFailureType = rates(finished, a => a.failure_type);
    const byTarget = rates(finished, a => a.target);

    const input: RecommendationInput = {
      failures,
      attempts: finished.map(a => ({
        ...a,
        plan: JSON.parse(a.plan) as RecoveryPlan,
      })),
      invalidColumns,
      settings: await this.currentSettings(),
    };
    return {
      from,
      to,
      empty: failures.length === 0 && attempts.length === 0,
      summary: {
        failures: failures.length,
        attempts: finished.length,
        successes,
        rate: ratio(successes, finished.length),
        recoverableAttempts: recoverable.length,
        recoverableSuccesses,
        recoverableRate: ratio(recoverableSuccesses, recoverable.length),
      },
      successRateByFailureType: byFailureType,
      successRateByJobType: rates(finished, a => a.job_type),
      successRateByTarget: byTarget,
      timeToRecover: durations(episodes.map(e => e.recoverMs)),
      attemptsPerRecoveredJob: {
        count: episodes.length,
        mean: episodes.length
          ? Math.round(
              (episodes.reduce((n, e) => n + e.attempts, 0) / episodes.length) *
                100,
            ) / 100
          : null,
        median: median(episodes.map(e => e.attempts)),
        max: episodes.length
          ? Math.max(...episodes.map(e => e.attempts))
          : null,
      },
      quarantine: await this.quarantine(from, to),
      manualIntervention: await this.manualQueue(
        Math.min(Date.parse(to), Date.now()),
      ),
      patterns: patterns(failures, previousFailures),
      failuresByHour: byHour(failures),
      failuresByTarget: byTargetTypes(failures),
      overTime: overTime(failures, finished, from, to),
      recommendations: recommend(input),
      // Open alerts are of now, whatever the period; resolved ones are
      // those resolved within it.
      alerts: this.alerts
        ? await this.alerts.list({ since: from, until: to })
        : [],
    };
  }

  private attempts(from: string, to: string): Promise<AttemptRow[]> {
    return this.knex('recovery_attempts as a')
      .join('jobs as j', 'j.id', 'a.job_id')
      .where('a.created_at', '>=', from)
      .andWhere('a.created_at', '<', to)
      .select(
        'a.id',
        'a.job_id',
        'a.target',
        'a.failure_type',
        'a.status',
        'a.trigger',
        'a.plan',
        'a.created_at',
        'a.finished_at',
        'j.type as job_type',
      )
      .orderBy('a.created_at');
  }

  private failures(from: string, to: string): Promise<FailureRow[]> {
    return this.knex('failures')
      .where('at', '>=', from)
      .andWhere('at', '<', to)
      .select(
        'job_id',
        'target',
        'type',
        'message',
        'signature',
        'http_status',
        'at',
      )
      .orderBy('at');
  }

  /**
   * A recovered episode runs from the first failure after the job's
   * previous success to the attempt that succeeded.
   */
  private async recoveredEpisodes(finished: AttemptRow[]) {
    const succeeded = finished.filter(
      a => a.status === 'succeeded' && a.finished_at,
    );
    const jobIds = [...new Set(succeeded.map(a => a.job_id))];
    const failuresByJob = new Map<string, string[]>();
    const attemptsByJob = new Map<string, AttemptRow[]>();
    for (let i = 0; i < jobIds.length; i += 500) {
      const ids = jobIds.slice(i, i + 500);
      const [failureRows, attemptRows] = await Promise.all([
        this.knex('failures')
          .whereIn('job_id', ids)
          .select('job_id', 'at')
          .orderBy('at'),
        this.knex('recovery_attempts')
          .whereIn('job_id', ids)
          .select('job_id', 'status', 'created_at', 'finished_at')
          .orderBy('created_at'),
      ]);
      for (const row of failureRows) {
        failuresByJob.set(row.job_id, [
          ...(failuresByJob.get(row.job_id) ?? []),
          row.at,
        ]);
      }
      for (const row of attemptRows) {
        attemptsByJob.set(row.job_id, [
          ...(attemptsByJob.get(row.job_id) ?? []),
          row,
        ]);
      }
    }

    return succeeded.flatMap(success => {
      const history = attemptsByJob.get(success.job_id) ?? [];
      const previous = history
        .filter(
          a =>
            a.status === 'succeeded' &&
            a.finished_at &&
            a.finished_at < success.finished_at!,
        )
        .map(a => a.finished_at!)
        .pop();
      const start = (failuresByJob.get(success.job_id) ?? []).find(
        at => (!previous || at > previous) && at <= success.finished_at!,
      );
      if (!start) {
        return [];
      }
      const attempts = history.filter(
        a =>
          a.created_at >= start &&
          a.created_at <= success.created_at &&
          a.status !== 'manual',
      ).length;
      return [
        {
          recoverMs: Date.parse(success.finished_at!) - Date.parse(start),
          attempts,
        },
      ];
    });
  }

  private async quarantine(from: string, to: string) {
    const row = await this.knex('jobs')
      .where('finished_at', '>=', from)
      .andWhere('finished_at', '<', to)
      .sum({ done: 'rows_done', quarantined: 'rows_quarantined' })
      .first();
    const rowsDone = Number(row?.done ?? 0);
    const rowsQuarantined = Number(row?.quarantined ?? 0);
    return {
      rowsDone,
      rowsQuarantined,
      share: ratio(rowsQuarantined, rowsDone),
    };
  }

  /**
   * The jobs waiting at the end of the period (or now, when that is
   * earlier): a job that reached the queue later did not wait in it.
   */
  private async manualQueue(now: number) {
    const rows = await this.knex('jobs')
      .where('status', 'manual_intervention_required')
      .andWhere('updated_at', '<=', new Date(now).toISOString())
      .select('updated_at');
    const waits = rows
      .map(r => Math.max(0, now - Date.parse(r.updated_at)))
      .sort((a, b) => a - b);
    return {
      waiting: waits.length,
      oldestWaitingMs: waits.length ? waits[waits.length - 1] : null,
      medianWaitingMs: median(waits),
    };
  }

  /** Row errors by code and column, the data behind schema advice. */
  private async invalidColumns(from: string, to: string) {
    const rows: Record<string, string | number>[] = await this.knex(
      'row_errors',
    )
      .where('created_at', '>=', from)
      .andWhere('created_at', '<', to)
      .whereNotNull('column')
      .select('code', 'column')
      .count({ rows: '*' })
      .countDistinct({ jobs: 'job_id' })
      .min({ example: 'message' })
      .groupBy('code', 'column');
    return rows.map(r => ({
      code: String(r.code),
      column: String(r.column),
      rows: Number(r.rows),
      jobs: Number(r.jobs),
      example: String(r.example),
    }));
  }

  /** The batch sizes and timeouts jobs run with now, by target. */
  private async currentSettings() {
    const rows = await this.knex('jobs')
      .select('target', 'settings')
      .orderBy('created_at', 'desc')
      .limit(500);
    const byTarget = new Map<
      string,
      { batchSize: number; timeoutMs: number }
    >();
    for (const row of rows) {
      if (!byTarget.has(row.target)) {
        byTarget.set(row.target, JSON.parse(row.settings));
      }
    }
    return byTarget;
  }
}

/** ISO 8601 only: Date.parse also takes 'foo 2020' and rolls 02-30 over. */
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseInstant(name: string, value: string): number {
  const day = value.slice(0, 10);
  const time = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  const dayExists =
    !Number.isNaN(Date.parse(day)) &&
    new Date(Date.parse(day)).toISOString().slice(0, 10) === day;
  if (Number.isNaN(time) || !dayExists) {
    throw inputError(
      'invalid_range',
      `${name} is '${value}', not a date; use ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z.`,
    );
  }
  return time;
}

function rates<T extends { status: string }>(
  rows: T[],
  key: (row: T) => string,
): SuccessRate[] {
  const groups = new Map<string, { attempts: number; successes: number }>();
  for (const row of rows) {
    const group = groups.get(key(row)) ?? { attempts: 0, successes: 0 };
    group.attempts += 1;
    group.successes += row.status === 'succeeded' ? 1 : 0;
    groups.set(key(row), group);
  }
  return [...groups.entries()]
    .map(([k, g]) => ({ key: k, ...g, rate: ratio(g.successes, g.attempts) }))
    .sort((a, b) => b.attempts - a.attempts || a.key.localeCompare(b.key));
}

function durations(values: number[]): DurationSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianMs: median(sorted),
    p90Ms: percentile(sorted, 90),
  };
}

function patterns(
  current: FailureRow[],
  previous: FailureRow[],
): FailurePattern[] {
  const before = new Map<string, number>();
  for (const failure of previous) {
    before.set(failure.signature, (before.get(failure.signature) ?? 0) + 1);
  }
  const groups = new Map<string, FailureRow[]>();
  for (const failure of current) {
    groups.set(failure.signature, [
      ...(groups.get(failure.signature) ?? []),
      failure,
    ]);
  }
  return [...groups.entries()]
    .map(([signature, rows]) => {
      const previousCount = before.get(signature) ?? 0;
      const jobs = [...new Set(rows.map(r => r.job_id))];
      return {
        signature,
        count: rows.length,
        previousCount,
        trend: trendOf(rows.length, previousCount),
        firstSeen: rows[0].at,
        lastSeen: rows[rows.length - 1].at,
        failureTypes: [...new Set(rows.map(r => r.type))],
        targets: [...new Set(rows.map(r => r.target))],
        jobCount: jobs.length,
        jobIds: jobs.slice(0, 10),
        example: rows[rows.length - 1].message,
      };
    })
    .sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature))
    .slice(0, 50);
}

function trendOf(count: number, previous: number): FailurePattern['trend'] {
  if (previous === 0) {
    return 'new';
  }
  if (count > previous * 1.25) {
    return 'rising';
  }
  return count < previous * 0.75 ? 'falling' : 'steady';
}

function byHour(failures: FailureRow[]) {
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    failures: 0,
  }));
  for (const failure of failures) {
    hours[new Date(failure.at).getUTCHours()].failures += 1;
  }
  return hours;
}

function byTargetTypes(failures: FailureRow[]) {
  const targets = new Map<
    string,
    { failures: number; types: Partial<Record<FailureType, number>> }
  >();
  for (const failure of failures) {
    const entry = targets.get(failure.target) ?? { failures: 0, types: {} };
    entry.failures += 1;
    entry.types[failure.type] = (entry.types[failure.type] ?? 0) + 1;
    targets.set(failure.target, entry);
  }
  return [...targets.entries()]
    .map(([target, entry]) => ({ target, ...entry }))
    .sort((a, b) => b.failures - a.failures);
}

function overTime(
  failures: FailureRow[],
  attempts: AttemptRow[],
  from: string,
  to: string,
) {
  const days = new Map<
    string,
    { failures: number; recoveries: number; successes: number }
  >();
  for (let t = Date.parse(from.slice(0, 10)); t < Date.parse(to); t += DAY) {
    days.set(new Date(t).toISOString().slice(0, 10), {
      failures: 0,
      recoveries: 0,
      successes: 0,
    });
  }
  const day = (iso: string) => {
    const key = iso.slice(0, 10);
    if (!days.has(key)) {
      days.set(key, { failures: 0, recoveries: 0, successes: 0 });
    }
    return days.get(key)!;
  };
  failures.forEach(f => (day(f.at).failures += 1));
  for (const attempt of attempts) {
    const entry = day(attempt.created_at);
    entry.recoveries += 1;
    entry.successes += attempt.status === 'succeeded' ? 1 : 0;
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, counts]) => ({ date, ...counts }));
}
