import Dialog from '@material-ui/core/Dialog';
import DialogTitle from '@material-ui/core/DialogTitle';
import type {
  DeliveryChannelInfo,
  ExportDatasetInfo,
  Schedule,
} from '@rebound/core/client';
import { useId, useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useRebound } from '../../api';
import { firstReason, usePermissionReason } from '../common/actions';
import { DialogForm, DialogLoader } from '../common/dialogs';
import { useExportDatasets } from '../exports/ExportDefinitionFields';
import {
  repeatedDeliveries,
  typeOfDraft,
  unavailableReason,
} from './deliveryDrafts';
import { ScheduleFormFields } from './ScheduleFormFields';
import {
  changedFields,
  newScheduleDraft,
  toScheduleDraft,
  toScheduleInput,
  type ScheduleDraft,
} from './scheduleDraft';
import { useDeliveryChannels } from './useDeliveryChannels';
import { useSchedulePreview } from './useSchedulePreview';

/** Why a delivery of the draft cannot deliver on this backend, if one cannot. */
function deliveriesReason(
  draft: ScheduleDraft,
  channels: DeliveryChannelInfo[] | undefined,
): string | undefined {
  return firstReason(
    ...draft.deliveries.map((delivery, index) => {
      const reason = unavailableReason(typeOfDraft(delivery), channels);
      return reason && `Delivery ${index + 1}: ${reason}`;
    }),
  );
}

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
  const channels = useDeliveryChannels();
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
    // Deliveries left as saved are not checked again when saving.
    'deliveries' in changes && deliveriesReason(draft, channels.channels),
    'deliveries' in changes &&
      Object.values(repeatedDeliveries(draft.deliveries))[0],
    Object.keys(changes).length === 0 && 'Nothing has been changed yet.',
    saving.loading && 'Saving the schedule…',
  );

  return (
    <DialogForm
      dividers
      error={saving.error}
      errorTitle={
        schedule
          ? `Saving the schedule “${schedule.name}” failed`
          : 'Creating the schedule failed'
      }
      submitLabel={schedule ? 'Save schedule' : 'Create schedule'}
      disabledReason={reason}
      onSubmit={() => save()}
      onCancel={onCancel}
    >
      <ScheduleFormFields
        draft={draft}
        onChange={setDraft}
        datasets={datasets}
        preview={preview}
        onExportProblemsChange={setExportProblems}
        channels={channels}
        saveError={saving.error}
        disabled={saving.loading}
      />
    </DialogForm>
  );
}

function DatasetsThenForm(props: {
  schedule?: Schedule;
  onCancel: () => void;
  onSaved: (schedule: Schedule) => void;
}) {
  const datasets = useExportDatasets();
  return (
    <DialogLoader
      state={datasets}
      failureTitle="Loading the datasets a schedule can export failed"
      onCancel={props.onCancel}
    >
      {value => <ScheduleForm {...props} datasets={value} />}
    </DialogLoader>
  );
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
