import { StatusOK, StatusPending, Table } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Schedule } from '@rebound/core/client';
import { createContext, useContext, useMemo } from 'react';
import { withCellRenderers } from '../common/cellRenderers';
import { DateTime } from '../common/DateTime';
import { PAGE_TABLE_OPTIONS, PageEmptyState } from '../common/paging';
import { StatusMark } from '../common/status';
import { Caption } from '../common/Caption';

// Table cells break words anywhere by default; these keep words whole
// and let only a long token (an owner, a zone, a message's URL) break
// where it must. The narrow columns are as wide as their content up to
// a bound, and the timing takes the rest of the row.
const useStyles = makeStyles(theme => ({
  schedule: {
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
    width: 'max-content',
    maxWidth: '14rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '9rem',
    },
  },
  name: {
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  when: {
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
  runs: {
    wordBreak: 'normal',
    width: 'max-content',
    maxWidth: '14rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '10rem',
    },
  },
  last: {
    marginTop: theme.spacing(0.5),
  },
  error: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  },
  cron: {
    whiteSpace: 'nowrap',
  },
  state: {
    whiteSpace: 'nowrap',
    marginTop: theme.spacing(0.5),
  },
}));

/** The schedule's name over whose it is, and whether it runs. */
function ScheduleCell(props: { schedule: Schedule }) {
  const { schedule } = props;
  const classes = useStyles();
  return (
    <div className={classes.schedule}>
      <Typography variant="body2" className={classes.name}>
        {schedule.name}
      </Typography>
      <Caption>{schedule.owner}</Caption>
      <div className={classes.state}>
        {schedule.enabled ? (
          <StatusOK>enabled</StatusOK>
        ) : (
          <StatusPending>paused</StatusPending>
        )}
      </div>
    </div>
  );
}

/** The backend's words for the cron, over the cron and its zone. */
function WhenCell(props: { schedule: Schedule }) {
  const { schedule } = props;
  const classes = useStyles();
  return (
    <div className={classes.when}>
      <Typography variant="body2">{schedule.description}</Typography>
      <Caption>
        <code className={classes.cron}>{schedule.cron}</code> in{' '}
        {schedule.timezone}
      </Caption>
    </div>
  );
}

/** The last run's outcome and when it finished, with its error. */
function LastRun(props: { schedule: Schedule }) {
  const run = props.schedule.lastRun;
  const classes = useStyles();
  if (!run) {
    return <Caption>Last run: none yet</Caption>;
  }
  return (
    <>
      <StatusMark status={run.status} />
      <Caption>
        Last run <DateTime iso={run.finishedAt ?? run.scheduledFor} />
      </Caption>
      {run.error && (
        <Typography
          variant="caption"
          color="error"
          className={classes.error}
          title={run.error.message}
        >
          {run.error.message}
        </Typography>
      )}
    </>
  );
}

/** When the schedule runs next, over how its last run went. */
function RunsCell(props: { schedule: Schedule }) {
  const { schedule } = props;
  const classes = useStyles();
  return (
    <div className={classes.runs}>
      <Typography variant="body2">
        {schedule.enabled ? (
          <>
            Next <DateTime iso={schedule.nextRunAt} />
          </>
        ) : (
          'No next run while paused'
        )}
      </Typography>
      <div className={classes.last}>
        <LastRun schedule={schedule} />
      </div>
    </div>
  );
}

/** The row actions, which the page makes anew on every render. */
const ActionsContext = createContext<(schedule: Schedule) => JSX.Element>(
  () => <></>,
);

function ActionsCell(props: { schedule: Schedule }) {
  return useContext(ActionsContext)(props.schedule);
}

// The table resets itself whenever its columns change, so they are made
// once; the actions come through the context instead.
/** As narrow as its content: the timing takes the rest of the row. */
const NARROW = { width: '1%' } as const;

// The table resets itself whenever its columns change, so they are made
// once; the actions come through the context instead.
const TABLE = withCellRenderers<Schedule>([
  {
    title: 'Schedule',
    field: 'name',
    render: s => <ScheduleCell schedule={s} />,
    ...NARROW,
  },
  { title: 'When', render: s => <WhenCell schedule={s} /> },
  { title: 'Runs', render: s => <RunsCell schedule={s} />, ...NARROW },
  {
    title: 'Actions',
    render: s => <ActionsCell schedule={s} />,
    ...NARROW,
  },
]);

/** The schedules of one page, newest first, each with its actions. */
export function ScheduleList(props: {
  schedules: Schedule[];
  firstPage: boolean;
  actions: (schedule: Schedule) => JSX.Element;
}) {
  const { schedules, firstPage, actions } = props;
  // The table rebuilds its body when its empty content changes.
  const empty = useMemo(
    () => (
      <PageEmptyState
        firstPage={firstPage}
        title="No schedules yet"
        laterTitle="No more schedules"
        description='Press "New schedule" to export a dataset on a cron, such as every Monday at 08:00, and deliver the file by email, webhook, file storage or Slack.'
      />
    ),
    [firstPage],
  );
  return (
    <ActionsContext.Provider value={actions}>
      <Table<Schedule>
        title="Schedules"
        subtitle="Exports that run on a cron and deliver their file; newest first. Times are in your browser’s zone."
        columns={TABLE.columns}
        components={TABLE.components}
        data={schedules}
        options={PAGE_TABLE_OPTIONS}
        emptyContent={empty}
      />
    </ActionsContext.Provider>
  );
}
