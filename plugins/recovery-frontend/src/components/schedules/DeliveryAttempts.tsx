import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ReplayIcon from '@material-ui/icons/Replay';
import type { DeliveryAttempt, ScheduleRun } from '@rebound/core/client';
import type { ReactNode } from 'react';
import { ActionButton, firstReason } from '../common/actions';
import { DateTime } from '../common/DateTime';
import { formatDateTime } from '../common/format';
import { StatusMark } from '../common/status';
import { DELIVERY_TYPES } from './deliveryDrafts';

// Table cells break words anywhere by default; these keep words whole
// and let only a long token (a path, a URL) break where it must. The
// narrow columns are as wide as their content, and the error takes the
// rest of the row.
const useStyles = makeStyles(theme => ({
  delivery: {
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
    width: '1%',
  },
  recipient: {
    width: 'max-content',
    maxWidth: '16rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '10rem',
    },
  },
  narrow: {
    width: '1%',
    whiteSpace: 'nowrap',
  },
  status: {
    width: '1%',
    wordBreak: 'normal',
  },
  finished: {
    width: 'max-content',
    maxWidth: '9rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '7rem',
    },
  },
  error: {
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
}));

function Caption(props: { children: ReactNode }) {
  return (
    <Typography variant="caption" color="textSecondary" display="block">
      {props.children}
    </Typography>
  );
}

/** Whether trying again may help, in words. */
function retryableText(retryable: boolean | null): string | undefined {
  if (retryable === null) {
    return undefined;
  }
  return retryable ? 'Retryable' : 'Not retryable';
}

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
    return <Caption>{attempt.recipient}</Caption>;
  }
  return (
    <Caption>
      <span title={`Path template: ${attempt.recipient}`}>{written}</span> in
      the delivery folder
    </Caption>
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
  const classes = useStyles();
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
          <TableCell className={classes.delivery}>Delivery</TableCell>
          <TableCell className={classes.narrow}>Status</TableCell>
          <TableCell className={classes.error}>Error</TableCell>
          <TableCell className={classes.narrow}>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {run.attempts.map(attempt => (
          <TableRow key={attempt.id}>
            <TableCell className={classes.delivery}>
              <div className={classes.recipient}>
                {typeLabel(attempt.type)} (delivery {attempt.delivery + 1})
                <Recipient attempt={attempt} />
              </div>
            </TableCell>
            <TableCell className={classes.status}>
              <StatusMark status={attempt.status} />
              <div className={classes.finished}>
                <Caption>Attempt {attempt.attempt}</Caption>
                <Caption>
                  <DateTime iso={attempt.finishedAt} />
                </Caption>
              </div>
            </TableCell>
            <TableCell className={classes.error}>
              {attempt.error
                ? `${attempt.error.message} (${attempt.error.code})`
                : '—'}
              {retryableText(attempt.retryable) && (
                <Caption>{retryableText(attempt.retryable)}</Caption>
              )}
            </TableCell>
            <TableCell className={classes.narrow}>
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
