import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ExportRecord } from '@rebound/core/client';
import { formatBytes, formatCount, formatDateTime } from '../common/format';
import { StatusMark } from '../common/status';
import { FORMAT_LABELS } from './formats';
import { Caption } from '../common/Caption';

const useStyles = makeStyles(theme => ({
  name: {
    maxWidth: '16rem',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    [theme.breakpoints.down('md')]: {
      maxWidth: '10rem',
    },
  },
  facts: {
    maxWidth: '16rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '10rem',
    },
  },
  status: {
    maxWidth: '14rem',
    whiteSpace: 'nowrap',
  },
  progress: {
    minWidth: '8rem',
    marginTop: theme.spacing(0.5),
  },
  error: {
    display: 'block',
    whiteSpace: 'normal',
    // A long path in a message may break anywhere rather than widen the list.
    overflowWrap: 'anywhere',
    color: theme.palette.error.main,
  },
  digest: {
    fontFamily: 'monospace',
    fontVariantNumeric: 'tabular-nums',
  },
  line: {
    whiteSpace: 'nowrap',
  },
}));

/**
 * The file's name, shortened to fit, whole on hover; under it the dataset,
 * the format, the rows and the size.
 */
export function ExportNameCell(props: {
  record: ExportRecord;
  datasetTitle: string;
}) {
  const { record, datasetTitle } = props;
  const classes = useStyles();
  const rows =
    record.rowCount === null
      ? undefined
      : `${formatCount(record.rowCount)} ${
          record.rowCount === 1 ? 'row' : 'rows'
        }`;
  const facts = [
    datasetTitle,
    FORMAT_LABELS[record.format] ?? record.format,
    rows,
    record.size === null ? undefined : formatBytes(record.size),
  ].filter((fact): fact is string => fact !== undefined);
  return (
    <>
      <Typography
        variant="body2"
        className={classes.name}
        title={record.fileName}
      >
        {record.fileName}
      </Typography>
      <Typography
        variant="caption"
        color="textSecondary"
        display="block"
        className={classes.facts}
      >
        {facts.map((fact, index) => (
          <span key={index}>
            {index > 0 && ' · '}
            <span className={classes.line}>{fact}</span>
          </span>
        ))}
      </Typography>
    </>
  );
}

/**
 * The status mark and what goes with it: how far a running export has
 * got, that a pending one waits for a slot, when it finished and, for a
 * failed one, why.
 */
export function ExportStatusCell(props: { record: ExportRecord }) {
  const { record } = props;
  const classes = useStyles();
  return (
    <div className={classes.status}>
      <StatusMark status={record.status} />
      {record.status === 'running' && <ExportProgress record={record} />}
      {record.status === 'pending' && (
        <Caption>Waiting for a free slot</Caption>
      )}
      {record.finishedAt && (
        <Caption>Finished {formatDateTime(record.finishedAt)}</Caption>
      )}
      {record.error && (
        <Typography variant="caption" className={classes.error}>
          {record.error.message}
        </Typography>
      )}
    </div>
  );
}

/** Rows written against rows expected while the export runs. */
function ExportProgress(props: { record: ExportRecord }) {
  const { record } = props;
  const classes = useStyles();
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

/**
 * The file's SHA-256, short, with the whole digest on hover and a button
 * to copy it; under it when the export was created and when it expires.
 */
export function ExportDetailsCell(props: { record: ExportRecord }) {
  const { record } = props;
  const classes = useStyles();
  const { sha256 } = record;
  return (
    <>
      {sha256 && (
        <Box display="flex" alignItems="center" className={classes.line}>
          <Typography variant="caption" color="textSecondary">
            SHA-256&nbsp;
          </Typography>
          <Tooltip title={sha256}>
            <Typography variant="caption" className={classes.digest}>
              {sha256.slice(0, 12)}…
            </Typography>
          </Tooltip>
          <CopyTextButton
            text={sha256}
            tooltipText="SHA-256 copied"
            aria-label="Copy SHA-256"
            variant="tertiary"
          />
        </Box>
      )}
      <Caption className={classes.line}>
        Created {formatDateTime(record.createdAt)}
      </Caption>
      <Caption className={classes.line}>
        Expires {formatDateTime(record.expiresAt)}
      </Caption>
    </>
  );
}
