/** Schedules, runs and previews as the backend answers them, for tests. */
import type {
  DeliveryAttempt,
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
    recipient: 'Failed_jobs/2026-12-07/jobs.csv',
    attempt: 1,
    status: 'delivered',
    retryable: null,
    error: null,
    detail: null,
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

/** `30 2 * * 0` in Rome: the Sunday clocks go forward has no 02:30. */
export const ROME_PREVIEW: SchedulePreview = {
  cron: '30 2 * * 0',
  timezone: 'Europe/Rome',
  description: 'every Sunday at 02:30',
  runs: [
    { at: '2025-03-23T01:30:00.000Z', local: '2025-03-23T02:30:00+01:00' },
    {
      at: '2025-03-30T01:30:00.000Z',
      local: '2025-03-30T03:30:00+02:00',
      warning:
        '02:30 does not exist on 2025-03-30 in Europe/Rome (the clocks go forward); this run is at 03:30 local time.',
    },
    { at: '2025-04-06T00:30:00.000Z', local: '2025-04-06T02:30:00+02:00' },
    { at: '2025-04-13T00:30:00.000Z', local: '2025-04-13T02:30:00+02:00' },
    { at: '2025-04-20T00:30:00.000Z', local: '2025-04-20T02:30:00+02:00' },
  ],
  warnings: [
    '02:30 does not exist on 2025-03-30 in Europe/Rome (the clocks go forward); this run is at 03:30 local time.',
  ],
};

/** A preview without daylight-saving notes, of whatever was asked. */
export function plainPreview(cron: string, timezone: string): SchedulePreview {
  return {
    cron,
    timezone,
    description: `the cron ${cron}`,
    runs: [
      { at: '2026-12-07T07:00:00.000Z', local: '2026-12-07T08:00:00+01:00' },
    ],
    warnings: [],
  };
}
