import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import type { ExportDatasetInfo, Schedule } from '@rebound/core/client';
import { useId, useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useRebound } from '../../api';
import {
  ActionButton,
  firstReason,
  usePermissionReason,
} from '../common/actions';
import { RequestError } from '../common/errors';
import { useExportDatasets } from '../exports/ExportDefinitionFields';
import { ScheduleFormFields } from './ScheduleFormFields';
import {
  changedFields,
  newScheduleDraft,
  toScheduleDraft,
  toScheduleInput,
  type ScheduleDraft,
} from './scheduleDraft';
import { useSchedulePreview } from './useSchedulePreview';

/** Why the draft cannot be saved yet, or undefined when it can. */
function draftReason(draft: ScheduleDraft): string | undefined {
  if (draft.name.trim() === '') {
    return 'Enter a name for the schedule.';
  }
  if (draft.cron.trim() === '') {
    return 'Enter a cron expression.';
  }
  if (draft.deliveries.length === 0) {
    return 'Add at least one delivery.';
  }
  return undefined;
}

function ScheduleForm(props: {
  schedule?: Schedule;
  datasets: ExportDatasetInfo[];
  onCancel: () => void;
  onSaved: (schedule: Schedule) => void;
}) {
  const { schedule, datasets, onCancel, onSaved } = props;
  const client = useRebound();
  const permission = usePermissionReason('scheduleManage');
  const [draft, setDraft] = useState(() =>
    schedule ? toScheduleDraft(schedule) : newScheduleDraft(datasets),
  );
  const [exportProblems, setExportProblems] = useState<string[]>([]);
  const preview = useSchedulePreview(draft.cron, draft.timezone);
  const saved = useMemo(
    () => schedule && toScheduleInput(toScheduleDraft(schedule)),
    [schedule],
  );
  const input = toScheduleInput(draft);
  const changes = saved ? changedFields(saved, input) : input;

  const [saving, save] = useAsyncFn(async () => {
    const result = schedule
      ? await client.updateSchedule(schedule.id, changes)
      : await client.createSchedule(input);
    onSaved(result);
    return result;
  }, [client, schedule, changes, input, onSaved]);

  const reason = firstReason(
    permission.reason,
    datasets.length === 0 && 'The backend offers no dataset to export.',
    draftReason(draft),
    preview.cronError,
    preview.timezoneError,
    exportProblems[0],
    Object.keys(changes).length === 0 && 'Nothing has been changed yet.',
    saving.loading && 'Saving the schedule…',
  );

  return (
    <>
      <DialogContent dividers>
        <ScheduleFormFields
          draft={draft}
          onChange={setDraft}
          datasets={datasets}
          preview={preview}
          onExportProblemsChange={setExportProblems}
          saveError={saving.error}
          disabled={saving.loading}
        />
        {saving.error && (
          <Box mt={2}>
            <RequestError
              title={
                schedule
                  ? `Saving the schedule “${schedule.name}” failed`
                  : 'Creating the schedule failed'
              }
              error={saving.error}
            />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <ActionButton
          variant="contained"
          color="primary"
          disabledReason={reason}
          onClick={() => save()}
        >
          {schedule ? 'Save schedule' : 'Create schedule'}
        </ActionButton>
      </DialogActions>
    </>
  );
}

function DatasetsThenForm(props: {
  schedule?: Schedule;
  onCancel: () => void;
  onSaved: (schedule: Schedule) => void;
}) {
  const datasets = useExportDatasets();
  if (datasets.loading) {
    return (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  }
  if (datasets.error || !datasets.value) {
    return (
      <>
        <DialogContent>
          <RequestError
            title="Loading the datasets a schedule can export failed"
            error={datasets.error}
            onRetry={datasets.retry}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel}>Cancel</Button>
        </DialogActions>
      </>
    );
  }
  return <ScheduleForm {...props} datasets={datasets.value} />;
}

/**
 * The form of a new schedule, or of changes to `schedule`, in a dialog
 * titled "New schedule" or "Edit schedule".
 */
export function ScheduleDialog(props: {
  schedule?: Schedule;
  onClose: () => void;
  onSaved: (schedule: Schedule) => void;
}) {
  const { schedule, onClose, onSaved } = props;
  const titleId = useId();
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>
        {schedule ? 'Edit schedule' : 'New schedule'}
      </DialogTitle>
      <DatasetsThenForm
        schedule={schedule}
        onCancel={onClose}
        onSaved={onSaved}
      />
    </Dialog>
  );
}
