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
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { firstReason, usePermissionReason } from '../common/actions';
import { DialogForm, DialogLoader, useSubmit } from '../common/dialogs';
import { formatBytes, formatCount } from '../common/format';
import {
  decodeSample,
  delimiterName,
  DELIMITERS,
  detectDelimiter,
  detectEncoding,
  ENCODINGS,
  headerColumns,
  SAMPLE_BYTES,
  type Encoding,
} from './csvSniff';
import { EarlierUploads, useEarlierUploads } from './EarlierUploads';
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
  fileName: {
    overflowWrap: 'anywhere',
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

const DETECT = 'detect';

/** What the first line says with the chosen or detected format. */
interface FileFormat {
  encoding: Encoding;
  delimiter: string;
  columns: string[] | undefined;
  /** A delimiter that splits the header better than the chosen one. */
  better?: { delimiter: string; columns: number };
}

function useFileFormat(
  file: File | undefined,
  encodingChoice: string,
  delimiterChoice: string,
): FileFormat | undefined {
  const sample = useAsync(
    async () =>
      file
        ? new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer())
        : undefined,
    [file],
  );
  const bytes = sample.value;
  if (!bytes) {
    return undefined;
  }
  const encoding =
    encodingChoice === DETECT
      ? detectEncoding(bytes)
      : (encodingChoice as Encoding);
  const text = decodeSample(bytes, encoding);
  const detected = detectDelimiter(text);
  const delimiter = delimiterChoice === DETECT ? detected : delimiterChoice;
  const columns = headerColumns(text, delimiter);
  const detectedCount = headerColumns(text, detected)?.length ?? 0;
  return {
    encoding,
    delimiter,
    columns,
    better:
      detectedCount > (columns?.length ?? 0)
        ? { delimiter: detected, columns: detectedCount }
        : undefined,
  };
}

function headerText(format: FileFormat | undefined): string {
  if (!format) {
    return 'Choose a file to see the columns of its first line.';
  }
  const { columns, better } = format;
  if (!columns || columns.length === 0) {
    return 'The first line could not be read with this delimiter and encoding.';
  }
  const shown = columns.slice(0, 6).join(', ');
  const more = columns.length > 6 ? `, and ${columns.length - 6} more` : '';
  const hint = better
    ? ` ${delimiterName(better.delimiter)} gives ${
        better.columns
      }: choose the delimiter the file uses.`
    : '';
  return `${formatCount(columns.length)} ${
    columns.length === 1 ? 'column' : 'columns'
  } in the first line: ${shown}${more}.${hint}`;
}

/** The optional schema, as JSON; the backend checks its rules. */
function schemaProblem(text: string): string | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? undefined
      : 'The schema must be a JSON object such as {"columns": {"id": {"type": "integer", "required": true}}}.';
  } catch (error) {
    return `The schema is not valid JSON (${
      (error as Error).message
    }); fix it or leave the field empty.`;
  }
}

/** A select whose first choice is what the file itself suggests. */
function DetectSelect(props: {
  id: string;
  label: string;
  helperText: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  /** What detection found, once a file is read. */
  detected: string | undefined;
  fromWhere: string;
}) {
  const { options, value, detected } = props;
  return (
    <TextField
      id={props.id}
      select
      fullWidth
      label={props.label}
      variant="outlined"
      value={value}
      onChange={e => props.onChange(e.target.value)}
      helperText={props.helperText}
    >
      <MenuItem value={DETECT}>
        Detect
        {detected && value === DETECT ? `: ${detected}` : ` ${props.fromWhere}`}
      </MenuItem>
      {options.map(option => (
        <MenuItem key={option.label} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
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
      {/* A file name may be one long token: it wraps inside the dialog. */}
      <FormHelperText className={classes.fileName}>
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
  const [encodingChoice, setEncodingChoice] = useState(DETECT);
  const [delimiterChoice, setDelimiterChoice] = useState(DETECT);
  const [schema, setSchema] = useState('');
  const format = useFileFormat(file, encodingChoice, delimiterChoice);
  const earlier = useEarlierUploads(file);
  const { sending, error, submit } = useSubmit();

  const fitting = targets.filter(t => JOB_TYPE_OF_TARGET[t.type] === jobType);
  const target = fitting.find(t => t.name === targetName) ?? fitting[0];
  const batchProblem = batchSizeProblem(batchSize);
  const badSchema = schemaProblem(schema);
  const reason = firstReason(
    permission.reason,
    fileProblem(file),
    badSchema,
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
    if (format && format.encoding !== 'utf-8') {
      options.encoding = format.encoding;
    }
    // A comma chosen by hand is sent too: the backend refuses a header
    // that splits better at another delimiter unless told otherwise.
    if (format && (format.delimiter !== ',' || delimiterChoice !== DETECT)) {
      options.delimiter = format.delimiter;
    }
    if (schema.trim() !== '') {
      options.schema = JSON.parse(schema);
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
        {earlier && earlier.length > 0 && (
          <Grid item xs={12}>
            <EarlierUploads jobs={earlier} />
          </Grid>
        )}
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
            variant="outlined"
            value={batchSize}
            onChange={e => setBatchSize(e.target.value)}
            // Text, not a number field: a browser turns "1e" into "".
            inputProps={{ inputMode: 'numeric' }}
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
        <Grid item xs={12} sm={6}>
          <DetectSelect
            id="upload-encoding"
            label="Encoding"
            helperText="How the file's characters are stored."
            value={encodingChoice}
            onChange={setEncodingChoice}
            options={ENCODINGS}
            detected={
              format && ENCODINGS.find(e => e.value === format.encoding)?.label
            }
            fromWhere="from the file"
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <DetectSelect
            id="upload-delimiter"
            label="Delimiter"
            helperText="What separates the values of a line."
            value={delimiterChoice}
            onChange={setDelimiterChoice}
            options={DELIMITERS}
            detected={format && delimiterName(format.delimiter)}
            fromWhere="from the first line"
          />
        </Grid>
        <Grid item xs={12}>
          <FormHelperText
            id="upload-header"
            role="status"
            error={!!format && (!format.columns?.length || !!format.better)}
          >
            {file?.size === 0 ? fileProblem(file) : headerText(format)}
          </FormHelperText>
        </Grid>
        <Grid item xs={12}>
          <TextField
            id="upload-schema"
            fullWidth
            multiline
            minRows={2}
            label="Schema (optional, JSON)"
            variant="outlined"
            value={schema}
            onChange={e => setSchema(e.target.value)}
            error={badSchema !== undefined}
            helperText={
              badSchema ??
              'Rules per column, e.g. {"columns": {"id": {"type": "integer", "required": true}}}: type (string, integer, number, boolean, date, enum), required, pattern (a regular expression), values (for enum); "strict": true refuses columns the schema does not name. Rows that break a rule are quarantined.'
            }
          />
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
