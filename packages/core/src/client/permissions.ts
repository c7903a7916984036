/**
 * The names of Rebound's permissions, shared by the backend, which
 * enforces them, and the portal, which disables what a user may not do.
 */

/** @public */
export interface RecoveryPermissionInfo {
  name: string;
  attributes: { action: 'create' | 'update' };
  /** What the permission lets a user do, in words for a disabled action. */
  description: string;
}

/** @public */
export const RECOVERY_PERMISSIONS = {
  jobCreate: {
    name: 'recovery.job.create',
    attributes: { action: 'create' },
    description: 'upload a file as a new job',
  },
  jobRecover: {
    name: 'recovery.job.recover',
    attributes: { action: 'update' },
    description: 'recover jobs',
  },
  jobCancel: {
    name: 'recovery.job.cancel',
    attributes: { action: 'update' },
    description: 'cancel jobs',
  },
  exportCreate: {
    name: 'recovery.export.create',
    attributes: { action: 'create' },
    description: 'create and retry exports',
  },
  scheduleManage: {
    name: 'recovery.schedule.manage',
    attributes: { action: 'update' },
    description: 'create, change, run and delete schedules',
  },
} as const satisfies Record<string, RecoveryPermissionInfo>;
