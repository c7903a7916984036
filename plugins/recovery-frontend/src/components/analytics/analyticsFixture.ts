/** A report of a busy period, as GET /analytics answers it, for the tests. */
import type { AnalyticsReport } from '@rebound/core/client';

const HOUR = 3_600_000;

export const jobIds = Array.from(
  { length: 10 },
  (_, i) => `${String(i).repeat(8)}-4b6f-4c1e-9a2d-${String(i).repeat(12)}`,
);

/** `count` days from 2026-12-01, with failures 3, 1, 4, 1, 5, … */
export function days(count: number): AnalyticsReport['overTime'] {
  return Array.from({ length: count }, (_, i) => ({
    date: new Date(Date.UTC(2026, 11, 1 + i)).toISOString().slice(0, 10),
    failures: [3, 1, 4, 1, 5][i % 5],
    recoveries: [2, 1, 3, 0, 4][i % 5],
    successes: [2, 0, 3, 0, 2][i % 5],
  }));
}

export function busyReport(): AnalyticsReport {
  return {
    from: '2026-12-01T00:00:00.000Z',
    to: '2026-12-05T23:59:59.999Z',
    empty: false,
    summary: {
      failures: 42,
      attempts: 30,
      successes: 24,
      rate: 0.8,
      recoverableAttempts: 25,
      recoverableSuccesses: 23,
      recoverableRate: 0.92,
    },
    successRateByFailureType: [
      { key: 'temporary_resource', attempts: 20, successes: 17, rate: 0.85 },
      { key: 'timeout', attempts: 12, successes: 10, rate: 10 / 12 },
      { key: 'network_error', attempts: 8, successes: 8, rate: 1 },
      { key: 'validation_error', attempts: 5, successes: 2, rate: 0.4 },
    ],
    successRateByJobType: [
      { key: 'csv_import', attempts: 26, successes: 21, rate: 21 / 26 },
      { key: 'api_upload', attempts: 4, successes: 3, rate: 0.75 },
    ],
    successRateByTarget: [
      { key: 'crm', attempts: 22, successes: 20, rate: 20 / 22 },
      { key: 'local', attempts: 8, successes: 4, rate: 0.5 },
    ],
    timeToRecover: { count: 24, medianMs: 252_000, p90Ms: 1.5 * HOUR },
    attemptsPerRecoveredJob: { count: 20, mean: 1.25, median: 1, max: 4 },
    quarantine: { rowsDone: 120_000, rowsQuarantined: 180, share: 0.0015 },
    manualIntervention: {
      waiting: 2,
      oldestWaitingMs: 3 * HOUR,
      medianWaitingMs: 2 * HOUR,
    },
    patterns: [
      {
        signature: 'Target <str> answered <n> for rows <n>-<n>',
        count: 14,
        previousCount: 3,
        trend: 'rising',
        firstSeen: '2026-12-01T08:00:00.000Z',
        lastSeen: '2026-12-05T17:30:00.000Z',
        failureTypes: ['temporary_resource'],
        targets: ['crm'],
        jobCount: 14,
        jobIds,
        example: "Target 'crm' answered 503 for rows 2501-3000",
      },
      {
        signature: 'Column <str> is not a date: <str>',
        count: 5,
        previousCount: 0,
        trend: 'new',
        firstSeen: '2026-12-03T09:00:00.000Z',
        lastSeen: '2026-12-04T10:00:00.000Z',
        failureTypes: ['validation_error', 'data_quality'],
        targets: ['local'],
        jobCount: 1,
        jobIds: [jobIds[0]],
        example: "Column 'birthday' is not a date: '31/02/1990'",
      },
    ],
    failuresByHour: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      failures: hour === 14 ? 9 : hour % 4,
    })),
    failuresByTarget: [
      {
        target: 'crm',
        failures: 30,
        types: { temporary_resource: 20, timeout: 10 },
      },
      { target: 'local', failures: 12, types: { validation_error: 12 } },
    ],
    overTime: days(5),
    recommendations: [
      {
        id: 'target_timeouts:crm',
        rule: 'target_timeouts',
        title: "Target 'crm' times out with its batch size",
        message: 'Most of its timeouts recovered only with a longer timeout.',
        setting: 'recovery.targets.crm.batchSize',
        suggestedValue: 250,
        evidence: {
          timeouts: 6,
          recoveredAfterLongerTimeout: 4,
          recovered: 5,
          batchSize: 500,
        },
      },
      {
        id: 'retries_mostly_fail:validation_error',
        rule: 'retries_mostly_fail',
        title: 'Automatic retries of validation errors mostly fail',
        message: 'Send these failures to a person instead of retrying.',
        setting: 'recovery.retry.manualFailureTypes',
        suggestedValue: ['security', 'validation_error'],
        evidence: {
          failureType: 'validation_error',
          attempts: 5,
          successes: 2,
        },
      },
    ],
    alerts: [
      {
        id: 'a-1',
        kind: 'recovery_failure_rate',
        scope: '',
        status: 'open',
        message: '23.5% of the recoveries of the last hour failed.',
        value: 0.235,
        threshold: 0.15,
        openedAt: '2026-12-05T10:00:00.000Z',
        updatedAt: '2026-12-05T11:00:00.000Z',
        resolvedAt: null,
      },
      {
        id: 'a-2',
        kind: 'export_failures',
        scope: '',
        status: 'resolved',
        message: '2 exports failed in the last 60 minutes.',
        value: 2,
        threshold: 0,
        openedAt: '2026-12-02T10:00:00.000Z',
        updatedAt: '2026-12-02T10:30:00.000Z',
        resolvedAt: '2026-12-02T11:00:00.000Z',
      },
      {
        id: 'a-3',
        kind: 'storage_low',
        scope: '',
        status: 'open',
        message: 'Storage has 512 MiB free.',
        value: 512 * 1024 * 1024,
        threshold: 1024 * 1024 * 1024,
        openedAt: '2026-12-04T10:00:00.000Z',
        updatedAt: '2026-12-05T09:00:00.000Z',
        resolvedAt: null,
      },
    ],
  };
}

/** A period without failures or recoveries. */
export function emptyReport(): AnalyticsReport {
  const report = busyReport();
  return {
    ...report,
    empty: true,
    summary: {
      failures: 0,
      attempts: 0,
      successes: 0,
      rate: null,
      recoverableAttempts: 0,
      recoverableSuccesses: 0,
      recoverableRate: null,
    },
    successRateByFailureType: [],
    successRateByJobType: [],
    successRateByTarget: [],
    timeToRecover: { count: 0, medianMs: null, p90Ms: null },
    attemptsPerRecoveredJob: { count: 0, mean: null, median: null, max: null },
    quarantine: { rowsDone: 0, rowsQuarantined: 0, share: null },
    manualIntervention: {
      waiting: 0,
      oldestWaitingMs: null,
      medianWaitingMs: null,
    },
    patterns: [],
    failuresByHour: report.failuresByHour.map(h => ({ ...h, failures: 0 })),
    failuresByTarget: [],
    overTime: days(5).map(d => ({
      ...d,
      failures: 0,
      recoveries: 0,
      successes: 0,
    })),
    recommendations: [],
    alerts: [],
  };
}
