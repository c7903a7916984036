import { InfoCard } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { Alert } from '@rebound/core/client';
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatPercent,
} from '../common/format';
import { StatusMark } from '../common/status';

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
      return `${formatCount(value)} failed exports; opens above ${formatCount(
        threshold,
      )}`;
    case 'missed_runs':
      return `${formatCount(
        value,
      )} missed or failed runs; opens above ${formatCount(threshold)}`;
    default:
      return `${formatCount(value)}; threshold ${formatCount(threshold)}`;
  }
}

function scopeOf(alert: Alert): string {
  if (!alert.scope) {
    return 'Whole service';
  }
  return alert.kind === 'missed_runs' ? `Schedule ${alert.scope}` : alert.scope;
}

function AlertTable(props: { alerts: Alert[]; label: string }) {
  const { alerts, label } = props;
  const resolved = alerts.some(a => a.status === 'resolved');
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Status</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Scope</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Value and threshold</TableCell>
          <TableCell>Opened</TableCell>
          <TableCell>Updated</TableCell>
          {resolved && <TableCell>Resolved</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {alerts.map(alert => (
          <TableRow key={alert.id}>
            <TableCell>
              <StatusMark status={alert.status} />
            </TableCell>
            <TableCell>{KINDS[alert.kind] ?? alert.kind}</TableCell>
            <TableCell>{scopeOf(alert)}</TableCell>
            <TableCell>{alert.message}</TableCell>
            <TableCell>{alertReading(alert)}</TableCell>
            <TableCell>{formatDateTime(alert.openedAt)}</TableCell>
            <TableCell>{formatDateTime(alert.updatedAt)}</TableCell>
            {resolved && (
              <TableCell>{formatDateTime(alert.resolvedAt)}</TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Alerts open now first; those resolved in the period folded away below. */
export function AlertsCard(props: { alerts: Alert[] }) {
  const open = props.alerts.filter(a => a.status === 'open');
  const resolved = props.alerts.filter(a => a.status === 'resolved');
  return (
    <InfoCard
      title="Alerts"
      subheader={`${formatCount(open.length)} open, ${formatCount(
        resolved.length,
      )} resolved in the period`}
    >
      {open.length > 0 ? (
        <AlertTable alerts={open} label="Open alerts" />
      ) : (
        <Typography variant="body2">
          No alert is open: recovery failure rate, exports, scheduled runs and
          storage are within their limits.
        </Typography>
      )}
      {resolved.length > 0 && (
        <Accordion variant="outlined">
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
