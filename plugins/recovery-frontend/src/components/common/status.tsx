import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { Recoverability } from '@rebound/core/client';
import { words } from './format';

const marks = {
  ok: StatusOK,
  error: StatusError,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
  warning: StatusWarning,
};

type Mark = keyof typeof marks;

const byStatus: Record<string, Mark> = {
  succeeded: 'ok',
  delivered: 'ok',
  failed: 'error',
  missed: 'warning',
  manual_intervention_required: 'warning',
  manual: 'warning',
  expired: 'aborted',
  cancelled: 'aborted',
  pending: 'pending',
  scheduled: 'pending',
  running: 'running',
  open: 'error',
  resolved: 'ok',
};

/** A status of a job, export, run or attempt: a coloured mark and its word. */
export function StatusMark(props: { status: string }) {
  const Component = marks[byStatus[props.status] ?? 'pending'];
  return <Component>{words(props.status)}</Component>;
}

const byRecoverability: Record<Recoverability, Mark> = {
  high: 'ok',
  medium: 'warning',
  low: 'error',
  unknown: 'aborted',
};

/** How likely a failure is to recover: a coloured mark and its word. */
export function RecoverabilityMark(props: {
  recoverability: Recoverability | null | undefined;
}) {
  if (!props.recoverability) {
    return <>—</>;
  }
  const Component = marks[byRecoverability[props.recoverability]];
  return <Component>{props.recoverability}</Component>;
}
