import { InfoCard } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { AnalyticsReport, SuccessRate } from '@rebound/core/client';
import { formatCount, formatPercent, words } from '../common/format';
import { HourStrip } from './HourStrip';
import { SUCCESS_GOAL } from './SuccessRateChart';

const useStyles = makeStyles(theme => ({
  // Half a 1024 px window is narrow for four columns: words stay whole
  // (cells break them anywhere by default) and the cells close up.
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      overflowWrap: 'anywhere',
      padding: theme.spacing(0.75, 1),
    },
    '& th': { whiteSpace: 'nowrap' },
    '& th:first-child, & td:first-child': { paddingLeft: theme.spacing(2) },
  },
  rate: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minWidth: '5rem',
  },
  track: {
    flex: 1,
    height: 6,
    borderRadius: 3,
    backgroundColor: theme.palette.action.hover,
    overflow: 'hidden',
  },
  fill: { height: '100%' },
  empty: { padding: theme.spacing(2) },
  belowGoal: { backgroundColor: theme.palette.error.main },
  atGoal: {
    backgroundColor: theme.palette.status?.ok ?? theme.palette.success.main,
  },
}));

function RateCell(props: { rate: number | null }) {
  const { rate } = props;
  const classes = useStyles();
  const below = rate !== null && rate < SUCCESS_GOAL;
  return (
    <div className={classes.rate}>
      <span>{formatPercent(rate)}</span>
      <div className={classes.track} aria-hidden="true">
        {rate !== null && (
          <div
            className={`${classes.fill} ${
              below ? classes.belowGoal : classes.atGoal
            }`}
            style={{ width: `${rate * 100}%` }}
          />
        )}
      </div>
    </div>
  );
}

function RateTable(props: {
  title: string;
  keyTitle: string;
  rates: SuccessRate[];
  /** How a key reads: job types are API words, targets are ids. */
  label: (key: string) => string;
}) {
  const { title, keyTitle, rates, label } = props;
  const classes = useStyles();
  return (
    <InfoCard title={title} noPadding>
      {rates.length === 0 ? (
        <Typography variant="body2" className={classes.empty}>
          No recovery attempt finished in this period.
        </Typography>
      ) : (
        <Table size="small" aria-label={title} className={classes.table}>
          <TableHead>
            <TableRow>
              <TableCell>{keyTitle}</TableCell>
              <TableCell align="right">Attempts</TableCell>
              <TableCell align="right">Succeeded</TableCell>
              <TableCell>Rate</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rates.map(r => (
              <TableRow key={r.key}>
                <TableCell>{label(r.key)}</TableCell>
                <TableCell align="right">{formatCount(r.attempts)}</TableCell>
                <TableCell align="right">{formatCount(r.successes)}</TableCell>
                <TableCell>
                  <RateCell rate={r.rate} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

function typesOf(types: Partial<Record<string, number>>): string {
  return Object.entries(types)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([type, n]) => `${words(type)} ${formatCount(n)}`)
    .join(', ');
}

function TargetFailures(props: {
  targets: AnalyticsReport['failuresByTarget'];
}) {
  const { targets } = props;
  const classes = useStyles();
  return (
    <InfoCard title="Failures by target" noPadding>
      {targets.length === 0 ? (
        <Typography variant="body2" className={classes.empty}>
          No failures in this period.
        </Typography>
      ) : (
        <Table
          size="small"
          aria-label="Failures by target"
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              <TableCell>Target</TableCell>
              <TableCell align="right">Failures</TableCell>
              <TableCell>By failure type</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {targets.map(t => (
              <TableRow key={t.target}>
                <TableCell>{t.target}</TableCell>
                <TableCell align="right">{formatCount(t.failures)}</TableCell>
                <TableCell>{typesOf(t.types)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

/** Success rates by job type and target, and where and when failures happen. */
export function Breakdowns(props: { report: AnalyticsReport }) {
  const { report } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <RateTable
          title="Success rate by job type"
          keyTitle="Job type"
          rates={report.successRateByJobType}
          label={words}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <RateTable
          title="Success rate by target"
          keyTitle="Target"
          rates={report.successRateByTarget}
          label={key => key}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <TargetFailures targets={report.failuresByTarget} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Failures by hour"
          subheader="Hour of the day in UTC, over the whole period"
        >
          <HourStrip hours={report.failuresByHour} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
