import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import type { ExportFilter } from '@rebound/core/client';
import { useEffect, useId, useState } from 'react';
import { ActionButton } from '../common/actions';
import {
  filtersOf,
  newRow,
  OPERATOR_LABELS,
  operatorsFor,
  rowsOf,
  rowTitle,
  type DatasetColumn,
  type FilterRow,
} from './filterRows';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(10rem, 2fr) minmax(7rem, 1fr) 3fr auto',
    gap: theme.spacing(1),
    alignItems: 'start',
    marginBottom: theme.spacing(1),
  },
  remove: {
    marginTop: theme.spacing(1),
  },
}));

type Filters = Record<string, ExportFilter> | undefined;

/** What a row's value field explains, by column type and operator. */
function valueHint(column: DatasetColumn | undefined, row: FilterRow) {
  if (row.operator === 'in') {
    return 'Values separated by commas';
  }
  if (column?.type === 'datetime') {
    return 'A date (the whole day) or a time, e.g. 2026-12-04T10:00, in the time zone below';
  }
  if (row.operator === 'contains') {
    return 'Matches when the text contains this, case-sensitively';
  }
  return undefined;
}

function ValueField(props: {
  id: string;
  column: DatasetColumn | undefined;
  row: FilterRow;
  problem?: string;
  disabled?: boolean;
  onChange: (text: string) => void;
}) {
  const { id, column, row, problem, disabled, onChange } = props;
  const common = {
    id,
    label: 'Value',
    variant: 'outlined' as const,
    margin: 'dense' as const,
    fullWidth: true,
    disabled,
    value: row.text,
    error: problem !== undefined,
    helperText: problem ?? valueHint(column, row),
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      onChange(e.target.value),
  };
  if (column?.type === 'boolean') {
    return (
      <TextField {...common} select SelectProps={{ native: true }}>
        <option value="" disabled>
          Choose
        </option>
        <option value="true">true</option>
        <option value="false">false</option>
      </TextField>
    );
  }
  if (column?.type === 'date' && row.operator !== 'in') {
    return (
      <TextField {...common} type="date" InputLabelProps={{ shrink: true }} />
    );
  }
  return <TextField {...common} />;
}

/**
 * Rows of column, operator and value. Rows still being written (no value
 * yet) live here and stay out of the request until they are complete.
 */
export function FilterEditor(props: {
  filters: Filters;
  columns: DatasetColumn[];
  onChange: (filters: Filters) => void;
  onProblemsChange?: (problems: string[]) => void;
  disabled?: boolean;
}) {
  const { filters, columns, onChange, onProblemsChange, disabled } = props;
  const classes = useStyles();
  const baseId = useId();
  const filterable = columns.filter(c => c.filterable);
  const [state, setState] = useState(() => ({
    rows: rowsOf(filters),
    filters,
  }));
  if (JSON.stringify(filters) !== JSON.stringify(state.filters)) {
    // The request was replaced from outside, e.g. a saved one was loaded.
    setState({ rows: rowsOf(filters), filters });
  }
  const { rows } = state;
  const { rowProblems } = filtersOf(rows, columns);
  const problems = rowProblems.flatMap((problem, index) =>
    problem ? [`${rowTitle(rows[index], index, columns)}: ${problem}.`] : [],
  );
  const problemsText = problems.join('\n');

  useEffect(() => {
    onProblemsChange?.(problemsText ? problemsText.split('\n') : []);
  }, [problemsText, onProblemsChange]);

  const update = (next: FilterRow[]) => {
    const parsed = filtersOf(next, columns);
    setState({ rows: next, filters: parsed.filters });
    onChange(parsed.filters);
  };
  const change = (index: number, patch: Partial<FilterRow>) =>
    update(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const changeColumn = (index: number, name: string) => {
    const column = filterable.find(c => c.name === name);
    const operators = column ? operatorsFor(column.type) : [];
    const operator = rows[index].operator;
    change(index, {
      column: name,
      operator: operators.includes(operator) ? operator : 'eq',
    });
  };

  return (
    <Box>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Filters
      </Typography>
      {rows.length === 0 && (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          No filters: the export holds every row of the dataset.
        </Typography>
      )}
      {rows.map((row, index) => {
        const column = filterable.find(c => c.name === row.column);
        const operators = column ? operatorsFor(column.type) : [row.operator];
        return (
          <div
            key={row.id}
            role="group"
            aria-label={`Filter ${index + 1}`}
            className={classes.row}
          >
            <TextField
              select
              SelectProps={{ native: true }}
              id={`${baseId}-${row.id}-column`}
              label="Column"
              variant="outlined"
              margin="dense"
              value={row.column}
              disabled={disabled}
              onChange={e => changeColumn(index, e.target.value)}
            >
              {!column && <option value={row.column}>{row.column}</option>}
              {filterable.map(c => (
                <option key={c.name} value={c.name}>
                  {c.label}
                </option>
              ))}
            </TextField>
            <TextField
              select
              SelectProps={{ native: true }}
              id={`${baseId}-${row.id}-operator`}
              label="Operator"
              variant="outlined"
              margin="dense"
              value={row.operator}
              disabled={disabled}
              onChange={e =>
                change(index, {
                  operator: e.target.value as FilterRow['operator'],
                })
              }
            >
              {operators.map(operator => (
                <option key={operator} value={operator}>
                  {OPERATOR_LABELS[operator]}
                </option>
              ))}
            </TextField>
            <ValueField
              id={`${baseId}-${row.id}-value`}
              column={column}
              row={row}
              problem={rowProblems[index]}
              disabled={disabled}
              onChange={text => change(index, { text })}
            />
            <IconButton
              aria-label={`Remove filter ${index + 1}`}
              className={classes.remove}
              disabled={disabled}
              onClick={() => update(rows.filter((_, i) => i !== index))}
            >
              <DeleteIcon />
            </IconButton>
          </div>
        );
      })}
      <ActionButton
        startIcon={<AddIcon />}
        size="small"
        disabled={disabled}
        disabledReason={
          filterable.length === 0
            ? 'No column of this dataset can be filtered on.'
            : undefined
        }
        onClick={() => update([...rows, newRow(filterable[0])])}
      >
        Add filter
      </ActionButton>
    </Box>
  );
}
