import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { Job } from '@rebound/core/client';
import useAsync from 'react-use/esm/useAsync';
import { useRebound } from '../../api';
import { rootRouteRef } from '../../routes';
import { formatCount, formatDateTime } from '../common/format';

// A file name may be one long token (200 characters, no space): it
// wraps, so that the warning stays inside the dialog and its advice in
// view. The message is a flex item, which would otherwise grow with it.
const useStyles = makeStyles({
  message: { minWidth: 0, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingLeft: '1.25rem' },
});

/** Larger files are not read whole in the browser to hash them. */
const MAX_HASHED_BYTES = 256 * 1024 * 1024;
const SHOWN = 3;

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    await file.arrayBuffer(),
  );
  return Array.from(new Uint8Array(digest), byte =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/**
 * The earlier jobs of the same file (by its SHA-256), newest first. A
 * failed check shows nothing: it only advises.
 */
export function useEarlierUploads(file: File | undefined) {
  const client = useRebound();
  return useAsync(async () => {
    if (
      !file ||
      file.size === 0 ||
      file.size > MAX_HASHED_BYTES ||
      !globalThis.crypto?.subtle
    ) {
      return [];
    }
    const fileSha256 = await sha256Hex(file);
    return (await client.listJobs({ fileSha256, limit: SHOWN })).items;
  }, [client, file]).value;
}

function rows(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'row' : 'rows'}`;
}

/** What became of an earlier job of this file, and what to do instead. */
function earlierText(job: Job): string {
  const reached = rows(job.progress.rowsAccepted);
  const doubt = job.checkpoint?.inDoubt;
  const inFlight = doubt
    ? ` (and perhaps rows ${formatCount(doubt.firstRow)}–${formatCount(
        doubt.lastRow,
      )}, in flight when it stopped)`
    : '';
  switch (job.status) {
    case 'succeeded':
      return `succeeded on ${formatDateTime(
        job.finishedAt,
      )}: ${reached} reached target '${job.target}'.`;
    case 'cancelled':
      return `was cancelled after ${reached} reached target '${job.target}'${inFlight}.`;
    case 'pending':
    case 'running':
      return `is ${job.status} now, to target '${job.target}'.`;
    default:
      return `stopped after ${reached} reached target '${job.target}'${inFlight}; recovering it sends only the rest, once.`;
  }
}

/**
 * Warns that the chosen file was uploaded before: a new job sends every
 * row again, so rows an earlier job delivered would reach the target
 * twice.
 */
export function EarlierUploads(props: { jobs: Job[] | undefined }) {
  const root = useRouteRef(rootRouteRef)();
  const classes = useStyles();
  const { jobs } = props;
  if (!jobs || jobs.length === 0) {
    return null;
  }
  return (
    <Alert
      severity="warning"
      role="status"
      aria-label="Uploaded before"
      classes={{ message: classes.message }}
    >
      <AlertTitle>This file was uploaded before</AlertTitle>
      <ul className={classes.list}>
        {jobs.map(job => (
          <li key={job.id}>
            <Link to={`${root}/jobs/${encodeURIComponent(job.id)}`}>
              {job.fileName}
            </Link>{' '}
            {earlierText(job)}
          </li>
        ))}
      </ul>
      A new job sends every row of the file again: rows an earlier job delivered
      would then be at the target twice. Upload it again only if the target
      drops repeated rows, or upload just the rows still missing.
    </Alert>
  );
}
