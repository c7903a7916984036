import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Job } from '@rebound/core/client';
import { FactsCard } from '../common/facts';
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatPercent,
  words,
} from '../common/format';
import { StatusMark } from '../common/status';

const FINISHED: Job['status'][] = ['succeeded', 'cancelled'];

const useStyles = makeStyles(theme => ({
  digest: {
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
  bar: {
    height: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    margin: theme.spacing(1, 0),
  },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
  },
}));

/** What the job is: its file, target, priority, times and attempts. */
export function JobDetailsCard(props: { job: Job }) {
  const { job } = props;
  const classes = useStyles();
  return (
    <FactsCard
      title="Job"
      facts={{
        Status: <StatusMark status={job.status} />,
        Type: words(job.type),
        Target: job.target,
        Priority: job.priority,
        Created: `${formatDateTime(job.createdAt)}${
          job.createdBy ? ` by ${job.createdBy}` : ''
        }`,
        Started: formatDateTime(job.startedAt),
        // A failed job's run ended, but the job may run again.
        Finished: FINISHED.includes(job.status)
          ? formatDateTime(job.finishedAt)
          : '—',
        ...(job.notBefore && job.status === 'pending'
          ? { 'Starts no earlier than': formatDateTime(job.notBefore) }
          : {}),
        'Recoveries run': formatCount(job.attempts),
        'Automatic retry':
          job.settings.autoRetry === false
            ? 'Off: if its recovery fails, the job waits for a person'
            : 'On',
        'File size': formatBytes(job.fileSize),
        ...(job.fileRemovedAt
          ? {
              'Stored file': `Removed at ${formatDateTime(
                job.fileRemovedAt,
              )}, as the retention of finished jobs' files says; to load it again, upload it as a new job.`,
            }
          : {}),
        'SHA-256': <span className={classes.digest}>{job.fileSha256}</span>,
        'Job id': <span className={classes.digest}>{job.id}</span>,
      }}
    />
  );
}

function Figure(props: { label: string; value: string }) {
  return (
    <Box>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h6" component="p">
        {props.value}
      </Typography>
    </Box>
  );
}

function rowsText(job: Job): string {
  const { rowsDone, rowsTotal } = job.progress;
  return rowsTotal === undefined
    ? `${formatCount(rowsDone)} so far`
    : `${formatCount(rowsDone)} of ${formatCount(rowsTotal)}`;
}

function stateText(job: Job): string {
  switch (job.status) {
    case 'pending':
      return job.notBefore
        ? `Waiting for a worker; it starts no earlier than ${formatDateTime(
            job.notBefore,
          )}.`
        : 'Waiting for a worker.';
    case 'running':
      return 'Running: this page follows it.';
    case 'succeeded':
      return `Succeeded at ${formatDateTime(job.finishedAt)}.`;
    case 'cancelled':
      return 'Cancelled: the job does not run again.';
    default:
      return `Stopped at ${formatPercent(
        (job.progress.percent ?? 0) / 100,
        1,
      )}: ${
        job.checkpoint
          ? 'a recovery resumes from the checkpoint.'
          : 'a recovery starts from the first row.'
      }`;
  }
}

/**
 * How far the job got; while it runs, its rate and what is left. A stale
 * job (no answer lately) shows no rate nor time left: they would be made up.
 */
export function ProgressCard(props: { job: Job; stale?: boolean }) {
  const { job, stale = false } = props;
  const classes = useStyles();
  const { progress } = job;
  const running = job.status === 'running';
  const percent = progress.percent;
  const live = running && !stale;

  return (
    <InfoCard title="Progress" variant="gridItem">
      <Typography variant="body2">
        {stale
          ? 'Updates stopped: the figures are the last ones Rebound sent.'
          : stateText(job)}
      </Typography>
      {running && (
        <LinearProgress
          className={classes.bar}
          variant={percent === undefined ? 'indeterminate' : 'determinate'}
          value={percent ?? 0}
          aria-label="Progress"
        />
      )}
      <Box className={classes.figures} mt={1}>
        {running && (
          <Figure
            label="Done"
            value={
              percent === undefined
                ? 'starting'
                : formatPercent(percent / 100, 1)
            }
          />
        )}
        <Figure label="Rows" value={rowsText(job)} />
        {running && (
          <Figure
            label="Rows per second"
            value={live ? formatCount(progress.rowsPerSecond) : 'unknown'}
          />
        )}
        {running && (
          <Figure
            label="Time left"
            value={
              !live
                ? 'unknown'
                : progress.etaSeconds === undefined
                ? '—'
                : `about ${formatDuration(progress.etaSeconds * 1000)}`
            }
          />
        )}
        <Figure label="Accepted" value={formatCount(progress.rowsAccepted)} />
        <Figure label="Rejected" value={formatCount(progress.rowsRejected)} />
        <Figure
          label="Quarantined"
          value={formatCount(progress.rowsQuarantined)}
        />
        <Figure
          label="Read"
          value={`${formatBytes(progress.bytesDone)} of ${formatBytes(
            progress.bytesTotal,
          )}`}
        />
      </Box>
    </InfoCard>
  );
}

/** What became of the batch in flight when the job stopped. */
function inDoubtText(job: Job): string {
  const inDoubt = job.checkpoint?.inDoubt;
  if (!inDoubt) {
    return 'None';
  }
  const rows = `Rows ${formatCount(inDoubt.firstRow)}–${formatCount(
    inDoubt.lastRow,
  )}`;
  return job.status === 'cancelled'
    ? `${rows}: in flight or unanswered when the job was cancelled; they may or may not have reached the target`
    : `${rows}: in flight or unanswered; a resumed run sends them first, with the same key`;
}

function noCheckpointText(job: Job): string {
  switch (job.status) {
    case 'cancelled':
      return 'No checkpoint: the job was cancelled before it committed a batch.';
    case 'succeeded':
      return 'No checkpoint: the job finished without one.';
    case 'pending':
    case 'running':
      return 'No checkpoint yet: the job has not committed a batch.';
    default:
      return 'No checkpoint yet: the job has not committed a batch, so a recovery starts from the first row.';
  }
}

/** Where a resumed run continues, and the batch it replays first. */
export function CheckpointCard(props: { job: Job }) {
  const { job } = props;
  const { checkpoint } = job;
  return (
    <FactsCard
      title="Checkpoint"
      facts={
        checkpoint
          ? {
              Step: checkpoint.step,
              'Rows done': formatCount(checkpoint.rowsDone),
              'Byte offset': formatCount(checkpoint.byteOffset),
              'Batch sequence': formatCount(checkpoint.batchSeq),
              Accepted: formatCount(checkpoint.rowsAccepted),
              Rejected: formatCount(checkpoint.rowsRejected),
              Quarantined: formatCount(checkpoint.rowsQuarantined),
              'In-doubt batch': inDoubtText(job),
              'Updated at': formatDateTime(checkpoint.updatedAt),
            }
          : undefined
      }
      none={noCheckpointText(job)}
    />
  );
}
