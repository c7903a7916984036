import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import type { FailureAnalysis, Job } from '@rebound/core/client';
import { useState } from 'react';
import { useRebound } from '../../api';
import {
  ActionButton,
  firstReason,
  usePermissionReason,
} from '../common/actions';
import { RequestError } from '../common/errors';
import { formatDuration } from '../common/format';
import { saveFile } from '../common/saveFile';
import { cancelStateReason, fileBase, recoverStateReason } from './jobStates';

type Action = 'recover' | 'cancel' | 'download';

interface Outcome {
  notice?: string;
  failure?: { title: string; error: unknown };
}

function ConfirmCancel(props: {
  job: Job;
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { job, open, onClose, onConfirm } = props;
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="cancel-job-title">
      <DialogTitle id="cancel-job-title">Cancel {job.fileName}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          A cancelled job is neither run nor recovered again; to load its file
          later, upload it again. Rows already loaded stay loaded.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Keep the job</Button>
        <Button color="secondary" variant="contained" onClick={onConfirm}>
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
  const [outcome, setOutcome] = useState<Outcome>({});
  const [confirming, setConfirming] = useState(false);

  const run = async (
    action: Action,
    failureTitle: string,
    fn: () => Promise<string | undefined>,
  ) => {
    setBusy(action);
    setOutcome({});
    try {
      setOutcome({ notice: await fn() });
    } catch (error) {
      setOutcome({ failure: { title: failureTitle, error } });
    } finally {
      setBusy(undefined);
    }
  };

  const recover = () =>
    run('recover', 'Recovering the job failed', async () => {
      const { plan } = await client.recoverJob(job.id);
      onChanged();
      return `Recovery scheduled${
        plan.delayMs > 0 ? ` in ${formatDuration(plan.delayMs)}` : ''
      }: ${plan.reason}`;
    });
  const cancel = () => {
    setConfirming(false);
    run('cancel', 'Cancelling the job failed', async () => {
      await client.cancelJob(job.id);
      onChanged();
      return 'The job was cancelled.';
    });
  };
  const download = () =>
    run('download', 'Downloading the quarantined rows failed', async () => {
      const blob = await client.downloadQuarantine(job.id);
      saveFile(blob, `${fileBase(job.fileName)}-quarantine.csv`);
      return undefined;
    });

  const working =
    busy !== undefined && 'Another action on this job is running…';
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
          onClick={() => setConfirming(true)}
        >
          Cancel job
        </ActionButton>
        <ActionButton
          variant="outlined"
          disabledReason={firstReason(
            job.progress.rowsQuarantined === 0 &&
              'This job has no quarantined rows.',
            working,
          )}
          onClick={download}
        >
          Download quarantined rows
        </ActionButton>
      </Box>
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
