import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  createPermission,
  type BasicPermission,
} from '@backstage/plugin-permission-common';

/** Starting a recovery of one job or many. @public */
export const recoveryJobRecoverPermission = createPermission({
  name: 'recovery.job.recover',
  attributes: { action: 'update' },
});

/** Uploading a file as a new job. @public */
export const recoveryJobCreatePermission = createPermission({
  name: 'recovery.job.create',
  attributes: { action: 'create' },
});

/** Cancelling a job. @public */
export const recoveryJobCancelPermission = createPermission({
  name: 'recovery.job.cancel',
  attributes: { action: 'update' },
});

/** Creating or retrying an export of jobs, row errors or history. @public */
export const recoveryExportCreatePermission = createPermission({
  name: 'recovery.export.create',
  attributes: { action: 'create' },
});

/** Creating, changing, running and deleting schedules. @public */
export const recoveryScheduleManagePermission = createPermission({
  name: 'recovery.schedule.manage',
  attributes: { action: 'update' },
});

export const recoveryPermissions = [
  recoveryScheduleManagePermission,
  recoveryExportCreatePermission,
  recoveryJobCreatePermission,
  recoveryJobRecoverPermission,
  recoveryJobCancelPermission,
];

/** Throws 403 naming the permission when the policy denies it. */
export async function authorize(
  permissions: PermissionsService,
  permission: BasicPermission,
  credentials: BackstageCredentials,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `The permission policy does not allow ${permission.name}; ask an administrator to grant it.`,
    );
  }
}
