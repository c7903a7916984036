import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { JobStatus } from '@rebound/core/client';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** A job status, all of them, or the jobs that may need a person. */
export type StatusFilter = JobStatus | 'attention' | 'all';

const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'attention', label: 'Failed or waiting for a person' },
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

/** The statuses a filter asks the backend for; undefined for all. */
export function statusesOf(
  filter: StatusFilter,
): JobStatus | JobStatus[] | undefined {
  switch (filter) {
    case 'all':
      return undefined;
    case 'attention':
      return ['failed', 'manual_intervention_required'];
    default:
      return filter;
  }
}

/**
 * The status the jobs list shows, the jobs that may need a person unless
 * the address says otherwise (`?status=running`), so that a link can
 * carry it.
 */
export function useStatusFilter(): [
  StatusFilter,
  (value: StatusFilter) => void,
] {
  const [params, setParams] = useSearchParams();
  const given = params.get('status');
  const value = STATUS_FILTERS.some(f => f.value === given)
    ? (given as StatusFilter)
    : 'attention';
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
      style={{ minWidth: '18rem' }}
    >
      {STATUS_FILTERS.map(filter => (
        <MenuItem key={filter.value} value={filter.value}>
          {filter.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
