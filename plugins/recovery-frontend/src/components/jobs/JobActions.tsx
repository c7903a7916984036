import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import type { FailureAnalysis, Job } from '@rebound/core/client';
import { useEffect, useRef, useState } from 'react';
import { useRebound } from '../../api';
import {
  ActionButton,
  firstReason,
  usePermissionReason,
} from '../common/actions';
import { RequestError } from '../common/errors';
import { formatCount, formatDuration } from '../common/format';
import { saveFile } from '../common/saveFile';
import {
  cancelStateReason,
  fileBase,
  isActive,
  recoverStateReason,
} from './jobStates';

type Action = 'recover' | 'cancel' | 'quarantined' | 'rejected';

/** The rows a job set aside, each kind a CSV to fix and upload again. */
const SET_ASIDE = [
  {
    kind: 'quarantined',
    label: 'Download quarantined rows',
    none: 'This job has no quarantined rows.',
    count: (job: Job) => job.progress.rowsQuarantined,
    suffix: 'quarantine',
  },
  {
    kind: 'rejected',
    label: 'Download rejected rows',
    none: 'The target rejected no row of this job.',
    count: (job: Job) => job.progress.rowsRejected,
    suffix: 'rejected',
  },
] as const;

interface Outcome {
  notice?: string;
  /**
   * How long the notice stays true: from the job's version the action
   * returned, while `keep` holds for the job as the page shows it.
   */
  until?: { fromVersion: number; keep: (job: Job) => boolean };
  failure?: { title: string; error: unknown };
}

/** After this long without an answer, the user is told what it means. */
const SLOW_MS = 15_000;

const WORKING: Record<Action, string> = {
  recover: 'Asking Rebound to recover the job…',
  cancel: 'Asking Rebound to cancel the job…',
  quarantined: 'Downloading the quarantined rows…',
  rejected: 'Downloading the rejected rows…',
};

/** What cancelling leaves behind, so that nobody uploads the file twice. */
function cancelText(job: Job): string {
  const { rowsAccepted } = job.progress;
  const doubt = job.checkpoint?.inDoubt;
  const delivered =
    rowsAccepted === 0 && !doubt
      ? 'No row of it has reached the target yet.'
      : `The ${formatCount(rowsAccepted)} ${
          rowsAccepted === 1 ? 'row' : 'rows'
        } it delivered stay at target '${job.target}'${
          doubt
            ? `, and rows ${formatCount(doubt.firstRow)}–${formatCount(
                doubt.lastRow,
              )} may have reached it too`
            : ''
        }; uploading the file again would send them a second time.`;
  return `A cancelled job is neither run nor recovered again. ${delivered} To load the rest of the file later, keep this job rather than upload the file again: a recovery resumes it where it stopped.`;
}

