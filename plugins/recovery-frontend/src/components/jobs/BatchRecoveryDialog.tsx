import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import {
  PRIORITIES,
  type BatchRecoveryRequest,
  type BatchRecoveryResult,
  type Job,
  type Priority,
} from '@rebound/core/client';
import { useEffect, useState } from 'react';
import { useRebound } from '../../api';
import { firstReason } from '../common/actions';
import { DialogForm, useSubmit } from '../common/dialogs';
import { BatchRecoverySummary } from './BatchRecoverySummary';
import { wholeNumberProblem } from './jobStates';

const OWN_PRIORITY = 'own';

interface RecoveryChoices {
  concurrency: string;
  priority: Priority | typeof OWN_PRIORITY;
  autoRetry: boolean;
  includeManual: boolean;
  dryRun: boolean;
}

const DEFAULT_CHOICES: RecoveryChoices = {
  concurrency: '4',
  priority: OWN_PRIORITY,
  autoRetry: true,
  includeManual: false,
  dryRun: false,
};

function requestOf(jobs: Job[], choices: RecoveryChoices) {
  const { concurrency, priority, autoRetry, includeManual, dryRun } = choices;
  const body: BatchRecoveryRequest = {
    jobIds: jobs.map(job => job.id),
    concurrency: Number(concurrency),
    autoRetry,
    dryRun,
  };
  if (priority !== OWN_PRIORITY) {
    body.priority = priority;
  }
  if (includeManual) {
    body.includeManual = true;
  }
  return body;
}

function ChoiceSwitch(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  help: string;
}) {
  return (
    <Box mt={1}>
      <FormControlLabel
        control={
          <Switch
            checked={props.checked}
            onChange={e => props.onChange(e.target.checked)}
            inputProps={{ role: 'switch' }}
          />
        }
        label={props.label}
      />
      <FormHelperText>{props.help}</FormHelperText>
    </Box>
  );
}

function RecoveryForm(props: {
  jobs: Job[];
  choices: RecoveryChoices;
  onChange: (choices: RecoveryChoices) => void;
  onClose: () => void;
  onDone: (result: BatchRecoveryResult) => void;
}) {
  const { jobs, choices, onChange, onClose, onDone } = props;
  const client = useRebound();
  const { sending, error, submit } = useSubmit();
  const problem = wholeNumberProblem('Concurrency', choices.concurrency, 1, 64);
  const set = (change: Partial<RecoveryChoices>) =>
    onChange({ ...choices, ...change });

  const recover = () =>
    submit(async () =>
      onDone(await client.recoverJobs(requestOf(jobs, choices))),
    );

  return (
    <DialogForm
      error={error}
      errorTitle="Recovering the jobs failed"
      submitLabel="Recover"
      disabledReason={firstReason(problem, sending && 'Recovering…')}
      onSubmit={recover}
      onCancel={onClose}
    >
      <DialogContentText>
        {jobs.length === 1
          ? `Recover ${jobs[0].fileName}`
          : `Recover ${jobs.length} jobs`}
        , highest priority and oldest first.{' '}
        {choices.includeManual
          ? 'Jobs whose file must change are skipped and say why.'
          : 'Jobs whose plan needs a person are skipped and say why.'}
      </DialogContentText>
      <Box display="flex" flexWrap="wrap" gridGap={16}>
        <TextField
          id="batch-recovery-concurrency"
          label="Concurrency"
          type="number"
          variant="outlined"
          value={choices.concurrency}
          onChange={e => set({ concurrency: e.target.value })}
          inputProps={{ min: 1, max: 64, step: 1 }}
          error={problem !== undefined}
          helperText={problem ?? 'Jobs recovered at the same time, 1 to 64.'}
        />
        <TextField
          id="batch-recovery-priority"
          select
          label="Priority"
          variant="outlined"
          value={choices.priority}
          onChange={e => set({ priority: e.target.value as Priority })}
          helperText="The order of the jobs, and their priority afterwards."
          style={{ minWidth: '14rem' }}
        >
          <MenuItem value={OWN_PRIORITY}>The jobs' own</MenuItem>
          {PRIORITIES.map(p => (
            <MenuItem key={p} value={p}>
              {p}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <ChoiceSwitch
        label="Retry automatically if it fails again"
        checked={choices.autoRetry}
        onChange={autoRetry => set({ autoRetry })}
        help={
          choices.autoRetry
            ? 'A job whose recovery fails again is retried by the automatic recovery.'
            : 'A job whose recovery fails again stays failed until a person recovers it.'
        }
      />
      <ChoiceSwitch
        label="Also retry the jobs that wait for a person"
        checked={choices.includeManual}
        onChange={includeManual => set({ includeManual })}
        help={
          choices.includeManual
            ? "For when you have fixed the cause (credentials, the target's URL, an outage that outlasted the automatic retries, a failure of no known type): each job is retried from its checkpoint, as its own Recover button would. A job whose file must change stays with a person."
            : 'Jobs whose plan needs a person are skipped and listed with the reason.'
        }
      />
      <ChoiceSwitch
        label="Dry run"
        checked={choices.dryRun}
        onChange={dryRun => set({ dryRun })}
        help="A dry run shows the plan of each job and changes nothing."
      />
    </DialogForm>
  );
}

/**
 * Recovers the selected jobs in one request, then shows what became of
 * each. The list behind reloads after a recovery that was not a dry run.
 */
export function BatchRecoveryDialog(props: {
  open: boolean;
  jobs: Job[];
  jobLink: (jobId: string) => string;
  onClose: () => void;
  onRecovered: () => void;
}) {
  const { open, jobs, jobLink, onClose, onRecovered } = props;
  const [choices, setChoices] = useState(DEFAULT_CHOICES);
  // Choosing a job that waits for a person is that person's decision to
  // retry it: the switch starts on for such a selection.
  const waiting = jobs.some(
    job => job.status === 'manual_intervention_required',
  );
  useEffect(() => {
    if (open) {
      setChoices({ ...DEFAULT_CHOICES, includeManual: waiting });
    }
  }, [open, waiting]);
  // The jobs asked for are kept with the answer: the list behind reloads.
  const [outcome, setOutcome] = useState<{
    result: BatchRecoveryResult;
    jobs: Job[];
  }>();

  const close = () => {
    setOutcome(undefined);
    setChoices(DEFAULT_CHOICES);
    onClose();
  };
  const done = (result: BatchRecoveryResult) => {
    setOutcome({ result, jobs });
    if (!result.dryRun) {
      onRecovered();
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      aria-labelledby="batch-recovery-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="batch-recovery-title">Recover jobs</DialogTitle>
      {outcome ? (
        <>
          <DialogContent>
            <BatchRecoverySummary
              result={outcome.result}
              jobs={outcome.jobs}
              jobLink={jobLink}
            />
          </DialogContent>
          <DialogActions>
            {outcome.result.dryRun && (
              <Button onClick={() => setOutcome(undefined)}>
                Change options
              </Button>
            )}
            <Button color="primary" variant="contained" onClick={close}>
              Close
            </Button>
          </DialogActions>
        </>
      ) : (
        open && (
          <RecoveryForm
            jobs={jobs}
            choices={choices}
            onChange={setChoices}
            onClose={close}
            onDone={done}
          />
        )
      )}
    </Dialog>
  );
}
