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
import {
  RECOVERY_PERMISSIONS,
  type RecoveryPermissionInfo,
} from '@rebound/core/client';

function fromInfo({ name, attributes }: RecoveryPermissionInfo) {
  return createPermission({ name, attributes });
}

/** Starting a recovery of one job or many. @public */
export const recoveryJobRecoverPermission = fromInfo(
  RECOVERY_PERMISSIONS.jobRecover,
);

/** Uploading a file as a new job. @public */
export const recoveryJobCreatePermission = fromInfo(
  RECOVERY_PERMISSIONS.jobCreate,
);

/** Cancelling a job. @public */
export const recoveryJobCancelPermission = fromInfo(
  RECOVERY_PERMISSIONS.jobCancel,
);

/** Creating or retrying an export of jobs, row errors or history. @public */
export const recoveryExportCreatePermission = fromInfo(
  RECOVERY_PERMISSIONS.exportCreate,
);

/** Creating, changing, running and deleting schedules. @public */
export const recoveryScheduleManagePermission = fromInfo(
  RECOVERY_PERMISSIONS.scheduleManage,
);

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
