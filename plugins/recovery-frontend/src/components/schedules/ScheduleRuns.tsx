import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type {
  DeliveryAttempt,
  Schedule,
  ScheduleRun,
} from '@rebound/core/client';
import { Fragment, useEffect, useRef, useState } from 'react';
import { useRebound } from '../../api';
import { usePermissionReason } from '../common/actions';
import { RequestError } from '../common/errors';
import { DateTime } from '../common/DateTime';
import { StatusMark } from '../common/status';
import { usePolling } from '../common/usePolling';
import { DeliveryAttempts } from './DeliveryAttempts';
import { formatScheduleTime, formatUtc } from './runTimes';
import { Caption } from '../common/Caption';

/** Runs shown at once; the newest first. */
const RUN_LIMIT = 20;

const COLUMNS = ['Scheduled for', 'Status', 'Error', 'Run'];

// Table cells break words anywhere by default; these keep words whole
// and let only a long token (a URL in an error) break where it must. The
// narrow columns are as wide as their content, and the error takes the
// rest of the row.
const useStyles = makeStyles(theme => ({
  narrow: {
    width: '1%',
    wordBreak: 'normal',
  },
  short: {
    width: 'max-content',
    maxWidth: '11rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '8rem',
    },
  },
  status: {
    width: '1%',
    whiteSpace: 'nowrap',
  },
  error: {
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
}));

const going = (run: ScheduleRun) =>
  run.status === 'running' || run.status === 'pending';

function RunRow(props: { run: ScheduleRun }) {
  const { run } = props;
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell className={classes.narrow}>
        <div className={classes.short}>
          <DateTime iso={run.scheduledFor} />
          <Caption>{formatUtc(run.scheduledFor)}</Caption>
          <Caption>
            by <span>{run.trigger === 'manual' ? 'run now' : 'cron'}</span>
          </Caption>
        </div>
      </TableCell>
      <TableCell className={classes.status}>
        <StatusMark status={run.status} />
      </TableCell>
      <TableCell className={classes.error}>
        {run.error ? `${run.error.message} (${run.error.code})` : '—'}
      </TableCell>
      <TableCell className={classes.narrow}>
        <div className={classes.short}>
          <Caption>
            Started <DateTime iso={run.startedAt} />
          </Caption>
          <Caption>
            Finished <DateTime iso={run.finishedAt} />
          </Caption>
          {run.exportId && (
            <Caption title={`Export ${run.exportId}`}>
              Export <code>{run.exportId.slice(0, 8)}</code>
            </Caption>
          )}
        </div>
      </TableCell>
    </TableRow>
  );
}

/** A resend's answer, shown until the next load of the runs. */
interface Resent {
  over: unknown;
  run: ScheduleRun;
  attempt: DeliveryAttempt;
}

/**
 * The runs of a schedule with every delivery attempt, reloaded while one
 * is running; a failed attempt can be resent.
 */
export function ScheduleRuns(props: {
  schedule: Schedule;
  /** Changes when a run was just started, to load the runs again. */
  reloadKey: number;
  /** Told after a resend, so that the schedule's last run is reloaded. */
  onChanged: () => void;
  onClose: () => void;
}) {
  const { schedule, reloadKey, onChanged, onClose } = props;
  const client = useRebound();
  const permission = usePermissionReason('scheduleManage');
  const [resending, setResending] = useState<string>();
  const [resent, setResent] = useState<Resent>();
  const [failure, setFailure] = useState<{ title: string; error: unknown }>();
  const top = useRef<HTMLDivElement>(null);
  // The card opens below the list: bring it into view when it changes.
  useEffect(() => {
    top.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [schedule.id, reloadKey]);
  const runs = usePolling(
    () => client.listScheduleRuns(schedule.id, { limit: RUN_LIMIT }),
    [client, schedule.id, reloadKey],
    { active: value => value.items.some(going) },
  );

  const fresh = resent && resent.over === runs.value ? resent : undefined;
  const items = (runs.value?.items ?? []).map(run =>
    fresh && fresh.run.id === run.id ? fresh.run : run,
  );

  const resend = async (run: ScheduleRun, attempt: DeliveryAttempt) => {
    setFailure(undefined);
    setResending(attempt.id);
    try {
      const answer = await client.resendDelivery(
        schedule.id,
        run.id,
        attempt.id,
      );
      setResent({ over: runs.value, run: answer, attempt });
      onChanged();
    } catch (error) {
      setFailure({
        title: `Resending the ${attempt.type} delivery to ${attempt.recipient} failed`,
        error,
      });
    } finally {
      setResending(undefined);
    }
  };

  let content: JSX.Element;
  if (runs.loading) {
    content = <Progress />;
  } else if (!runs.value) {
    content = <></>;
  } else if (items.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No runs yet"
        description={
          schedule.enabled
            ? `The first run is at ${formatScheduleTime(
                schedule.nextRunAt,
                schedule.timezone,
              )}; press "Run now" to run it at once.`
            : 'The schedule is paused: resume it, or press "Run now" to run it once.'
        }
      />
    );
  } else {
    content = (
      <Table size="small" aria-label={`Runs of “${schedule.name}”`}>
        <TableHead>
          <TableRow>
            {COLUMNS.map(title => (
              <TableCell key={title}>{title}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(run => (
            <Fragment key={run.id}>
              <RunRow run={run} />
              <TableRow>
                <TableCell colSpan={COLUMNS.length}>
                  <DeliveryAttempts
                    run={run}
                    deniedReason={permission.reason}
                    resending={resending}
                    onResend={attempt => resend(run, attempt)}
                  />
                </TableCell>
              </TableRow>
            </Fragment>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <div ref={top}>
      <InfoCard
        title={`Runs of “${schedule.name}”`}
        subheader={`The newest ${RUN_LIMIT} runs with every delivery attempt; running ones refresh on their own.`}
        action={<Button onClick={onClose}>Hide runs</Button>}
      >
        {runs.error && (
          <RequestError
            title={`Loading the runs of “${schedule.name}” failed`}
            error={runs.error}
            onRetry={runs.retry}
          />
        )}
        {failure && (
          <RequestError title={failure.title} error={failure.error} />
        )}
        {fresh && (
          <Box mb={2}>
            <Alert
              severity={
                fresh.run.status === 'succeeded' ? 'success' : 'warning'
              }
              role="status"
            >
              Resent the {fresh.attempt.type} delivery to{' '}
              {fresh.attempt.recipient}: the run is now {fresh.run.status}.
            </Alert>
          </Box>
        )}
        {content}
      </InfoCard>
    </div>
  );
}