function ConfirmCancel(props: {
  job: Job;
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { job, open, onClose, onConfirm } = props;
  // The dialog fades out after the first click; a second one must not
  // send a second cancel.
  const confirmed = useRef(false);
  useEffect(() => {
    if (open) {
      confirmed.current = false;
    }
  }, [open]);
  const confirm = () => {
    if (!confirmed.current) {
      confirmed.current = true;
      onConfirm();
    }
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="cancel-job-title">
      <DialogTitle id="cancel-job-title">Cancel {job.fileName}?</DialogTitle>
      <DialogContent>
        <DialogContentText>{cancelText(job)}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Keep the job</Button>
        <Button color="secondary" variant="contained" onClick={confirm}>
          Cancel job
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Recover, cancel and download the quarantined rows of one job; each
 * disabled with the reason when the user or the job's state does not allow
 * it. `onChanged` reloads the page after a recovery or cancel.
 */
export function JobActions(props: {
  job: Job;
  analysis: FailureAnalysis | undefined;
  analysisError: unknown;
  onChanged: () => void;
}) {
  const { job, analysis, analysisError, onChanged } = props;
  const client = useRebound();
  const recoverPermission = usePermissionReason('jobRecover');
  const cancelPermission = usePermissionReason('jobCancel');
  const [busy, setBusy] = useState<Action>();
  const [slow, setSlow] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({});
  const [confirming, setConfirming] = useState(false);
  const inFlight = useRef(false);

  useEffect(() => {
    setSlow(false);
    if (!busy) {
      return undefined;
    }
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
  }, [busy]);

  // "Recovery scheduled" is no longer true once that recovery has ended.
  useEffect(() => {
    const { until } = outcome;
    if (until && job.version >= until.fromVersion && !until.keep(job)) {
      setOutcome({});
    }
  }, [job, outcome]);

  const run = async (
    action: Action,
    failureTitle: string,
    fn: () => Promise<Outcome | undefined>,
  ) => {
    // One action at a time, even when clicks come faster than renders.
    if (inFlight.current) {
      return;
    }
    inFlight.current = true;
    setBusy(action);
    setOutcome({});
    try {
      setOutcome((await fn()) ?? {});
    } catch (error) {
      setOutcome({ failure: { title: failureTitle, error } });
    } finally {
      inFlight.current = false;
      setBusy(undefined);
    }
  };

  const recover = () =>
    run('recover', 'Recovering the job failed', async () => {
      const recovered = await client.recoverJob(job.id);
      const { plan } = recovered;
      onChanged();
      return {
        notice: `Recovery scheduled${
          plan.delayMs > 0 ? ` in ${formatDuration(plan.delayMs)}` : ''
        }: ${plan.reason}`,
        until: { fromVersion: recovered.job.version, keep: isActive },
      };
    });
  const cancel = () => {
    setConfirming(false);
    run('cancel', 'Cancelling the job failed', async () => {
      await client.cancelJob(job.id);
      onChanged();
      return { notice: 'The job was cancelled.' };
    });
  };
  const download = (rows: (typeof SET_ASIDE)[number]) =>
    run(rows.kind, `Downloading the ${rows.kind} rows failed`, async () => {
      const blob = await (rows.kind === 'quarantined'
        ? client.downloadQuarantine(job.id)
        : client.downloadRejected(job.id));
      saveFile(blob, `${fileBase(job.fileName)}-${rows.suffix}.csv`);
      return undefined;
    });

  const working = busy !== undefined && WORKING[busy];
  const planReason = analysisError
    ? 'The recovery plan could not be loaded; load it again below.'
    : recoverStateReason(job, analysis);

  return (
    <>
      <Box display="flex" flexWrap="wrap" gridGap={8}>
        <ActionButton
          variant="contained"
          color="primary"
          disabledReason={firstReason(
            recoverPermission.reason,
            planReason,
            working,
          )}
          busy={busy === 'recover'}
          onClick={recover}
        >
          Recover
        </ActionButton>
        <ActionButton
          variant="outlined"
          disabledReason={firstReason(
            cancelPermission.reason,
            cancelStateReason(job),
            working,
          )}
          busy={busy === 'cancel'}
          onClick={() => setConfirming(true)}
        >
          Cancel job
        </ActionButton>
        {SET_ASIDE.map(rows => (
          <ActionButton
            key={rows.kind}
            variant="outlined"
            disabledReason={firstReason(
              rows.count(job) === 0 && rows.none,
              working,
            )}
            busy={busy === rows.kind}
            onClick={() => download(rows)}
          >
            {rows.label}
          </ActionButton>
        ))}
      </Box>
      {busy && slow && (
        <Box mt={2}>
          <Alert severity="info" role="status">
            {WORKING[busy]} No answer after {formatDuration(SLOW_MS)}: Rebound
            may be busy or down. The page shows the job's state when Rebound
            answers again; there is no need to ask twice.
          </Alert>
        </Box>
      )}
      {outcome.notice && (
        <Box mt={2}>
          <Alert severity="success" role="status">
            {outcome.notice}
          </Alert>
        </Box>
      )}
      {outcome.failure && (
        <Box mt={2}>
          <RequestError
            title={outcome.failure.title}
            error={outcome.failure.error}
          />
        </Box>
      )}
      <ConfirmCancel
        job={job}
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={cancel}
      />
    </>
  );
}
