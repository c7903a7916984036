import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
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
import { formatUtc, formatZonedLocal, localDay } from './runTimes';
import {
  PREVIEW_COUNTS,
  type PreviewRange,
  type SchedulePreviewState,
} from './useSchedulePreview';

const CRON_HELP =
  'Five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1" for every Monday at 08:00.';

/** "the next 5 runs", or "the 20 runs from 2027-03-01". */
function runsWords(count: number, range: PreviewRange): string {
  const runs = count === 1 ? 'run' : `${count} runs`;
  return range.startDay
    ? `the ${runs} from ${range.startDay}`
    : `the next ${runs}`;
}

/**
 * What daylight saving does to the runs shown and, a year ahead, to the
 * runs after them: an all-clear says how far it reaches.
 */
function DaylightSavingSummary(props: {
  preview: SchedulePreview;
  range: PreviewRange;
  onStartDay: (day: string) => void;
}) {
  const { preview, range, onStartDay } = props;
  const { warnings, runs, daylightSaving } = preview;
  const shown = runsWords(runs.length, range);
  const last = runs[runs.length - 1];
  const next = daylightSaving.next;
  const later = next && !runs.some(run => run.at === next.run.at);
  const until = formatUtc(daylightSaving.checkedUntil).slice(0, 10);

  if (warnings.length > 0) {
    return (
      <Alert severity="warning">
        <AlertTitle>
          Daylight saving moves or merges{' '}
          {warnings.length === 1 ? 'one' : warnings.length} of {shown}
        </AlertTitle>
        {warnings.map(warning => (
          <div key={warning}>{warning}</div>
        ))}
      </Alert>
    );
  }
  const clear = last
    ? `No daylight-saving problem in ${shown} (up to ${formatZonedLocal(
        last.local,
      )})`
    : `No run in ${shown}`;
  if (!later) {
    return (
      <Alert severity="success" role="note">
        {clear}, nor in any run up to {until}.
      </Alert>
    );
  }
  const day = localDay(next.run.local);
  return (
    <>
      <Alert severity="info" role="note">
        {clear}.
      </Alert>
      <Alert
        severity="warning"
        role="note"
        action={
          <Button color="inherit" size="small" onClick={() => onStartDay(day)}>
            Preview from {day}
          </Button>
        }
      >
        <AlertTitle>
          Daylight saving {next.clocks === 'forward' ? 'moves' : 'merges'} a
          later run, on {day}
        </AlertTitle>
        {next.run.warning}
      </Alert>
    </>
  );
}

function NextRuns(props: {
  preview: SchedulePreview;
  range: PreviewRange;
  onStartDay: (day: string) => void;
}) {
  const { preview } = props;
  const headingId = useId();
  return (
    <>
      <Typography variant="body1" aria-live="polite">
        Runs {preview.description} ({preview.timezone}).
      </Typography>
      <Box display="flex" flexDirection="column" gridGap={8} my={1}>
        <DaylightSavingSummary {...props} />
      </Box>
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

/** How many runs the preview lists, and from which day. */
function PreviewRangeFields(props: {
  range: PreviewRange;
  timezone: string;
  onChange: (range: PreviewRange) => void;
  error?: string;
}) {
  const { range, timezone, onChange, error } = props;
  const id = useId();
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <TextField
          select
          SelectProps={{ native: true }}
          id={`${id}-count`}
          label="Runs to preview"
          variant="outlined"
          size="small"
          fullWidth
          value={range.count}
          onChange={e => onChange({ ...range, count: Number(e.target.value) })}
          helperText="Daylight saving is checked a year ahead either way."
        >
          {PREVIEW_COUNTS.map(count => (
            <option key={count} value={count}>
              {count} runs
            </option>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id={`${id}-from`}
          type="date"
          label="Preview from"
          variant="outlined"
          size="small"
          fullWidth
          value={range.startDay}
          onChange={e => onChange({ ...range, startDay: e.target.value })}
          InputLabelProps={{ shrink: true }}
          error={error !== undefined}
          helperText={
            error ??
            (range.startDay
              ? `The runs from the start of ${range.startDay} in ${timezone}; clear it to start now.`
              : 'Empty: from now. Pick a later day to see the runs from then on.')
          }
        />
      </Grid>
    </Grid>
  );
}

/**
 * The cron expression and time zone of a schedule, with the backend's
 * preview of them: the plain words, the next runs in the zone and in
 * UTC (as many and from when the user picks), and what daylight saving
 * does to them and, a year ahead, to later runs.
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
        {cron.trim() !== '' && (
          <PreviewRangeFields
            range={preview.range}
            timezone={timezone}
            onChange={preview.setRange}
            error={preview.rangeError}
          />
        )}
        {preview.preview && preview.shownRange && cron.trim() !== '' && (
          <NextRuns
            preview={preview.preview}
            range={preview.shownRange}
            onStartDay={startDay =>
              preview.setRange({ ...preview.range, startDay })
            }
          />
        )}
      </Grid>
    </Grid>
  );
}
