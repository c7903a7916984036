/**
 * The isomorphic part of Rebound's core: wire types and a fetch-based
 * client of the REST API, safe to import in a browser.
 *
 * @packageDocumentation
 */
export * from './types';
export type * from '../exports/wire';
export type * from '../schedules/wire';
export { EXPORT_FORMATS } from '../exports/wire';
export { ReboundClient, ReboundApiError } from './ReboundClient';
export type {
  ReboundClientOptions,
  JobQuery,
  ScheduleInput,
} from './ReboundClient';
export type * from './analytics';
export { RECOVERY_PERMISSIONS } from './permissions';
export {
  calendarProblem,
  clockProblem,
  DATE_ONLY,
  DATE_TIME,
  daysIn,
  MONTH_NAMES,
} from './calendar';
export type { RecoveryPermissionInfo } from './permissions';
export { currentZoneName, formerZoneName } from './timeZones';
