import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ReboundApiError,
  type ExportDatasetInfo,
  type MissedRunPolicy,
} from '@rebound/core/client';
import { useId, type ReactNode } from 'react';
import { DeliveriesEditor } from './DeliveriesEditor';
import { repeatedDeliveries } from './deliveryDrafts';
import {
  fieldOfMessage,
  MISSED_RUN_POLICIES,
  MISSED_RUN_SENTENCES,
  type ScheduleDraft,
} from './scheduleDraft';
import { ScheduleExportFields } from './ScheduleExportFields';
import { ScheduleTimingFields } from './ScheduleTimingFields';
import type { DeliveryChannelsState } from './useDeliveryChannels';
import type { SchedulePreviewState } from './useSchedulePreview';

/** A part of the form, a group named by its heading. */
function Section(props: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <Grid item xs={12} role="group" aria-labelledby={headingId}>
      <Typography variant="h6" component="h2" id={headingId} gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Grid>
  );
}

/** The backend's 400 message sorted to the field it names. */
function saveErrorsOf(error: unknown) {
  const errors: {
    byField: Record<string, string>;
    byDelivery: Record<number, string>;
  } = { byField: {}, byDelivery: {} };
  if (!(error instanceof ReboundApiError) || error.status !== 400) {
    return errors;
  }
  const field = fieldOfMessage(error.message);
  if (typeof field === 'object') {
    errors.byDelivery[field.delivery] = error.message;
  } else if (field) {
    errors.byField[field] = error.message;
  }
  return errors;
}

/**
 * The fields of a schedule: its name, when it runs (with the preview),
 * what it exports, where the file goes, and what happens to missed runs.
 */
export function ScheduleFormFields(props: {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  datasets: ExportDatasetInfo[];
  preview: SchedulePreviewState;
  onExportProblemsChange: (problems: string[]) => void;
  /** `useDeliveryChannels`: which delivery types this backend can deliver by. */
  channels: DeliveryChannelsState;
  saveError: unknown;
  disabled?: boolean;
}) {
  const { draft, onChange, datasets, preview, disabled } = props;
  const id = useId();
  const { byField, byDelivery } = saveErrorsOf(props.saveError);
  const change = (patch: Partial<ScheduleDraft>) =>
    onChange({ ...draft, ...patch });
  // Dates in the file follow the schedule's zone until chosen apart.
  const changeTimezone = (timezone: string) => {
    const options = draft.export.options ?? {};
    const follows = (options.timezone ?? 'UTC') === draft.timezone;
    change({
      timezone,
      export: follows
        ? { ...draft.export, options: { ...options, timezone } }
        : draft.export,
    });
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <TextField
          id={`${id}-name`}
          label="Name"
          variant="outlined"
          fullWidth
          autoFocus
          value={draft.name}
          disabled={disabled}
          error={byField.name !== undefined}
          helperText={
            byField.name ??
            'Names the schedule in lists, in mails and in storage paths ({schedule}).'
          }
          onChange={e => change({ name: e.target.value })}
        />
      </Grid>
      <Section title="When it runs">
        <ScheduleTimingFields
          cron={draft.cron}
          timezone={draft.timezone}
          onCronChange={cron => change({ cron })}
          onTimezoneChange={changeTimezone}
          preview={preview}
          disabled={disabled}
          saveErrors={{ cron: byField.cron, timezone: byField.timezone }}
        />
      </Section>
      <Section title="What it exports">
        <ScheduleExportFields
          value={draft.export}
          onChange={value => change({ export: value })}
          datasets={datasets}
          onProblemsChange={props.onExportProblemsChange}
          error={byField.export}
          disabled={disabled}
        />
      </Section>
      <Section title="Where the file goes">
        <DeliveriesEditor
          value={draft.deliveries}
          onChange={deliveries => change({ deliveries })}
          errors={{ ...repeatedDeliveries(draft.deliveries), ...byDelivery }}
          listError={byField.deliveries}
          channels={props.channels.channels}
          channelsError={props.channels.error}
          onRetryChannels={props.channels.retry}
          disabled={disabled}
        />
      </Section>
      <Section title="Downtime and pausing">
        <Grid container spacing={2} alignItems="center">
          <Grid item xs={12} sm={8}>
            <TextField
              select
              SelectProps={{ native: true }}
              id={`${id}-missed`}
              label="Missed runs"
              variant="outlined"
              fullWidth
              value={draft.missedRunPolicy}
              disabled={disabled}
              error={byField.missedRunPolicy !== undefined}
              helperText={
                byField.missedRunPolicy ??
                MISSED_RUN_SENTENCES[draft.missedRunPolicy].sentence
              }
              onChange={e =>
                change({ missedRunPolicy: e.target.value as MissedRunPolicy })
              }
            >
              {MISSED_RUN_POLICIES.map(policy => (
                <option key={policy} value={policy}>
                  {MISSED_RUN_SENTENCES[policy].label}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <FormControlLabel
              control={
                <Switch
                  checked={draft.enabled}
                  disabled={disabled}
                  onChange={e => change({ enabled: e.target.checked })}
                  color="primary"
                />
              }
              label="Enabled"
            />
            <Typography variant="caption" color="textSecondary" display="block">
              {draft.enabled
                ? 'Runs at its next slot.'
                : 'Paused: runs only when resumed or run by hand.'}
            </Typography>
          </Grid>
        </Grid>
      </Section>
    </Grid>
  );
}
