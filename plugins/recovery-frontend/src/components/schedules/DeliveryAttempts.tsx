import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ReplayIcon from '@material-ui/icons/Replay';
import type { DeliveryAttempt, ScheduleRun } from '@rebound/core/client';
import { ActionButton, firstReason } from '../common/actions';
import { formatDateTime } from '../common/format';
import { StatusMark } from '../common/status';
import { DELIVERY_TYPES } from './deliveryDrafts';

const typeLabel = (type: string) =>
  DELIVERY_TYPES.find(t => t.type === type)?.label ?? type;

/**
 * Whom an attempt went to. A storage delivery's recipient is its path
 * template; the attempt keeps the path it wrote (or tried), relative to
 * the delivery folder, which is what a reader looks for.
 */
function Recipient(props: { attempt: DeliveryAttempt }) {
  const { attempt } = props;
  const written = attempt.detail?.path;
  if (attempt.type !== 'storage' || typeof written !== 'string') {
    return <>{attempt.recipient}</>;
  }
  return (
    <>
      <span title={`Path template: ${attempt.recipient}`}>{written}</span>
      <Typography variant="caption" color="textSecondary" display="block">
        in the delivery folder
      </Typography>
    </>
  );
}

/**
 * Why a failed attempt cannot be resent, or undefined when it can. A
 * resend tries that delivery and recipient again, so it is offered on
 * the newest try of each only, and not once a later try delivered.
 */
export function resendReason(
  run: ScheduleRun,
  attempt: DeliveryAttempt,
): string | undefined {
  if (run.status === 'running' || run.status === 'pending') {
    return 'The run is still going: resend once it has finished.';
  }
  if (!run.exportId) {
    return 'The run has no export to send: run the schedule again.';
  }
  const tries = run.attempts.filter(
    a => a.delivery === attempt.delivery && a.recipient === attempt.recipient,
  );
  const delivered = tries.find(
    a => a.status === 'delivered' && a.attempt > attempt.attempt,
  );
  if (delivered) {
    return `Attempt ${delivered.attempt} delivered it since.`;
  }
  const newest = tries[tries.length - 1];
  if (newest && newest.id !== attempt.id) {
    return `Attempt ${newest.attempt} is the newest try of this delivery: resend that one.`;
  }
  return undefined;
}

/** Every try of every delivery of a run, with Resend on failed ones. */
export function DeliveryAttempts(props: {
  run: ScheduleRun;
  deniedReason?: string;
  /** The attempt being resent, if any. */
  resending?: string;
  onResend: (attempt: DeliveryAttempt) => void;
}) {
  const { run, deniedReason, resending, onResend } = props;
  if (run.attempts.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {run.status === 'running'
          ? 'No delivery tried yet: the export is being written.'
          : 'No delivery was tried.'}
      </Typography>
    );
  }
  return (
    <Table
      size="small"
      aria-label={`Delivery attempts of the run for ${formatDateTime(
        run.scheduledFor,
      )}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Delivery</TableCell>
          <TableCell>Recipient</TableCell>
          <TableCell>Attempt</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Error</TableCell>
          <TableCell>Retryable</TableCell>
          <TableCell>Finished</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {run.attempts.map(attempt => (
          <TableRow key={attempt.id}>
            <TableCell>
              {typeLabel(attempt.type)} (delivery {attempt.delivery + 1})
            </TableCell>
            <TableCell>
              <Recipient attempt={attempt} />
            </TableCell>
            <TableCell>{attempt.attempt}</TableCell>
            <TableCell>
              <StatusMark status={attempt.status} />
            </TableCell>
            <TableCell>
              {attempt.error
                ? `${attempt.error.message} (${attempt.error.code})`
                : '—'}
            </TableCell>
            <TableCell>
              {attempt.retryable === null
                ? '—'
                : attempt.retryable
                ? 'yes'
                : 'no'}
            </TableCell>
            <TableCell>{formatDateTime(attempt.finishedAt)}</TableCell>
            <TableCell>
              {attempt.status === 'failed' && (
                <ActionButton
                  size="small"
                  variant="outlined"
                  startIcon={<ReplayIcon />}
                  busy={resending === attempt.id}
                  disabledReason={firstReason(
                    deniedReason,
                    resending !== undefined &&
                      resending !== attempt.id &&
                      'Another delivery of this run is being resent.',
                    resendReason(run, attempt),
                  )}
                  onClick={() => onResend(attempt)}
                >
                  {resending === attempt.id ? 'Resending…' : 'Resend'}
                </ActionButton>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
