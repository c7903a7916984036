import Dialog from '@material-ui/core/Dialog';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import {
  PRIORITIES,
  type Job,
  type JobOptions,
  type JobType,
  type Priority,
  type TargetInfo,
} from '@rebound/core/client';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { firstReason, usePermissionReason } from '../common/actions';
import { DialogForm, DialogLoader, useSubmit } from '../common/dialogs';
import { formatBytes, formatCount } from '../common/format';
import { JOB_TYPE_OF_TARGET, wholeNumberProblem } from './jobStates';

const MAX_BATCH_SIZE = 100_000;

const JOB_TYPES: { value: JobType; label: string }[] = [
  { value: 'csv_import', label: 'CSV import: rows into a table' },
  { value: 'api_upload', label: 'API upload: rows to an HTTP API' },
];

const useStyles = makeStyles(theme => ({
  file: {
    display: 'block',
    marginTop: theme.spacing(1),
    color: theme.palette.text.primary,
    font: 'inherit',
  },
}));

/** The batch size is optional: empty leaves it to the target. */
function batchSizeProblem(text: string): string | undefined {
  const problem =
    text.trim() === ''
      ? undefined
      : wholeNumberProblem('Batch size', text, 1, MAX_BATCH_SIZE);
  return problem && `${problem} Leave it empty for the target's default.`;
}

function fileProblem(file: File | undefined): string | undefined {
  if (!file) {
    return 'Choose a CSV file first.';
  }
  return file.size === 0
    ? `${file.name} is empty; choose a CSV file whose first line names the columns.`
    : undefined;
}

function FileField(props: {
  file: File | undefined;
  onChange: (file: File | undefined) => void;
}) {
  const classes = useStyles();
  const { file } = props;
  return (
    <>
      <FormLabel htmlFor="upload-csv-file">CSV file</FormLabel>
      <input
        id="upload-csv-file"
        className={classes.file}
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/plain"
        onChange={e => props.onChange(e.target.files?.[0] ?? undefined)}
      />
      <FormHelperText>
        {file
          ? `${file.name}, ${formatBytes(file.size)}`
          : 'The first line names the columns.'}
      </FormHelperText>
    </>
  );
}

function UploadForm(props: {
  targets: TargetInfo[];
  onClose: () => void;
  onCreated: (job: Job) => void;
}) {
  const { targets, onClose, onCreated } = props;
  const client = useRebound();
  const permission = usePermissionReason('jobCreate');
  const [file, setFile] = useState<File>();
  const [jobType, setJobType] = useState<JobType>(
    JOB_TYPE_OF_TARGET[targets[0]?.type ?? 'table'],
  );
  const [targetName, setTargetName] = useState<string>();
  const [batchSize, setBatchSize] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const { sending, error, submit } = useSubmit();

  const fitting = targets.filter(t => JOB_TYPE_OF_TARGET[t.type] === jobType);
  const target = fitting.find(t => t.name === targetName) ?? fitting[0];
  const batchProblem = batchSizeProblem(batchSize);
  const reason = firstReason(
    permission.reason,
    fileProblem(file),
    !target &&
      `No ${
        jobType === 'csv_import' ? 'table' : 'HTTP'
      } target is configured for this job type.`,
    batchProblem,
    sending && 'Uploading…',
  );

  const upload = async () => {
    if (!file || !target) {
      return;
    }
    const options: JobOptions = {
      type: jobType,
      target: target.name,
      priority,
    };
    if (batchSize.trim() !== '') {
      options.batchSize = Number(batchSize);
    }
    await submit(async () =>
      onCreated(await client.createJob(file, file.name, options)),
    );
  };

  return (
    <DialogForm
      error={error}
      errorTitle="Uploading the file failed"
      submitLabel="Upload"
      disabledReason={reason}
      onSubmit={upload}
      onCancel={onClose}
    >
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <FileField file={file} onChange={setFile} />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            id="upload-job-type"
            select
            fullWidth
            label="Job type"
            variant="outlined"
            value={jobType}
            onChange={e => setJobType(e.target.value as JobType)}
          >
            {JOB_TYPES.map(type => (
              <MenuItem key={type.value} value={type.value}>
                {type.label}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            id="upload-target"
            select
            fullWidth
            label="Target"
            variant="outlined"
            value={target?.name ?? ''}
            onChange={e => setTargetName(e.target.value)}
            disabled={fitting.length === 0}
            error={fitting.length === 0}
            helperText={
              fitting.length === 0
                ? 'None is configured for this job type: an administrator adds targets under recovery.targets in app-config.'
                : 'The configured targets that take this job type.'
            }
          >
            {fitting.map(t => (
              <MenuItem key={t.name} value={t.name}>
                {t.name} ({t.type}, {formatCount(t.batchSize)} rows a batch)
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            id="upload-batch-size"
            fullWidth
            label="Batch size"
            type="number"
            variant="outlined"
            value={batchSize}
            onChange={e => setBatchSize(e.target.value)}
            inputProps={{ min: 1, max: MAX_BATCH_SIZE, step: 1 }}
            placeholder={target ? String(target.batchSize) : undefined}
            error={batchProblem !== undefined}
            helperText={
              batchProblem ??
              (target
                ? `Optional: ${formatCount(
                    target.batchSize,
                  )} rows, the target's default, when empty.`
                : 'Optional: the target decides when empty.')
            }
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            id="upload-priority"
            select
            fullWidth
            label="Priority"
            variant="outlined"
            value={priority}
            onChange={e => setPriority(e.target.value as Priority)}
            helperText="Workers take higher priorities first."
          >
            {PRIORITIES.map(p => (
              <MenuItem key={p} value={p}>
                {p}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      </Grid>
    </DialogForm>
  );
}

/** Loads the configured targets, then the form. */
function UploadContent(props: {
  onClose: () => void;
  onCreated: (job: Job) => void;
}) {
  const client = useRebound();
  const targets = useAsyncRetry(() => client.listTargets(), [client]);
  return (
    <DialogLoader
      state={targets}
      failureTitle="Loading the upload targets failed"
      onCancel={props.onClose}
    >
      {value => <UploadForm targets={value.items} {...props} />}
    </DialogLoader>
  );
}

/** Uploads a CSV file as a new job, which starts on its own. */
export function UploadDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (job: Job) => void;
}) {
  const { open, onClose, onCreated } = props;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="upload-title"
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id="upload-title">Upload a CSV file</DialogTitle>
      {open && <UploadContent onClose={onClose} onCreated={onCreated} />}
    </Dialog>
  );
}
