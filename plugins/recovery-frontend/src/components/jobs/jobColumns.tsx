import { Link, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { FailureAnalysis, Job } from '@rebound/core/client';
import { formatCount, formatPercent, words } from '../common/format';
import { DateTime } from '../common/DateTime';
import { RecoverabilityMark, StatusMark } from '../common/status';
import { isRecoverable } from './jobStates';
import { Caption } from '../common/Caption';

/** "1 attempt", "3 attempts", "1,200 rows". */
export function countOf(count: number, singular: string, plural?: string) {
  return `${formatCount(count)} ${
    count === 1 ? singular : plural ?? `${singular}s`
  }`;
}

// Table cells break words anywhere by default; these keep words whole and
// let only a long token of a message (a path, a URL) break where it must.
// The narrow columns are as wide as their content up to a bound, and the
// failure takes the rest of the row.
const useStyles = makeStyles(theme => ({
  cell: {
    wordBreak: 'normal',
  },
  status: {
    wordBreak: 'normal',
    width: 'max-content',
    maxWidth: '12rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '8rem',
    },
  },
  progress: {
    minWidth: '6rem',
    marginTop: theme.spacing(0.5),
  },
  file: {
    wordBreak: 'normal',
    width: 'max-content',
    maxWidth: '16rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '8rem',
    },
  },
  fileName: {
    display: 'block',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  line: {
    whiteSpace: 'nowrap',
  },
  estimate: {
    wordBreak: 'normal',
    width: 'max-content',
    maxWidth: '9rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '6.5rem',
    },
  },
  failureType: {
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  recoverability: {
    display: 'flex',
    alignItems: 'baseline',
    flexWrap: 'wrap',
    columnGap: theme.spacing(0.5),
  },
  message: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
    marginTop: theme.spacing(0.5),
    color: theme.palette.text.secondary,
  },
}));

/**
 * The status, how far a running job has got, when the job last failed and
 * how many recoveries it has had.
 */
function StatusCell(props: { job: Job }) {
  const { job } = props;
  const classes = useStyles();
  const percent = job.progress.percent;
  const failedAt = job.failure?.at;
  return (
    <div className={classes.status}>
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
      {failedAt && (
        <Caption>
          Failed at <DateTime iso={failedAt} />
        </Caption>
      )}
      <Caption>
        {job.attempts === 0
          ? 'not recovered yet'
          : `${countOf(job.attempts, 'recovery', 'recoveries')} run`}
      </Caption>
    </div>
  );
}

/** The file, shortened to fit and whole on hover; under it type and target. */
function FileCell(props: { job: Job; href: string }) {
  const { job, href } = props;
  const classes = useStyles();
  return (
    <div className={classes.file}>
      <Link to={href} className={classes.fileName} title={job.fileName}>
        {job.fileName}
      </Link>
      <Caption>
        <span className={classes.line}>{words(job.type)}</span>
        {' · '}
        <span className={classes.line}>{job.target}</span>
      </Caption>
    </div>
  );
}

/**
 * The failure type, how likely it is to recover, and the message: three
 * lines of it, the whole on hover.
 */
function FailureCell(props: { job: Job }) {
  const { failure } = props.job;
  const classes = useStyles();
  if (!failure) {
    return <>—</>;
  }
  return (
    <div className={classes.cell}>
      <Typography variant="body2" className={classes.failureType}>
        {words(failure.type)}
      </Typography>
      {failure.recoverability && (
        <div className={classes.recoverability}>
          <RecoverabilityMark recoverability={failure.recoverability} />
          <Typography variant="body2" component="span">
            recoverability
          </Typography>
        </div>
      )}
      {failure.message && (
        <Typography
          variant="body2"
          className={classes.message}
          title={failure.message}
        >
          {failure.message}
        </Typography>
      )}
    </div>
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

/**
 * The plan's estimated success and its strategy, or what a person must do
 * instead; the plan's reason on hover.
 */
function EstimateCell(props: { job: JobRow }) {
  const { job } = props;
  const { analysis, analysisLoading } = job;
  const classes = useStyles();
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
  return (
    <div className={classes.estimate} title={plan.reason}>
      {plan.automatic ? (
        <>
          <Typography variant="body2">
            {formatPercent(plan.estimatedSuccess)}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {words(plan.strategy)}
          </Typography>
        </>
      ) : (
        <Typography variant="body2">{words(plan.strategy)}</Typography>
      )}
    </div>
  );
}

/**
 * As narrow as its content: the failure takes the rest of the row, so
 * that the table fits the window rather than scrolls sideways.
 */
const NARROW = { width: '1%' } as const;

/**
 * The columns of the jobs table, each fact folded under the one it goes
 * with; a job's file links to its page. They stay the same while rows
 * change, so that the table keeps its cells.
 */
export function jobColumns(
  jobLink: (jobId: string) => string,
): TableColumn<JobRow>[] {
  return [
    { title: 'Status', render: job => <StatusCell job={job} />, ...NARROW },
    {
      title: 'File',
      render: job => <FileCell job={job} href={jobLink(job.id)} />,
      ...NARROW,
    },
    { title: 'Failure', render: job => <FailureCell job={job} /> },
    {
      title: 'Estimated success',
      render: job => <EstimateCell job={job} />,
      ...NARROW,
    },
  ];
}
