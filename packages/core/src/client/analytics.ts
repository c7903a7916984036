/** Wire types of GET /analytics. Isomorphic. */
import type { FailureType } from './types';

/** @public */
export interface SuccessRate {
  key: string;
  attempts: number;
  successes: number;
  /** successes / attempts, from 0 to 1; null without attempts. */
  rate: number | null;
}

/** @public */
export interface DurationSummary {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** @public */
export interface FailurePattern {
  signature: string;
  count: number;
  previousCount: number;
  trend: 'new' | 'rising' | 'steady' | 'falling';
  firstSeen: string;
  lastSeen: string;
  failureTypes: FailureType[];
  targets: string[];
  jobCount: number;
  /** Up to ten of the jobs it hit. */
  jobIds: string[];
  example: string;
}

/** @public */
export interface Recommendation {
  /** The rule and its scope, stable across reports. */
  id: string;
  rule:
    | 'target_timeouts'
    | 'target_rate_limited'
    | 'target_batch_too_large'
    | 'retries_mostly_fail'
    | 'recurring_invalid_column';
  title: string;
  message: string;
  /** The setting to change. */
  setting: string;
  suggestedValue?: string | number | string[];
  evidence: Record<string, string | number | string[]>;
}

/** @public */
export interface Alert {
  id: string;
  kind:
    | 'recovery_failure_rate'
    | 'export_failures'
    | 'missed_runs'
    | 'storage_low';
  scope: string;
  status: 'open' | 'resolved';
  message: string;
  value: number | null;
  threshold: number | null;
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

/** @public */
export interface AnalyticsReport {
  from: string;
  to: string;
  /** True when the period holds no failures and no recoveries. */
  empty: boolean;
  summary: {
    failures: number;
    attempts: number;
    successes: number;
    rate: number | null;
    /** Attempts on failures of high or medium recoverability. */
    recoverableAttempts: number;
    recoverableSuccesses: number;
    recoverableRate: number | null;
  };
  successRateByFailureType: SuccessRate[];
  successRateByJobType: SuccessRate[];
  successRateByTarget: SuccessRate[];
  timeToRecover: DurationSummary;
  attemptsPerRecoveredJob: {
    count: number;
    mean: number | null;
    median: number | null;
    max: number | null;
  };
  quarantine: {
    rowsDone: number;
    rowsQuarantined: number;
    share: number | null;
  };
  manualIntervention: {
    waiting: number;
    oldestWaitingMs: number | null;
    medianWaitingMs: number | null;
  };
  patterns: FailurePattern[];
  failuresByHour: { hour: number; failures: number }[];
  failuresByTarget: {
    target: string;
    failures: number;
    types: Partial<Record<FailureType, number>>;
  }[];
  overTime: {
    date: string;
    failures: number;
    recoveries: number;
    successes: number;
  }[];
  recommendations: Recommendation[];
  alerts: Alert[];
}
