import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { AnalyticsReport } from '@rebound/core/client';
import type { ReactNode } from 'react';
import { formatCount, formatDuration, formatPercent } from '../common/format';

const useStyles = makeStyles(theme => ({
  figure: {
    padding: theme.spacing(2),
    height: '100%',
  },
  value: {
    fontWeight: theme.typography.fontWeightBold as number,
    margin: theme.spacing(0.5, 0),
  },
}));

function Figure(props: { label: string; value: ReactNode; detail: ReactNode }) {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={6} md={3}>
      <Paper
        variant="outlined"
        className={classes.figure}
        role="group"
        aria-label={props.label}
      >
        <Typography variant="overline" color="textSecondary" component="h3">
          {props.label}
        </Typography>
        <Typography variant="h5" component="p" className={classes.value}>
          {props.value}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {props.detail}
        </Typography>
      </Paper>
    </Grid>
  );
}

/** "1 row", "3 rows": `nouns` is the plural, `one` the singular. */
const counted = (n: number, one: string, nouns: string) =>
  `${formatCount(n)} ${n === 1 ? one : nouns}`;

const of = (part: number, whole: number, one: string, nouns: string) =>
  `${formatCount(part)} of ${counted(whole, one, nouns)}`;

/** A success rate, with how many of which attempts succeeded. */
function RateFigure(props: {
  label: string;
  rate: number | null;
  successes: number;
  attempts: number;
  /** What was attempted, one and many: "finished attempt(s)". */
  noun: [string, string];
}) {
  const { label, rate, successes, attempts, noun } = props;
  return (
    <Figure
      label={label}
      value={formatPercent(rate, 1)}
      detail={`${of(successes, attempts, ...noun)} succeeded`}
    />
  );
}

/** The period's headline figures, each with what it is made of. */
export function SummaryFigures(props: { report: AnalyticsReport }) {
  const {
    summary,
    timeToRecover,
    attemptsPerRecoveredJob: perJob,
    quarantine,
    manualIntervention: manual,
  } = props.report;
  return (
    <Grid container spacing={2}>
      <RateFigure
        label="Recovery success rate"
        rate={summary.rate}
        successes={summary.successes}
        attempts={summary.attempts}
        noun={['finished attempt', 'finished attempts']}
      />
      <RateFigure
        label="Rate on recoverable failures"
        rate={summary.recoverableRate}
        successes={summary.recoverableSuccesses}
        attempts={summary.recoverableAttempts}
        noun={[
          'attempt on high or medium recoverability',
          'attempts on high or medium recoverability',
        ]}
      />
      <Figure
        label="Failures"
        value={formatCount(summary.failures)}
        detail="Failed job runs in the period"
      />
      <Figure
        label="Recovery attempts"
        value={formatCount(summary.attempts)}
        detail="Finished attempts, automatic and manual"
      />
      <Figure
        label="Time to recover"
        value={`${formatDuration(timeToRecover.medianMs)} median`}
        detail={`p90 ${formatDuration(timeToRecover.p90Ms)}, over ${counted(
          timeToRecover.count,
          'recovered failure',
          'recovered failures',
        )}`}
      />
      <Figure
        label="Attempts per recovered job"
        value={`${perJob.mean ?? '—'} / ${perJob.median ?? '—'} / ${
          perJob.max ?? '—'
        }`}
        detail={`mean / median / max, over ${counted(
          perJob.count,
          'recovered failure',
          'recovered failures',
        )}`}
      />
      <Figure
        label="Rows quarantined"
        value={formatPercent(quarantine.share, 2)}
        detail={`${of(
          quarantine.rowsQuarantined,
          quarantine.rowsDone,
          'row',
          'rows',
        )} done by jobs finished in the period`}
      />
      <Figure
        label="Waiting for a person"
        value={`${formatCount(manual.waiting)} ${
          manual.waiting === 1 ? 'job' : 'jobs'
        }`}
        detail={
          manual.waiting > 0
            ? `oldest waiting ${formatDuration(
                manual.oldestWaitingMs,
              )}, median ${formatDuration(manual.medianWaitingMs)}`
            : 'No job needs manual intervention'
        }
      />
    </Grid>
  );
}
