import { StatusOK, StatusPending, Table } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { Schedule } from '@rebound/core/client';
import { createContext, useContext, useMemo } from 'react';
import { withCellRenderers } from '../common/cellRenderers';
import { formatDateTime } from '../common/format';
import { PAGE_TABLE_OPTIONS, PageEmptyState } from '../common/paging';
import { StatusMark } from '../common/status';

function WhenCell(props: { schedule: Schedule }) {
  const { schedule } = props;
  return (
    <>
      {schedule.description} ({schedule.timezone})
      <Typography variant="caption" color="textSecondary" display="block">
        <code>{schedule.cron}</code>
      </Typography>
    </>
  );
}

function NextRunCell(props: { schedule: Schedule }) {
  const { schedule } = props;
  if (!schedule.enabled) {
    return <>— (paused)</>;
  }
  return <>{formatDateTime(schedule.nextRunAt)}</>;
}

function LastRunCell(props: { schedule: Schedule }) {
  const run = props.schedule.lastRun;
  if (!run) {
    return <>Not run yet</>;
  }
  return (
    <>
      <StatusMark status={run.status} />
      <Typography variant="caption" color="textSecondary" display="block">
        {formatDateTime(run.finishedAt ?? run.scheduledFor)}
      </Typography>
      {run.error && (
        <Typography variant="caption" color="error" display="block">
          {run.error.message}
        </Typography>
      )}
    </>
  );
}

function StateCell(props: { schedule: Schedule }) {
  return props.schedule.enabled ? (
    <StatusOK>enabled</StatusOK>
  ) : (
    <StatusPending>paused</StatusPending>
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
const TABLE = withCellRenderers<Schedule>([
  { title: 'Name', field: 'name', cellStyle: { minWidth: '10rem' } },
  { title: 'Owner', field: 'owner' },
  {
    title: 'When',
    cellStyle: { minWidth: '12rem' },
    render: s => <WhenCell schedule={s} />,
  },
  { title: 'Next run', render: s => <NextRunCell schedule={s} /> },
  {
    title: 'Last run',
    cellStyle: { minWidth: '12rem' },
    render: s => <LastRunCell schedule={s} />,
  },
  { title: 'State', render: s => <StateCell schedule={s} /> },
  {
    title: 'Actions',
    cellStyle: { minWidth: '16rem' },
    render: s => <ActionsCell schedule={s} />,
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
