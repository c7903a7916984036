/**
 * Backstage backend plugin for Rebound: jobs, recovery, exports and
 * schedules under /api/recovery.
 *
 * @packageDocumentation
 */
export { recoveryPlugin as default } from './plugin';
export { recoveryPlugin } from './plugin';
export {
  recoveryJobCreatePermission,
  recoveryJobRecoverPermission,
  recoveryJobCancelPermission,
  recoveryExportCreatePermission,
  recoveryScheduleManagePermission,
} from './permissions';
export { recoveryDeliveryChannelsExtensionPoint } from './extensions';
export type { RecoveryDeliveryChannelsExtensionPoint } from './extensions';
