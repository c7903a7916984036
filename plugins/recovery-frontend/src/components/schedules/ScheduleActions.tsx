import { makeStyles } from '@material-ui/core/styles';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import HistoryIcon from '@material-ui/icons/History';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import SendIcon from '@material-ui/icons/Send';
import type { Schedule, ScheduleRun } from '@rebound/core/client';
import { useState } from 'react';
import { useRebound } from '../../api';
import { IconActionButton, firstReason } from '../common/actions';
import { DeleteScheduleDialog } from './DeleteScheduleDialog';

const useStyles = makeStyles(theme => ({
  // Icons alone, so that the row keeps its room for the schedule: each
  // names itself in its tooltip and to screen readers.
  actions: {
    display: 'grid',
    gridTemplateColumns: 'repeat(5, auto)',
    justifyContent: 'start',
    gap: theme.spacing(0.5),
    [theme.breakpoints.down('md')]: {
      gridTemplateColumns: 'repeat(3, auto)',
    },
  },
}));

/** What an action of a row did, for the tab to show and reload. */
export type ScheduleOutcome =
  | { kind: 'paused' | 'resumed'; schedule: Schedule }
  | { kind: 'run'; schedule: Schedule; run: ScheduleRun }
  | { kind: 'deleted'; schedule: Schedule };

type Busy = 'toggle' | 'run' | 'delete';

/** Pause or resume, run now, runs, edit and delete of one schedule. */
export function ScheduleActions(props: {
  schedule: Schedule;
  /** Why the user may not change schedules, when they may not. */
  deniedReason?: string;
  onOutcome: (outcome: ScheduleOutcome) => void;
  onFailure: (failure: { title: string; error: unknown }) => void;
  onShowRuns: () => void;
  onEdit: () => void;
}) {
  const { schedule, deniedReason, onOutcome, onFailure } = props;
  const classes = useStyles();
  const client = useRebound();
  const [busy, setBusy] = useState<Busy>();
  const [confirming, setConfirming] = useState(false);
  const name = `“${schedule.name}”`;

  const act = async (
    action: Busy,
    title: string,
    call: () => Promise<ScheduleOutcome>,
  ) => {
    setBusy(action);
    try {
      onOutcome(await call());
    } catch (error) {
      onFailure({ title, error });
    } finally {
      setBusy(undefined);
    }
  };
  const toggle = () =>
    schedule.enabled
      ? act('toggle', `Pausing ${name} failed`, async () => ({
          kind: 'paused',
          schedule: await client.pauseSchedule(schedule.id),
        }))
      : act('toggle', `Resuming ${name} failed`, async () => ({
          kind: 'resumed',
          schedule: await client.resumeSchedule(schedule.id),
        }));
  const runNow = () =>
    act('run', `Starting a run of ${name} failed`, async () => ({
      kind: 'run',
      schedule,
      run: await client.runSchedule(schedule.id),
    }));
  const remove = () => {
    setConfirming(false);
    return act('delete', `Deleting ${name} failed`, async () => {
      await client.deleteSchedule(schedule.id);
      return { kind: 'deleted', schedule };
    });
  };
  const reason = (action: Busy, doing: string) =>
    firstReason(deniedReason, busy === action && doing);

  return (
    <div className={classes.actions}>
      <IconActionButton
        label={schedule.enabled ? 'Pause' : 'Resume'}
        icon={schedule.enabled ? <PauseIcon /> : <PlayArrowIcon />}
        busy={busy === 'toggle'}
        disabledReason={reason(
          'toggle',
          schedule.enabled ? 'Pausing the schedule…' : 'Resuming the schedule…',
        )}
        onClick={toggle}
      />
      <IconActionButton
        label="Run now"
        icon={<SendIcon />}
        busy={busy === 'run'}
        disabledReason={reason('run', 'Starting a run…')}
        onClick={runNow}
      />
      <IconActionButton
        label="Runs"
        icon={<HistoryIcon />}
        onClick={props.onShowRuns}
      />
      <IconActionButton
        label="Edit"
        icon={<EditIcon />}
        disabledReason={deniedReason}
        onClick={props.onEdit}
      />
      <IconActionButton
        label="Delete"
        icon={<DeleteIcon />}
        busy={busy === 'delete'}
        disabledReason={reason('delete', 'Deleting the schedule…')}
        onClick={() => setConfirming(true)}
      />
      {confirming && (
        <DeleteScheduleDialog
          schedule={schedule}
          onCancel={() => setConfirming(false)}
          onConfirm={remove}
        />
      )}
    </div>
  );
}
