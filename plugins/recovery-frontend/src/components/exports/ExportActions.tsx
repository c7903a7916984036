import { makeStyles } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import ReplayIcon from '@material-ui/icons/Replay';
import type { ExportRecord } from '@rebound/core/client';
import { useState } from 'react';
import { useRebound } from '../../api';
import { ActionButton, firstReason } from '../common/actions';
import { saveFile } from '../common/saveFile';

const useStyles = makeStyles(theme => ({
  // Retry goes under Download, to keep the column narrow.
  actions: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
}));

/** A failed action of a row, for the list to show above the table. */
export interface ActionFailure {
  title: string;
  error: unknown;
}

/** Why the file cannot be downloaded now, or undefined when it can. */
export function downloadReason(
  record: ExportRecord,
  now: number = Date.now(),
): string | undefined {
  const expired =
    record.status === 'expired' || Date.parse(record.expiresAt) <= now;
  if (expired) {
    return 'The file has expired and was deleted: create the export again.';
  }
  switch (record.status) {
    case 'pending':
      return 'The export is waiting to start: download it once it has succeeded.';
    case 'running':
      return 'The export is still running: download it once it has succeeded.';
    case 'failed':
      return 'The export failed, so there is no file: retry it first.';
    default:
      return undefined;
  }
}

/** Download, and Retry for a failed export. */
export function ExportActions(props: {
  record: ExportRecord;
  retryDeniedReason?: string;
  onRetried: (record: ExportRecord) => void;
  onStart: () => void;
  onFailure: (failure: ActionFailure) => void;
}) {
  const { record, retryDeniedReason, onRetried, onStart, onFailure } = props;
  const classes = useStyles();
  const client = useRebound();
  const [busy, setBusy] = useState<'download' | 'retry'>();

  const run = async (action: 'download' | 'retry', title: string) => {
    onStart();
    setBusy(action);
    try {
      if (action === 'download') {
        saveFile(await client.downloadExport(record.id), record.fileName);
      } else {
        onRetried(await client.retryExport(record.id));
      }
    } catch (error) {
      onFailure({ title, error });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className={classes.actions}>
      <ActionButton
        size="small"
        variant="outlined"
        startIcon={<GetAppIcon />}
        disabledReason={firstReason(
          downloadReason(record),
          busy === 'download' && 'Downloading the file…',
        )}
        onClick={() => run('download', `Downloading ${record.fileName} failed`)}
      >
        Download
      </ActionButton>
      {record.status === 'failed' && (
        <ActionButton
          size="small"
          variant="outlined"
          startIcon={<ReplayIcon />}
          disabledReason={firstReason(
            retryDeniedReason,
            busy === 'retry' && 'Starting the export again…',
          )}
          onClick={() =>
            run('retry', `Retrying the export ${record.fileName} failed`)
          }
        >
          Retry
        </ActionButton>
      )}
    </div>
  );
}
