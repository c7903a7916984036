import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  EXPORT_FORMATS,
  type ExportDatasetInfo,
  type ExportFormat,
  type ExportOptions,
  type ExportRequest,
} from '@rebound/core/client';
import { useId } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { TimeZonePicker } from '../common/TimeZonePicker';
import { FilterEditor } from './FilterEditor';
import { FORMAT_LABELS } from './formats';

/** The datasets the backend can export, with their columns. */
export function useExportDatasets() {
  const client = useRebound();
  return useAsyncRetry(
    async () => (await client.listExportDatasets()).items,
    [client],
  );
}

/** The zone of the viewer's browser, the natural default for dates. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const PDF_ONLY: (keyof ExportOptions)[] = ['title', 'orientation'];

function withOption(
  options: ExportOptions | undefined,
  key: 'fileName' | 'title' | 'timezone',
  text: string,
): ExportOptions {
  const next: ExportOptions = { ...options };
  if (text === '') {
    delete next[key];
  } else {
    next[key] = text;
  }
  return next;
}

function ColumnChooser(props: {
  dataset: ExportDatasetInfo | undefined;
  value: string[];
  onChange: (columns: string[]) => void;
  disabled?: boolean;
}) {
  const { dataset, value, onChange, disabled } = props;
  const columns = dataset?.columns ?? [];
  const labelOf = (name: string) =>
    columns.find(c => c.name === name)?.label ?? name;
  const defaults = dataset?.defaultColumns.map(labelOf).join(', ');
  return (
    <Autocomplete
      multiple
      options={columns.map(c => c.name)}
      value={value}
      onChange={(_event, names) => onChange(names)}
      getOptionLabel={labelOf}
      filterSelectedOptions
      disableCloseOnSelect
      disabled={disabled || !dataset}
      renderTags={(names, getTagProps) =>
        names.map((name, index) => (
          <Chip
            {...getTagProps({ index })}
            key={name}
            size="small"
            label={labelOf(name)}
          />
        ))
      }
      renderInput={params => (
        <TextField
          {...params}
          label="Columns"
          variant="outlined"
          helperText={
            value.length === 0 && defaults
              ? `None chosen: the default columns (${defaults}).`
              : 'In this order in the file.'
          }
        />
      )}
    />
  );
}

/**
 * The fields of an export request: dataset, format, columns, filters,
 * time zone, file name and, for PDF, the title. Used by the export form
 * and by the schedule form.
 */
export function ExportDefinitionFields(props: {
  value: ExportRequest;
  onChange: (value: ExportRequest) => void;
  datasets: ExportDatasetInfo[];
  disabled?: boolean;
  /** What keeps the filters from being complete; empty when nothing. */
  onProblemsChange?: (problems: string[]) => void;
}): JSX.Element {
  const { value, onChange, datasets, disabled, onProblemsChange } = props;
  const id = useId();
  const dataset = datasets.find(d => d.name === value.dataset);
  const options = value.options ?? {};

  const changeDataset = (name: string) =>
    // Columns, filters, sort and renames name the old dataset's columns.
    onChange({ dataset: name, format: value.format, options: value.options });
  const changeFormat = (format: ExportFormat) => {
    const next = { ...options };
    if (format !== 'pdf') {
      PDF_ONLY.forEach(key => delete next[key]);
    }
    onChange({ ...value, format, options: next });
  };
  // An empty choice is left out of the request, so the defaults apply.
  const changeColumns = (columns: string[]) => {
    const next: ExportRequest = { ...value, columns };
    if (columns.length === 0) {
      delete next.columns;
    }
    onChange(next);
  };
  const changeFilters = (filters: ExportRequest['filters']) => {
    const next: ExportRequest = { ...value, filters };
    if (filters === undefined) {
      delete next.filters;
    }
    onChange(next);
  };
  const changeOption =
    (key: 'fileName' | 'title' | 'timezone') => (text: string) =>
      onChange({ ...value, options: withOption(value.options, key, text) });

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <TextField
          select
          SelectProps={{ native: true }}
          id={`${id}-dataset`}
          label="Dataset"
          variant="outlined"
          fullWidth
          value={value.dataset}
          disabled={disabled || datasets.length === 0}
          helperText={
            datasets.length === 0
              ? 'The backend offers no dataset to export.'
              : undefined
          }
          onChange={e => changeDataset(e.target.value)}
        >
          {!dataset && <option value={value.dataset}>{value.dataset}</option>}
          {datasets.map(d => (
            <option key={d.name} value={d.name}>
              {d.title}
            </option>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          select
          SelectProps={{ native: true }}
          id={`${id}-format`}
          label="Format"
          variant="outlined"
          fullWidth
          value={value.format}
          disabled={disabled}
          onChange={e => changeFormat(e.target.value as ExportFormat)}
        >
          {EXPORT_FORMATS.map(format => (
            <option key={format} value={format}>
              {FORMAT_LABELS[format]}
            </option>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12}>
        <ColumnChooser
          dataset={dataset}
          value={value.columns ?? []}
          onChange={changeColumns}
          disabled={disabled}
        />
      </Grid>
      <Grid item xs={12}>
        <FilterEditor
          key={value.dataset}
          filters={value.filters}
          columns={dataset?.columns ?? []}
          onChange={changeFilters}
          onProblemsChange={onProblemsChange}
          disabled={disabled}
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TimeZonePicker
          value={options.timezone ?? 'UTC'}
          onChange={changeOption('timezone')}
          disabled={disabled}
          helperText="Dates in the file are shown in it, and dates in filters are read in it."
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id={`${id}-file-name`}
          label="File name"
          variant="outlined"
          fullWidth
          value={options.fileName ?? ''}
          disabled={disabled}
          helperText={`Optional, without extension; by default ${value.dataset}-<date and time>.`}
          onChange={e => changeOption('fileName')(e.target.value)}
        />
      </Grid>
      {value.format === 'pdf' && (
        <Grid item xs={12} sm={6}>
          <TextField
            id={`${id}-title`}
            label="Title"
            variant="outlined"
            fullWidth
            value={options.title ?? ''}
            disabled={disabled}
            helperText={`Optional; on the first page. By default ${
              dataset?.title ?? 'the dataset’s title'
            }.`}
            onChange={e => changeOption('title')(e.target.value)}
          />
        </Grid>
      )}
    </Grid>
  );
}
