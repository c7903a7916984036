import type { ExportRequest } from '../exports/wire';

/** What happens to slots that passed while no backend ran. @public */
export type MissedRunPolicy = 'skip' | 'latest' | 'all';

/** @public */
export const MISSED_RUN_POLICIES: MissedRunPolicy[] = ['skip', 'latest', 'all'];

/** @public */
export interface EmailDelivery {
  type: 'email';
  to: string[];
}

/** @public */
export interface WebhookDelivery {
  type: 'webhook';
  url: string;
  /** Write-only: an answer says `hasSecret` instead. */
  secret?: string;
  hasSecret?: boolean;
}

/** @public */
export interface StorageDelivery {
  type: 'storage';
  /** A template under the delivery root: {schedule}/{date}/{name}.{ext}. */
  path: string;
}

/** @public */
export interface SlackDelivery {
  type: 'slack';
  /** A channel id such as C0123456789, not a name. */
  channel: string;
}

/** A delivery as given; other plugins' channels add their own types. @public */
export type Delivery =
  | EmailDelivery
  | WebhookDelivery
  | StorageDelivery
  | SlackDelivery
  | ({ type: string } & Record<string, unknown>);

/** @public */
export interface Schedule {
  id: string;
  name: string;
  /** The user or group entity ref of whoever created it. */
  owner: string;
  cron: string;
  timezone: string;
  /** In plain words, e.g. "every Monday at 08:00 (Europe/Berlin)". */
  description: string;
  export: ExportRequest;
  deliveries: Delivery[];
  enabled: boolean;
  missedRunPolicy: MissedRunPolicy;
  /** The newest cron slot handled, run or recorded as missed. */
  lastRunAt: string | null;
  /** The newest run, by its slot, of either trigger; null before the first. */
  lastRun: ScheduleLastRun | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The outcome of a schedule's newest run, as lists show it. @public */
export interface ScheduleLastRun {
  id: string;
  status: ScheduleRunStatus;
  scheduledFor: string;
  finishedAt: string | null;
  error: { code: string; message: string } | null;
}

/** @public */
export type ScheduleRunStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'missed';

/** @public */
export type DeliveryAttemptStatus = 'delivered' | 'failed';

/** One try of one delivery to one recipient. @public */
export interface DeliveryAttempt {
  id: string;
  runId: string;
  /** Index into the schedule's deliveries. */
  delivery: number;
  type: string;
  recipient: string;
  attempt: number;
  status: DeliveryAttemptStatus;
  /** Whether trying again could help. */
  retryable: boolean | null;
  error: { code: string; message: string } | null;
  /**
   * What the channel reports back: message id, file id; for storage, the
   * `path` written (or tried, when the write failed), relative to the
   * delivery folder, where `recipient` is the path template.
   */
  detail: Record<string, unknown> | null;
  startedAt: string;
  finishedAt: string;
}

/** @public */
export interface ScheduleRun {
  id: string;
  scheduleId: string;
  /** The cron slot, or the moment of a run now. */
  scheduledFor: string;
  trigger: 'schedule' | 'manual';
  status: ScheduleRunStatus;
  exportId: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: DeliveryAttempt[];
}

/** One coming run of a preview. @public */
export interface PreviewRun {
  /** UTC. */
  at: string;
  /** The wall clock in the schedule's zone, with its offset. */
  local: string;
  warning?: string;
}

/**
 * A change of the zone's clocks that moves a run out of a gap (the clocks
 * go forward) or runs it once in an hour that happens twice (they go back).
 *
 * @public
 */
export interface DaylightSavingChange {
  /** When the clocks change, UTC. */
  at: string;
  clocks: 'forward' | 'back';
  /** The zone's offset from UTC before and after, e.g. "+01:00". */
  offsetBefore: string;
  offsetAfter: string;
  /** The first run the change moves or merges, with its warning. */
  run: PreviewRun & { warning: string };
}

/** The answer of POST /schedules/preview. @public */
export interface SchedulePreview {
  cron: string;
  timezone: string;
  description: string;
  /** The runs are the first `count` strictly after this instant. */
  from: string;
  runs: PreviewRun[];
  /** The warnings of `runs`, in their order. */
  warnings: string[];
  /**
   * A look a year ahead of `from`, whatever the number of runs asked for:
   * the first clock change that moves or merges a run, or null when none
   * does before `checkedUntil`.
   */
  daylightSaving: {
    checkedUntil: string;
    next: DaylightSavingChange | null;
  };
}

/**
 * A delivery channel of this backend, and whether it can deliver: an
 * unconfigured one names the config key an administrator sets.
 *
 * @public
 */
export interface DeliveryChannelInfo {
  type: string;
  configured: boolean;
  /** Only when `configured` is false, e.g. "recovery.delivery.email.smtp". */
  missingConfig?: string;
}
