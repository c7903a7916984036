import { Link, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { FailureAnalysis, Job } from '@rebound/core/client';
import {
  formatCount,
  formatDateTime,
  formatPercent,
  words,
} from '../common/format';
import { RecoverabilityMark, StatusMark } from '../common/status';
import { isRecoverable } from './jobStates';

const useStyles = makeStyles(theme => ({
  progress: {
    minWidth: '6rem',
    marginTop: theme.spacing(0.5),
  },
  message: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    maxWidth: '24rem',
    color: theme.palette.text.secondary,
  },
}));

/** The status, and how far a running job has got. */
function StatusCell(props: { job: Job }) {
  const { job } = props;
  const classes = useStyles();
  const percent = job.progress.percent;
  return (
    <>
      <StatusMark status={job.status} />
      {job.status === 'running' && (
        <Box className={classes.progress}>
          <LinearProgress
            variant={percent === undefined ? 'indeterminate' : 'determinate'}
            value={percent ?? 0}
            aria-label={`Progress of ${job.fileName}`}
          />
          <Typography variant="caption">
            {percent === undefined
              ? 'starting'
              : formatPercent(percent / 100, 1)}
          </Typography>
        </Box>
      )}
    </>
  );
}

function MessageCell(props: { message: string | undefined }) {
  const classes = useStyles();
  if (!props.message) {
    return <>—</>;
  }
  return (
    <Typography variant="body2" className={classes.message}>
      <span title={props.message}>{props.message}</span>
    </Typography>
  );
}

/**
 * A row of the jobs table: the job with its analysis, which loads after
 * the list, and the checkbox state of the table's selection.
 */
export type JobRow = Job & {
  analysis?: FailureAnalysis;
  analysisLoading: boolean;
  tableData?: { checked?: boolean };
};

/** The plan's estimated success, or what a person must do instead. */
function EstimateCell(props: { job: JobRow }) {
  const { job } = props;
  const { analysis, analysisLoading } = job;
  if (!isRecoverable(job)) {
    return <>—</>;
  }
  if (!analysis) {
    return (
      <Typography variant="caption" color="textSecondary">
        {analysisLoading ? 'Loading…' : '—'}
      </Typography>
    );
  }
  const plan = analysis.plan;
  if (!plan) {
    return <span title={analysis.reason}>—</span>;
  }
  if (!plan.automatic) {
    return <span title={plan.reason}>{words(plan.strategy)}</span>;
  }
  return (
    <span title={plan.reason}>{formatPercent(plan.estimatedSuccess)}</span>
  );
}

/** Short values read best unbroken; the table scrolls sideways instead. */
const ONE_LINE = { cellStyle: { whiteSpace: 'nowrap' } } as const;

/**
 * The columns of the jobs table; a job's file links to its page. They
 * stay the same while rows change, so that the table keeps its cells.
 */
export function jobColumns(
  jobLink: (jobId: string) => string,
): TableColumn<JobRow>[] {
  return [
    { title: 'Status', render: job => <StatusCell job={job} />, ...ONE_LINE },
    { title: 'Type', render: job => words(job.type), ...ONE_LINE },
    {
      title: 'File',
      render: job => <Link to={jobLink(job.id)}>{job.fileName}</Link>,
      ...ONE_LINE,
    },
    { title: 'Target', field: 'target', ...ONE_LINE },
    {
      title: 'Failure type',
      render: job => words(job.failure?.type),
      ...ONE_LINE,
    },
    {
      title: 'Recoverability',
      render: job => (
        <RecoverabilityMark recoverability={job.failure?.recoverability} />
      ),
      ...ONE_LINE,
    },
    {
      title: 'Error',
      render: job => <MessageCell message={job.failure?.message} />,
      cellStyle: { minWidth: '16rem' },
    },
    {
      title: 'Failed at',
      render: job => formatDateTime(job.failure?.at),
      ...ONE_LINE,
    },
    { title: 'Attempts', render: job => formatCount(job.attempts) },
    {
      title: 'Estimated success',
      render: job => <EstimateCell job={job} />,
      ...ONE_LINE,
    },
  ];
}
