import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ExportRecord } from '@rebound/core/client';
import { formatCount, formatDateTime } from '../common/format';
import { StatusMark } from '../common/status';

const useStyles = makeStyles(theme => ({
  progress: {
    minWidth: '9rem',
  },
  digest: {
    fontFamily: 'monospace',
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
  },
  status: {
    whiteSpace: 'nowrap',
  },
  error: {
    display: 'block',
    minWidth: '10rem',
    whiteSpace: 'normal',
    color: theme.palette.error.main,
  },
  dateTime: {
    whiteSpace: 'nowrap',
  },
}));

/** The status mark and, when the export failed, what went wrong. */
export function ExportStatusCell(props: { record: ExportRecord }) {
  const { record } = props;
  const classes = useStyles();
  return (
    <div className={classes.status}>
      <StatusMark status={record.status} />
      {record.error && (
        <Typography variant="caption" className={classes.error}>
          {record.error.message}
        </Typography>
      )}
    </div>
  );
}

/** Rows written against rows expected while the export runs. */
export function ExportProgressCell(props: { record: ExportRecord }) {
  const { record } = props;
  const classes = useStyles();
  if (record.status === 'pending') {
    return (
      <Typography variant="body2" color="textSecondary">
        Waiting for a free slot
      </Typography>
    );
  }
  if (record.status !== 'running') {
    return <>—</>;
  }
  const total = record.rowsTotal;
  const percent =
    total && total > 0 ? Math.min(100, (record.progress / total) * 100) : 0;
  return (
    <Box className={classes.progress}>
      <LinearProgress
        variant={total ? 'determinate' : 'indeterminate'}
        value={percent}
        aria-label={`Rows written for ${record.fileName}`}
      />
      <Typography variant="caption">
        {formatCount(record.progress)} / {formatCount(total)} rows
      </Typography>
    </Box>
  );
}

/** The file's SHA-256, short, with the whole digest to read and copy. */
export function Sha256Cell(props: { sha256: string | null }) {
  const { sha256 } = props;
  const classes = useStyles();
  if (!sha256) {
    return <>—</>;
  }
  return (
    <Box display="flex" alignItems="center">
      <Tooltip title={sha256}>
        <span className={classes.digest}>{sha256.slice(0, 12)}…</span>
      </Tooltip>
      <CopyTextButton
        text={sha256}
        tooltipText="SHA-256 copied"
        aria-label="Copy SHA-256"
      />
    </Box>
  );
}

/** A timestamp as its date over its time, to keep the columns narrow. */
export function DateTimeCell(props: { iso: string | null }) {
  const classes = useStyles();
  const [date, time] = formatDateTime(props.iso).split(' ');
  return (
    <span className={classes.dateTime}>
      {date}
      {time && (
        <>
          <br />
          {time}
        </>
      )}
    </span>
  );
}
