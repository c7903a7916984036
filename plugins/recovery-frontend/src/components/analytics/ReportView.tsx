import { EmptyState, InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { AnalyticsReport } from '@rebound/core/client';
import { rootRouteRef } from '../../routes';
import { formatCount, formatDuration, formatPercent } from '../common/format';
import { AlertsCard } from './AlertsCard';
import { Breakdowns } from './Breakdowns';
import { OverTimeChart } from './OverTimeChart';
import { PatternsTable } from './PatternsTable';
import { Recommendations } from './Recommendations';
import { SuccessRateChart, SUCCESS_GOAL } from './SuccessRateChart';
import { SummaryFigures } from './SummaryFigures';

const useStyles = makeStyles(theme => ({
  jobsLink: { marginTop: theme.spacing(2) },
}));

/** What an empty period shows: why nothing is there and what to do. */
function EmptyPeriod(props: {
  manual: AnalyticsReport['manualIntervention'];
  onLonger?: () => void;
}) {
  const { manual, onLonger } = props;
  const classes = useStyles();
  const root = useRouteRef(rootRouteRef)();
  // Jobs wait for a person whatever the period; they must not hide.
  const waiting =
    manual.waiting > 0
      ? ` ${formatCount(manual.waiting)} ${
          manual.waiting === 1 ? 'job waits' : 'jobs wait'
        } for a person, the oldest for ${formatDuration(
          manual.oldestWaitingMs,
        )}.`
      : '';
  return (
    <EmptyState
      missing="data"
      title="This period holds no failures or recoveries"
      description="Pick a longer period, or run jobs: their failures, recoveries and patterns show here once jobs have run in the period."
      action={
        <>
          {onLonger && (
            <Button variant="contained" color="primary" onClick={onLonger}>
              Show the last 90 days
            </Button>
          )}
          <Typography variant="body2" className={classes.jobsLink}>
            <Link to={`${root}/jobs`}>Go to the jobs</Link> to run or recover
            some.{waiting}
          </Typography>
        </>
      }
    />
  );
}

function Charts(props: { report: AnalyticsReport }) {
  const { report } = props;
  return (
    <>
      <Grid item xs={12} lg={6}>
        <InfoCard
          title="Success rate by failure type"
          subheader={`Finished recovery attempts; the goal is ${formatPercent(
            SUCCESS_GOAL,
          )}`}
        >
          {report.successRateByFailureType.length > 0 ? (
            <SuccessRateChart rates={report.successRateByFailureType} />
          ) : (
            <Typography variant="body2">
              No recovery attempt finished in this period, so there is no rate
              to show yet.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={6}>
        <InfoCard
          title="Failures and recoveries over time"
          subheader="Per day (UTC)"
        >
          <OverTimeChart days={report.overTime} />
        </InfoCard>
      </Grid>
    </>
  );
}

/**
 * One period's report: figures, alerts, charts, recommendations, patterns
 * and breakdowns; an empty period says so instead.
 */
export function ReportView(props: {
  report: AnalyticsReport;
  /** Offered when the period is empty and shorter than 90 days. */
  onLonger?: () => void;
}) {
  const { report, onLonger } = props;
  if (report.empty) {
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <EmptyPeriod manual={report.manualIntervention} onLonger={onLonger} />
        </Grid>
        {/* Full width: the alerts' table needs it, whatever the period. */}
        <Grid item xs={12}>
          <AlertsCard alerts={report.alerts} />
        </Grid>
        <Grid item xs={12}>
          <Recommendations recommendations={[]} empty />
        </Grid>
      </Grid>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SummaryFigures report={report} />
      </Grid>
      <Grid item xs={12}>
        <AlertsCard alerts={report.alerts} />
      </Grid>
      <Charts report={report} />
      <Grid item xs={12}>
        <Recommendations
          recommendations={report.recommendations}
          empty={false}
        />
      </Grid>
      <Grid item xs={12}>
        <PatternsTable patterns={report.patterns} />
      </Grid>
      <Grid item xs={12}>
        <Breakdowns report={report} />
      </Grid>
    </Grid>
  );
}
