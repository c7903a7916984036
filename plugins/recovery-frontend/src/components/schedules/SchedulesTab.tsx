import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import type { Schedule } from '@rebound/core/client';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { useRebound } from '../../api';
import { ActionButton, usePermissionReason } from '../common/actions';
import { RequestError } from '../common/errors';
import { formatDateTime } from '../common/format';
import { PageButtons, useCursorPages } from '../common/paging';
import { usePolling } from '../common/usePolling';
import { ScheduleActions, type ScheduleOutcome } from './ScheduleActions';
import { ScheduleDialog } from './ScheduleDialog';
import { ScheduleList } from './ScheduleList';
import { ScheduleRuns } from './ScheduleRuns';
import { formatScheduleTime } from './runTimes';

const PAGE_SIZE = 25;

/**
 * The schedule whose runs are shown: from the page when it is on it, else
 * loaded alone (a link to another page's schedule).
 */
function useShownSchedule(id: string | undefined, page?: Schedule[]) {
  const client = useRebound();
  const listed = page?.find(s => s.id === id);
  const alone = useAsync(async () => {
    if (!id || !page || listed) {
      return undefined;
    }
    return client.getSchedule(id);
  }, [client, id, !page, !listed]);
  return { schedule: listed ?? alone.value, error: alone.error };
}

type Editing = { schedule?: Schedule } | undefined;

const lastRunGoing = (schedule: Schedule) =>
  schedule.lastRun?.status === 'running' ||
  schedule.lastRun?.status === 'pending';

function outcomeText(outcome: ScheduleOutcome): string {
  const name = `“${outcome.schedule.name}”`;
  switch (outcome.kind) {
    case 'paused':
      return `Paused ${name}: it does not run until resumed.`;
    case 'resumed':
      return `Resumed ${name}: the next run is at ${formatScheduleTime(
        outcome.schedule.nextRunAt,
        outcome.schedule.timezone,
      )}.`;
    case 'run':
      return `A run of ${name} started at ${formatDateTime(
        outcome.run.startedAt ?? outcome.run.scheduledFor,
      )}; its deliveries are listed under its runs.`;
    default:
      return `Deleted ${name} and its runs.`;
  }
}

/**
 * The schedules: the list with each one's last run and actions, the
 * form of a new or changed schedule, and the runs of the one chosen
 * (kept in the address as ?runs=<id>, so that it can be linked).
 */
export function SchedulesTab() {
  const client = useRebound();
  const permission = usePermissionReason('scheduleManage');
  const pages = useCursorPages();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Editing>();
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<{ title: string; error: unknown }>();
  const [runsReload, setRunsReload] = useState(0);

  const list = usePolling(
    () => client.listSchedules({ limit: PAGE_SIZE, cursor: pages.cursor }),
    [client, pages.cursor],
    { active: value => value.items.some(lastRunGoing) },
  );
  const shownId = params.get('runs') ?? undefined;
  const shown = useShownSchedule(shownId, list.value?.items);
  const showRuns = (id: string | undefined) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        if (id) {
          next.set('runs', id);
        } else {
          next.delete('runs');
        }
        return next;
      },
      { replace: true },
    );

  const onOutcome = (outcome: ScheduleOutcome) => {
    setFailure(undefined);
    setNotice(outcomeText(outcome));
    if (outcome.kind === 'run') {
      showRuns(outcome.schedule.id);
      setRunsReload(n => n + 1);
    } else if (outcome.kind === 'deleted' && outcome.schedule.id === shownId) {
      showRuns(undefined);
    }
    list.retry();
  };
  const onSaved = (schedule: Schedule) => {
    const created = !editing?.schedule;
    setEditing(undefined);
    setFailure(undefined);
    setNotice(
      created
        ? `Created “${schedule.name}”: the first run is at ${formatScheduleTime(
            schedule.nextRunAt,
            schedule.timezone,
          )}.`
        : `Saved “${schedule.name}”.`,
    );
    if (created && pages.page !== 1) {
      pages.reset();
    } else {
      list.retry();
    }
  };

  const actions = (schedule: Schedule) => (
    <ScheduleActions
      schedule={schedule}
      deniedReason={permission.reason}
      onOutcome={onOutcome}
      onFailure={f => {
        setNotice(undefined);
        setFailure(f);
      }}
      onShowRuns={() => showRuns(schedule.id)}
      onEdit={() => setEditing({ schedule })}
    />
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" justifyContent="flex-end" mb={2}>
          <ActionButton
            variant="contained"
            color="primary"
            startIcon={<AddIcon />}
            disabledReason={permission.reason}
            onClick={() => setEditing({})}
          >
            New schedule
          </ActionButton>
        </Box>
        {notice && (
          <Box mb={2}>
            <Alert
              severity="success"
              role="status"
              onClose={() => setNotice(undefined)}
            >
              {notice}
            </Alert>
          </Box>
        )}
        {failure && (
          <Box mb={2}>
            <RequestError title={failure.title} error={failure.error} />
          </Box>
        )}
        {list.error && (
          <RequestError
            title="Loading the schedules failed"
            error={list.error}
            onRetry={list.retry}
          />
        )}
        {list.loading && <Progress />}
        {list.value && (
          <ScheduleList
            schedules={list.value.items}
            firstPage={pages.page === 1}
            actions={actions}
          />
        )}
        <PageButtons
          pages={pages}
          nextCursor={list.value?.nextCursor}
          noun="schedules"
        />
      </Grid>
      {shown.error && (
        <Grid item xs={12}>
          <RequestError
            title="Loading the schedule whose runs the address names failed"
            error={shown.error}
          />
        </Grid>
      )}
      {shown.schedule && (
        <Grid item xs={12}>
          <ScheduleRuns
            schedule={shown.schedule}
            reloadKey={runsReload}
            onChanged={list.retry}
            onClose={() => showRuns(undefined)}
          />
        </Grid>
      )}
      {editing && (
        <ScheduleDialog
          schedule={editing.schedule}
          onClose={() => setEditing(undefined)}
          onSaved={onSaved}
        />
      )}
    </Grid>
  );
}
