import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import EditIcon from '@material-ui/icons/Edit';
import Alert from '@material-ui/lab/Alert';
import type { ExportDatasetInfo, ExportRequest } from '@rebound/core/client';
import { useEffect, useState } from 'react';
import { ExportDefinitionFields } from '../exports/ExportDefinitionFields';
import { emptyRangeWarnings } from '../exports/filterRows';
import { FORMAT_LABELS } from '../exports/formats';

/** The export in one sentence: "Jobs as CSV: the default columns, …". */
export function describeExport(
  request: ExportRequest,
  datasets: ExportDatasetInfo[],
): string {
  const dataset = datasets.find(d => d.name === request.dataset);
  const count = (n: number, noun: string) =>
    `${n} ${noun}${n === 1 ? '' : 's'}`;
  const chosen = request.columns?.length ?? 0;
  const columns = chosen
    ? count(chosen, 'chosen column')
    : 'the default columns';
  const filters = Object.keys(request.filters ?? {}).length;
  const filtered =
    filters === 0 ? 'every row' : `rows matching ${count(filters, 'filter')}`;
  const zone = request.options?.timezone ?? 'UTC';
  return `${dataset?.title ?? request.dataset} as ${
    FORMAT_LABELS[request.format] ?? request.format
  }: ${columns}, ${filtered}, dates in ${zone}.`;
}

/**
 * What a schedule exports: a sentence, and the export fields once the
 * user asks to change them (or a save's message is about them), so that
 * the form stays short for the usual case.
 */
export function ScheduleExportFields(props: {
  value: ExportRequest;
  onChange: (value: ExportRequest) => void;
  datasets: ExportDatasetInfo[];
  onProblemsChange: (problems: string[]) => void;
  /** A message of the last save about the export. */
  error?: string;
  disabled?: boolean;
}) {
  const { value, onChange, datasets, onProblemsChange, error, disabled } =
    props;
  const [open, setOpen] = useState(false);
  // Once shown for a message, the fields stay while the user fixes them.
  useEffect(() => {
    if (error) {
      setOpen(true);
    }
  }, [error]);

  const columns = datasets.find(d => d.name === value.dataset)?.columns ?? [];
  const warnings = emptyRangeWarnings(value.filters, columns);

  return (
    <>
      {warnings.map(warning => (
        <Box mb={2} key={warning.column}>
          <Alert severity="warning" role="note">
            {warning.message}
          </Alert>
        </Box>
      ))}
      {error && (
        <Box mb={2}>
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        </Box>
      )}
      {open || error !== undefined ? (
        <ExportDefinitionFields
          value={value}
          onChange={onChange}
          datasets={datasets}
          disabled={disabled}
          onProblemsChange={onProblemsChange}
        />
      ) : (
        <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
          <Typography variant="body2">
            {describeExport(value, datasets)}
          </Typography>
          <Button
            size="small"
            variant="outlined"
            startIcon={<EditIcon />}
            disabled={disabled}
            onClick={() => setOpen(true)}
          >
            Change the export
          </Button>
        </Box>
      )}
    </>
  );
}
