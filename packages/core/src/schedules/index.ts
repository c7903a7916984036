/**
 * Schedules of exports, their runs and deliveries.
 */
export type * from './wire';
export { MISSED_RUN_POLICIES } from './wire';
export {
  ScheduleService,
  DEFAULT_SCHEDULE_SETTINGS,
  missedRunsRule,
} from './ScheduleService';
export type {
  ScheduleSettings,
  ScheduleServiceOptions,
} from './ScheduleService';
export {
  describeCron,
  nextRuns,
  previewSchedule,
  parseCron,
  checkScheduleTimeZone,
} from './cron';
