import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { JobStatus } from '@rebound/core/client';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

export type StatusFilter = JobStatus | 'all';

const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'failed', label: 'Failed' },
  {
    value: 'manual_intervention_required',
    label: 'Manual intervention required',
  },
  { value: 'running', label: 'Running' },
  { value: 'pending', label: 'Pending' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'all', label: 'All' },
];

/**
 * The status the jobs list shows, failed unless the address says
 * otherwise (`?status=running`), so that a link can carry it.
 */
export function useStatusFilter(): [
  StatusFilter,
  (value: StatusFilter) => void,
] {
  const [params, setParams] = useSearchParams();
  const given = params.get('status');
  const value = STATUS_FILTERS.some(f => f.value === given)
    ? (given as StatusFilter)
    : 'failed';
  const set = useCallback(
    (next: StatusFilter) =>
      setParams(
        current => {
          const changed = new URLSearchParams(current);
          changed.set('status', next);
          return changed;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [value, set];
}

/** The "Status" select of the jobs list, one choice per job status. */
export function StatusFilterField(props: {
  value: StatusFilter;
  onChange: (value: StatusFilter) => void;
}) {
  return (
    <TextField
      id="jobs-status-filter"
      select
      label="Status"
      variant="outlined"
      size="small"
      value={props.value}
      onChange={e => props.onChange(e.target.value as StatusFilter)}
      style={{ minWidth: '14rem' }}
    >
      {STATUS_FILTERS.map(filter => (
        <MenuItem key={filter.value} value={filter.value}>
          {filter.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
