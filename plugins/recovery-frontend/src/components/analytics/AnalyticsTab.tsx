import { Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
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
  periodQuery,
  refusalOf,
} from './period';
import { PeriodPicker } from './PeriodPicker';
import { ReportView } from './ReportView';

const LONGER_DAYS = 90;

/** How well recovery worked over a period the user picks. */
export function AnalyticsTab() {
  const client = useRebound();
  const [period, setPeriod] = useState<Period>(() => lastDays(30));
  const { value, loading, error, retry } = useAsyncRetry(
    () => client.getAnalytics(periodQuery(period)),
    [client, period],
  );

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
      <ReportView
        report={value}
        onLonger={
          spanDays < LONGER_DAYS
            ? () => setPeriod(lastDays(LONGER_DAYS))
            : undefined
        }
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <PeriodPicker period={period} onChange={setPeriod} />
      </Grid>
      <Grid item xs={12}>
        {content}
      </Grid>
    </Grid>
  );
}
