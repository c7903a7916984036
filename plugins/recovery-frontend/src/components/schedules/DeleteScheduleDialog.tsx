import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import type { Schedule } from '@rebound/core/client';
import { useId } from 'react';

/** Asks before a schedule and its run history are deleted. */
export function DeleteScheduleDialog(props: {
  schedule: Schedule;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { schedule, onCancel, onConfirm } = props;
  const titleId = useId();
  return (
    <Dialog open onClose={onCancel} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>Delete “{schedule.name}”?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The schedule stops running, and its runs and their delivery attempts
          are deleted with it. Files it already exported stay under Exports
          until they expire. This cannot be undone; to stop it for a while,
          pause it instead.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button onClick={onConfirm} color="secondary" variant="contained">
          Delete schedule
        </Button>
      </DialogActions>
    </Dialog>
  );
}
