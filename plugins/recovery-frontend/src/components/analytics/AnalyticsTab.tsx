import { Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ReboundApiError } from '@rebound/core/client';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { RequestError } from '../common/errors';
import {
  lastDays,
  type Period,
  periodDays,
  periodProblem,
  periodQuery,
  refusalOf,
} from './period';
import { PeriodPicker } from './PeriodPicker';
import { ReportView } from './ReportView';

const LONGER_DAYS = 90;

const useStyles = makeStyles(theme => ({
  note: { marginBottom: theme.spacing(2) },
  // Figures of the period shown before, while the dates typed are refused.
  previous: { opacity: 0.5 },
}));

/** How well recovery worked over a period the user picks. */
export function AnalyticsTab() {
  const client = useRebound();
  const classes = useStyles();
  const [period, setShown] = useState<Period>(() => lastDays(30));
  const [draft, setDraft] = useState<Period>(period);
  const setPeriod = (next: Period) => {
    setShown(next);
    setDraft(next);
  };
  const { value, loading, error, retry } = useAsyncRetry(
    () => client.getAnalytics(periodQuery(period)),
    [client, period],
  );
  const pending = draft.from !== period.from || draft.to !== period.to;
  const draftRefused = pending && periodProblem(draft) !== undefined;

  const spanDays = periodDays(period);
  const badInput = error instanceof ReboundApiError && error.status === 400;

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error && badInput) {
    // A bad period fails the same way again: the fix is another period.
    content = (
      <Alert severity="error" role="alert">
        <AlertTitle>
          The analytics of {period.from} to {period.to} cannot be shown
        </AlertTitle>
        {refusalOf(period, error.message)}
      </Alert>
    );
  } else if (error) {
    content = (
      <RequestError
        title={`Loading the analytics of ${period.from} to ${period.to} failed`}
        error={error}
        onRetry={retry}
      />
    );
  } else if (value) {
    content = (
      <>
        {pending && (
          <Alert
            severity={draftRefused ? 'warning' : 'info'}
            role="status"
            className={classes.note}
          >
            {draftRefused
              ? `The figures below are still those of ${period.from} to ${period.to}, the period shown before: the dates above cannot be shown until they are fixed.`
              : `The figures below are of ${period.from} to ${period.to}: press Show for ${draft.from} to ${draft.to}.`}
          </Alert>
        )}
        <div
          className={draftRefused ? classes.previous : undefined}
          aria-label={`Analytics of ${period.from} to ${period.to}`}
          role="region"
        >
          <ReportView
            report={value}
            onLonger={
              spanDays < LONGER_DAYS
                ? () => setPeriod(lastDays(LONGER_DAYS))
                : undefined
            }
          />
        </div>
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <PeriodPicker
          period={period}
          draft={draft}
          onDraftChange={setDraft}
          onChange={setPeriod}
        />
      </Grid>
      <Grid item xs={12}>
        {content}
      </Grid>
    </Grid>
  );
}
