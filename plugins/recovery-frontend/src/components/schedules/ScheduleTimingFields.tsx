import { Progress } from '@backstage/core-components';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { SchedulePreview } from '@rebound/core/client';
import { useId } from 'react';
import { RequestError } from '../common/errors';
import { TimeZonePicker } from '../common/TimeZonePicker';
import { formatUtc, formatZonedLocal } from './runTimes';
import type { SchedulePreviewState } from './useSchedulePreview';

const CRON_HELP =
  'Five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1" for every Monday at 08:00.';

function NextRuns(props: { preview: SchedulePreview }) {
  const { preview } = props;
  const headingId = useId();
  return (
    <>
      <Typography variant="body1" aria-live="polite">
        Runs {preview.description} ({preview.timezone}).
      </Typography>
      {preview.warnings.length > 0 && (
        <Alert severity="warning">
          <AlertTitle>
            Daylight saving moves or merges{' '}
            {preview.warnings.length === 1
              ? 'one of the next runs'
              : `${preview.warnings.length} of the next runs`}
          </AlertTitle>
          {preview.warnings.map(warning => (
            <div key={warning}>{warning}</div>
          ))}
        </Alert>
      )}
      <Typography variant="subtitle2" component="h3" id={headingId}>
        Next runs
      </Typography>
      <List dense aria-labelledby={headingId} disablePadding>
        {preview.runs.map(run => (
          <ListItem key={run.at} disableGutters>
            <ListItemText
              disableTypography
              primary={
                <Typography variant="body2">
                  {formatZonedLocal(run.local)}
                </Typography>
              }
              secondary={
                <>
                  <Typography variant="caption" color="textSecondary">
                    {formatUtc(run.at)}
                  </Typography>
                  {run.warning && (
                    <Alert severity="warning" variant="outlined">
                      {run.warning}
                    </Alert>
                  )}
                </>
              }
            />
          </ListItem>
        ))}
      </List>
    </>
  );
}

/**
 * The cron expression and time zone of a schedule, with the backend's
 * preview of them: the plain words, the next runs in the zone and in
 * UTC, and what daylight saving does to them.
 */
export function ScheduleTimingFields(props: {
  cron: string;
  timezone: string;
  onCronChange: (cron: string) => void;
  onTimezoneChange: (zone: string) => void;
  /** `useSchedulePreview` of the same cron and zone. */
  preview: SchedulePreviewState;
  disabled?: boolean;
  /** A message of the last save about the cron or the zone. */
  saveErrors: { cron?: string; timezone?: string };
}) {
  const { cron, timezone, onCronChange, onTimezoneChange, preview, disabled } =
    props;
  const id = useId();
  // The preview answers for what is typed now; a save's answer may be older.
  const cronError =
    preview.cronError ?? (preview.stale ? undefined : props.saveErrors.cron);
  const timezoneError =
    preview.timezoneError ??
    (preview.stale ? undefined : props.saveErrors.timezone);

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <TextField
          id={`${id}-cron`}
          label="Cron expression"
          variant="outlined"
          fullWidth
          value={cron}
          disabled={disabled}
          error={cronError !== undefined}
          helperText={cronError ?? CRON_HELP}
          onChange={e => onCronChange(e.target.value)}
          inputProps={{ spellCheck: false }}
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TimeZonePicker
          label="Time zone"
          value={timezone}
          onChange={onTimezoneChange}
          disabled={disabled}
        />
        {timezoneError && (
          <FormHelperText error role="alert">
            {timezoneError}
          </FormHelperText>
        )}
      </Grid>
      <Grid item xs={12}>
        {preview.error && (
          <RequestError
            title="Previewing the next runs failed"
            error={preview.error}
            onRetry={preview.retry}
          />
        )}
        {preview.loading && !preview.preview && <Progress />}
        {cron.trim() === '' && (
          <Typography variant="body2" color="textSecondary">
            Enter a cron expression to see when the schedule runs.
          </Typography>
        )}
        {preview.preview && cron.trim() !== '' && (
          <NextRuns preview={preview.preview} />
        )}
      </Grid>
    </Grid>
  );
}
