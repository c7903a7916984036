import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { Alert } from '@rebound/core/client';
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatPercent,
} from '../common/format';
import { StatusMark } from '../common/status';
import { rootRouteRef } from '../../routes';

const KINDS: Record<Alert['kind'], string> = {
  recovery_failure_rate: 'Recovery failure rate',
  export_failures: 'Failed exports',
  missed_runs: 'Missed scheduled runs',
  storage_low: 'Storage running low',
};

/** What an alert read against the level it opens at, in its own unit. */
export function alertReading(alert: Alert): string {
  const { value, threshold } = alert;
  switch (alert.kind) {
    case 'recovery_failure_rate':
      return `${formatPercent(value, 1)} failed; opens above ${formatPercent(
        threshold,
        1,
      )}`;
    case 'storage_low':
      return `${formatBytes(value)} free; opens below ${formatBytes(
        threshold,
      )}`;
    case 'export_failures':
      return `${formatCount(value)} failed ${
        value === 1 ? 'export' : 'exports'
      }; opens above ${formatCount(threshold)}`;
    case 'missed_runs':
      return `${formatCount(value)} missed or failed ${
        value === 1 ? 'run' : 'runs'
      }; opens above ${formatCount(threshold)}`;
    default:
      return `${formatCount(value)}; threshold ${formatCount(threshold)}`;
  }
}

/**
 * An alert as GET /analytics answers it: the backend adds the name of a
 * scope that is an id (a missed_runs alert's schedule) while it exists.
 */
export type ListedAlert = Alert & { scopeName?: string };

// The card may be as narrow as half a 1024 px window: the facts are
// folded into four columns that keep words whole, the narrow ones as
// wide as their content, and the message, which may hold a long token,
// takes the rest of the row and wraps.
const useStyles = makeStyles(theme => ({
  short: { whiteSpace: 'nowrap', width: '1%' },
  alert: { wordBreak: 'normal', overflowWrap: 'anywhere', width: '1%' },
  alertText: {
    width: 'max-content',
    maxWidth: '12rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '9rem',
    },
  },
  message: { wordBreak: 'normal', overflowWrap: 'anywhere' },
  reading: { display: 'block', marginTop: theme.spacing(0.5) },
  line: { display: 'block' },
  accordion: { marginTop: theme.spacing(2) },
}));

/** What the alert is about: the whole service, or the schedule by name. */
function Scope(props: { alert: ListedAlert }) {
  const { alert } = props;
  const root = useRouteRef(rootRouteRef)();
  if (!alert.scope) {
    return <>Whole service</>;
  }
  if (alert.kind !== 'missed_runs') {
    return <>{alert.scope}</>;
  }
  if (alert.scopeName === undefined) {
    // Deleted since, or a backend that does not name it: the id it had.
    return (
      <span title={`Schedule ${alert.scope}`}>
        Schedule {alert.scope.slice(0, 8)}…
      </span>
    );
  }
  return (
    <>
      Schedule{' '}
      <Link
        to={`${root}/schedules?runs=${encodeURIComponent(alert.scope)}`}
        title={`Schedule ${alert.scope}`}
      >
        {alert.scopeName}
      </Link>
    </>
  );
}

function AlertTable(props: { alerts: ListedAlert[]; label: string }) {
  const { alerts, label } = props;
  const classes = useStyles();
  // A resolved alert was last updated when it resolved.
  const resolved = alerts.some(a => a.status === 'resolved');
  const short = classes.short;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell className={short}>Status</TableCell>
          <TableCell className={classes.alert}>Alert</TableCell>
          <TableCell className={classes.message}>
            Message, value and threshold
          </TableCell>
          <TableCell className={short}>
            {resolved ? 'Opened and resolved' : 'Opened and updated'}
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {alerts.map(alert => (
          <TableRow key={alert.id}>
            <TableCell className={short}>
              <StatusMark status={alert.status} />
            </TableCell>
            <TableCell className={classes.alert}>
              <div className={classes.alertText}>
                <Typography variant="body2">
                  {KINDS[alert.kind] ?? alert.kind}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  <Scope alert={alert} />
                </Typography>
              </div>
            </TableCell>
            <TableCell className={classes.message}>
              {alert.message}
              <Typography
                variant="caption"
                color="textSecondary"
                className={classes.reading}
              >
                {alertReading(alert)}
              </Typography>
            </TableCell>
            <TableCell className={short}>
              <span className={classes.line}>
                {formatDateTime(alert.openedAt)}
              </span>
              <span className={classes.line}>
                {formatDateTime(alert.resolvedAt ?? alert.updatedAt)}
              </span>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const alertCount = (n: number) =>
  `${formatCount(n)} ${n === 1 ? 'alert' : 'alerts'}`;

/**
 * The alerts open now first, whatever the period: an alert is open or
 * not at this moment, not in a period. Those resolved within the period
 * are folded away below.
 */
export function AlertsCard(props: { alerts: ListedAlert[] }) {
  const classes = useStyles();
  const open = props.alerts.filter(a => a.status === 'open');
  const resolved = props.alerts.filter(a => a.status === 'resolved');
  return (
    <InfoCard
      title="Alerts"
      subheader={`Open now, whatever the period: ${alertCount(
        open.length,
      )}. Resolved in the period: ${alertCount(resolved.length)}.`}
    >
      {open.length > 0 ? (
        <AlertTable alerts={open} label="Open alerts" />
      ) : (
        <Typography variant="body2">
          No alert is open now: recovery failure rate, exports, scheduled runs
          and storage are within their limits.
        </Typography>
      )}
      {resolved.length > 0 && (
        <Accordion variant="outlined" className={classes.accordion}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="body2">
              Resolved in this period ({formatCount(resolved.length)})
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <AlertTable alerts={resolved} label="Resolved alerts" />
          </AccordionDetails>
        </Accordion>
      )}
    </InfoCard>
  );
}
