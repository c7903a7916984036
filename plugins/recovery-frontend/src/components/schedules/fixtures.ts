/** Schedules, runs and previews as the backend answers them, for tests. */
import type {
  DeliveryAttempt,
  DeliveryChannelInfo,
  Schedule,
  SchedulePreview,
  ScheduleRun,
} from '@rebound/core/client';

export function scheduleOf(patch: Partial<Schedule> = {}): Schedule {
  return {
    id: 'sch-1',
    name: 'Failed jobs for the team',
    owner: 'user:default/ana',
    cron: '0 8 * * 1',
    timezone: 'Europe/Berlin',
    description: 'every Monday at 08:00',
    export: { dataset: 'jobs', format: 'csv' },
    deliveries: [{ type: 'storage', path: '{schedule}/{date}/{name}.{ext}' }],
    enabled: true,
    missedRunPolicy: 'latest',
    lastRunAt: null,
    lastRun: null,
    nextRunAt: '2026-12-07T07:00:00.000Z',
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    ...patch,
  };
}

export function attemptOf(
  patch: Partial<DeliveryAttempt> = {},
): DeliveryAttempt {
  return {
    id: 'att-1',
    runId: 'run-1',
    delivery: 0,
    type: 'storage',
    recipient: '{schedule}/{date}/{name}.{ext}',
    attempt: 1,
    status: 'delivered',
    retryable: null,
    error: null,
    detail: { path: 'Failed_jobs/2026-12-07/jobs.csv' },
    startedAt: '2026-12-07T07:00:02.000Z',
    finishedAt: '2026-12-07T07:00:03.000Z',
    ...patch,
  };
}

export function runOf(patch: Partial<ScheduleRun> = {}): ScheduleRun {
  return {
    id: 'run-1',
    scheduleId: 'sch-1',
    scheduledFor: '2026-12-07T07:00:00.000Z',
    trigger: 'schedule',
    status: 'succeeded',
    exportId: 'exp-1',
    error: null,
    createdAt: '2026-12-07T07:00:00.000Z',
    startedAt: '2026-12-07T07:00:00.100Z',
    finishedAt: '2026-12-07T07:00:03.000Z',
    attempts: [attemptOf()],
    ...patch,
  };
}

const ROME_GAP = {
  at: '2025-03-30T01:30:00.000Z',
  local: '2025-03-30T03:30:00+02:00',
  warning:
    '02:30 does not exist on 2025-03-30 in Europe/Rome (the clocks go forward); this run is at 03:30 local time.',
};

/** `30 2 * * 0` in Rome: the Sunday clocks go forward has no 02:30. */
export const ROME_PREVIEW: SchedulePreview = {
  cron: '30 2 * * 0',
  timezone: 'Europe/Rome',
  description: 'every Sunday at 02:30',
  from: '2025-03-22T01:29:00.000Z',
  runs: [
    { at: '2025-03-23T01:30:00.000Z', local: '2025-03-23T02:30:00+01:00' },
    ROME_GAP,
    { at: '2025-04-06T00:30:00.000Z', local: '2025-04-06T02:30:00+02:00' },
    { at: '2025-04-13T00:30:00.000Z', local: '2025-04-13T02:30:00+02:00' },
    { at: '2025-04-20T00:30:00.000Z', local: '2025-04-20T02:30:00+02:00' },
  ],
  warnings: [ROME_GAP.warning],
  daylightSaving: {
    checkedUntil: '2026-03-23T01:29:00.000Z',
    next: {
      at: '2025-03-30T01:00:00.000Z',
      clocks: 'forward',
      offsetBefore: '+01:00',
      offsetAfter: '+02:00',
      run: ROME_GAP,
    },
  },
};

/**
 * The same schedule asked in December: its five runs are clear, and the
 * look a year ahead finds the gap of March.
 */
export const ROME_DECEMBER_PREVIEW: SchedulePreview = {
  cron: '30 2 * * 0',
  timezone: 'Europe/Rome',
  description: 'every Sunday at 02:30',
  from: '2024-12-01T00:00:00.000Z',
  runs: ['01', '08', '15', '22', '29'].map(day => ({
    at: `2024-12-${day}T01:30:00.000Z`,
    local: `2024-12-${day}T02:30:00+01:00`,
  })),
  warnings: [],
  daylightSaving: {
    checkedUntil: '2025-12-02T00:00:00.000Z',
    next: ROME_PREVIEW.daylightSaving.next,
  },
};

/** A preview without daylight-saving notes, of whatever was asked. */
export function plainPreview(cron: string, timezone: string): SchedulePreview {
  return {
    cron,
    timezone,
    description: `the cron ${cron}`,
    from: '2026-12-04T09:00:00.000Z',
    runs: [
      { at: '2026-12-07T07:00:00.000Z', local: '2026-12-07T08:00:00+01:00' },
    ],
    warnings: [],
    daylightSaving: { checkedUntil: '2027-12-05T09:00:00.000Z', next: null },
  };
}

/** GET /delivery-channels of a backend with every built-in channel set up. */
export const ALL_CHANNELS: DeliveryChannelInfo[] = [
  { type: 'email', configured: true },
  { type: 'webhook', configured: true },
  { type: 'storage', configured: true },
  { type: 'slack', configured: true },
];

/** GET /delivery-channels of a backend with only its default storage. */
export const STORAGE_ONLY: DeliveryChannelInfo[] = [
  {
    type: 'email',
    configured: false,
    missingConfig: 'recovery.delivery.email.smtp',
  },
  {
    type: 'webhook',
    configured: false,
    missingConfig: 'recovery.delivery.webhook.allowedHosts',
  },
  { type: 'storage', configured: true },
  {
    type: 'slack',
    configured: false,
    missingConfig: 'recovery.delivery.slack.token',
  },
];
