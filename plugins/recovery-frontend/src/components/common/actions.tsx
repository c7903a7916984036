import Button, { type ButtonProps } from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import { usePermission } from '@backstage/plugin-permission-react';
import { createPermission } from '@backstage/plugin-permission-common';
import type { ReactNode } from 'react';
import {
  RECOVERY_PERMISSIONS,
  type RecoveryPermissionInfo,
} from '@rebound/core/client';

type PermissionKey = keyof typeof RECOVERY_PERMISSIONS;

const permissions = Object.fromEntries(
  Object.entries(RECOVERY_PERMISSIONS).map(([key, info]) => [
    key,
    createPermission({ name: info.name, attributes: info.attributes }),
  ]),
) as Record<PermissionKey, ReturnType<typeof createPermission>>;

/**
 * Whether the signed-in user holds a permission; when not, the reason a
 * disabled action shows.
 */
export function usePermissionReason(key: PermissionKey): {
  loading: boolean;
  reason?: string;
} {
  const info: RecoveryPermissionInfo = RECOVERY_PERMISSIONS[key];
  const { loading, allowed, error } = usePermission({
    permission: permissions[key],
  });
  if (loading) {
    return { loading, reason: 'Checking your permissions…' };
  }
  if (error) {
    return {
      loading,
      reason: `Your permissions could not be checked (${error.message}); reload the page.`,
    };
  }
  return {
    loading,
    reason: allowed
      ? undefined
      : `You may not ${info.description}: ask an administrator for ${info.name}.`,
  };
}

/** The first reason an action is not possible, or undefined when it is. */
export function firstReason(
  ...reasons: (string | false | null | undefined)[]
): string | undefined {
  return reasons.find((r): r is string => typeof r === 'string' && r !== '');
}

/**
 * A button that, when the action is not possible, is disabled and says why
 * in a tooltip and to screen readers; while its own action runs (`busy`)
 * it shows a spinner.
 */
export function ActionButton(
  props: ButtonProps & { disabledReason?: string; busy?: boolean },
) {
  const { disabledReason, disabled, busy = false, startIcon, ...rest } = props;
  const button = (
    <Button
      {...rest}
      startIcon={
        busy ? (
          <CircularProgress size={16} color="inherit" aria-hidden />
        ) : (
          startIcon
        )
      }
      aria-busy={busy || undefined}
      disabled={disabled || busy || disabledReason !== undefined}
      aria-description={disabledReason}
    />
  );
  if (disabledReason === undefined) {
    return button;
  }
  return (
    <Tooltip title={disabledReason}>
      <span data-disabled-reason={disabledReason}>{button}</span>
    </Tooltip>
  );
}

/**
 * An action of a table row shown as its icon alone, where words would
 * not fit: `label` is its accessible name and its tooltip, and, when the
 * action is not possible, the tooltip says why as ActionButton does.
 */
export function IconActionButton(props: {
  label: string;
  icon: ReactNode;
  onClick: () => void;
  disabledReason?: string;
  busy?: boolean;
}) {
  const { label, icon, onClick, disabledReason, busy = false } = props;
  const disabled = busy || disabledReason !== undefined;
  const button = (
    <IconButton
      size="small"
      aria-label={label}
      aria-busy={busy || undefined}
      aria-description={disabledReason}
      disabled={disabled}
      onClick={onClick}
    >
      {busy ? <CircularProgress size={18} color="inherit" aria-hidden /> : icon}
    </IconButton>
  );
  return (
    <Tooltip
      title={
        disabledReason === undefined ? label : `${label}: ${disabledReason}`
      }
    >
      {/* A disabled button hears no hover: the tooltip listens to its span. */}
      <span data-disabled-reason={disabledReason}>{button}</span>
    </Tooltip>
  );
}
