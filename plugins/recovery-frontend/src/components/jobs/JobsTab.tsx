import { Progress, Table } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import type { Job } from '@rebound/core/client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useRebound } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  ActionButton,
  firstReason,
  usePermissionReason,
} from '../common/actions';
import { withCellRenderers } from '../common/cellRenderers';
import { RequestError } from '../common/errors';
import {
  PAGE_TABLE_OPTIONS,
  PageButtons,
  PageEmptyState,
  useCursorPages,
} from '../common/paging';
import { usePolling } from '../common/usePolling';
import { BatchRecoveryDialog } from './BatchRecoveryDialog';
import { jobColumns, type JobRow } from './jobColumns';
import { isActive, isRecoverable, NOT_RECOVERABLE_REASON } from './jobStates';
import {
  statusesOf,
  StatusFilterField,
  useStatusFilter,
  type StatusFilter,
} from './StatusFilter';
import { UploadDialog } from './UploadDialog';
import { useJobAnalyses } from './useJobAnalyses';

const PAGE_SIZE = 25;

const EMPTY_TEXT: Record<StatusFilter, string> = {
  attention:
    'No job has failed or waits for a person: recovered jobs run again on their own. Choose "All" to see every job.',
  failed:
    'No job is failed now: recovered jobs run again on their own. Choose "All" to see every job.',
  manual_intervention_required: 'No job is waiting for manual intervention.',
  running: 'No job is running now. Pending jobs start when a worker is free.',
  pending: 'No job is waiting for a worker.',
  succeeded: 'No job has succeeded yet. Upload a CSV file to start one.',
  cancelled: 'No job was cancelled.',
  all: 'There are no jobs yet. Upload a CSV file to start one.',
};

/** Failed jobs change when automatic recovery takes them, so: always. */
const followEvery = (page: { items: Job[] }) =>
  page.items.some(isActive) ? 2000 : 10_000;

/**
 * The jobs of one status a page at a time, with the failure and the plan
 * of each failed job; reloaded often while any shown job is pending or
 * running, and now and then otherwise. The selection is kept across pages
 * of one status.
 */
export function JobsTab() {
  const client = useRebound();
  const navigate = useNavigate();
  const root = useRouteRef(rootRouteRef)();
  const jobLink = useCallback(
    (jobId: string) => `${root}/jobs/${encodeURIComponent(jobId)}`,
    [root],
  );
  const recoverPermission = usePermissionReason('jobRecover');
  const uploadPermission = usePermissionReason('jobCreate');
  const [status, setStatus] = useStatusFilter();
  const pages = useCursorPages();
  const [selection, setSelection] = useState<Map<string, Job>>(new Map());
  const [dialog, setDialog] = useState<'recover' | 'upload'>();

  const query = `${status}:${pages.cursor ?? ''}`;
  const jobs = usePolling(
    async () => ({
      query,
      ...(await client.listJobs({
        status: statusesOf(status),
        limit: PAGE_SIZE,
        cursor: pages.cursor,
      })),
    }),
    [client, query],
    { active: () => true, intervalMs: followEvery },
  );
  const items = useMemo(() => jobs.value?.items ?? [], [jobs.value]);
  // A selection belongs to the status it was made in.
  useEffect(() => setSelection(new Map()), [status]);
  // A selected job is recovered as it is now, not as it was when selected.
  useEffect(
    () =>
      setSelection(current => {
        const fresh = items.filter(job => current.has(job.id));
        if (fresh.every(job => current.get(job.id) === job)) {
          return current;
        }
        const next = new Map(current);
        fresh.forEach(job => next.set(job.id, job));
        return next;
      }),
    [items],
  );
  const analyses = useJobAnalyses(items);

  const rows: JobRow[] = useMemo(
    () =>
      items.map(job => ({
        ...job,
        analysis: analyses.byJobId.get(job.id),
        analysisLoading: analyses.loading,
        tableData: { checked: selection.has(job.id) },
      })),
    [items, analyses.byJobId, analyses.loading, selection],
  );
  const selected = [...selection.values()];
  const elsewhere = selected.filter(
    job => !items.some(item => item.id === job.id),
  ).length;
  const choose = (chosen: Job[]) =>
    setSelection(current => {
      const next = new Map(current);
      items.forEach(job => next.delete(job.id));
      chosen.forEach(job =>
        next.set(job.id, items.find(item => item.id === job.id) ?? job),
      );
      return next;
    });
  // The table rebuilds its body when these change: they are kept stable.
  const table = useMemo(
    () => withCellRenderers(jobColumns(jobLink)),
    [jobLink],
  );
  const firstPage = pages.page === 1;
  // Backstage's empty row spans the columns it is given, not the
  // checkboxes material-table adds, so the table says it with
  // material-table's own empty row, which spans them all.
  const localization = useMemo(
    () => ({
      body: {
        emptyDataSourceMessage: (
          <Box textAlign="left">
            <PageEmptyState
              firstPage={firstPage}
              title="No jobs to show"
              laterTitle="No more jobs here"
              description={EMPTY_TEXT[status]}
            />
          </Box>
        ),
      },
    }),
    [firstPage, status],
  );

  const changeStatus = (next: StatusFilter) => {
    pages.reset();
    setStatus(next);
  };
  const recovered = () => {
    setSelection(new Map());
    jobs.retry();
  };

  const recoverReason = firstReason(
    recoverPermission.reason,
    selected.length === 0 && 'Select the jobs to recover first.',
    selected.length > 0 &&
      !selected.some(isRecoverable) &&
      NOT_RECOVERABLE_REASON,
  );

  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
        <StatusFilterField value={status} onChange={changeStatus} />
        <Box flexGrow={1} />
        <ActionButton
          variant="contained"
          color="primary"
          disabledReason={recoverReason}
          onClick={() => setDialog('recover')}
        >
          Recover selected
        </ActionButton>
        <ActionButton
          variant="outlined"
          color="primary"
          disabledReason={uploadPermission.reason}
          onClick={() => setDialog('upload')}
        >
          Upload CSV
        </ActionButton>
      </Box>

      <Box mt={2}>
        {jobs.error && (
          <RequestError
            title="Loading the jobs failed"
            error={jobs.error}
            onRetry={jobs.retry}
          />
        )}
        {analyses.failed && (
          <RequestError
            title={
              analyses.failed.jobIds.length === 1
                ? 'Loading the recovery plan of 1 job failed'
                : `Loading the recovery plans of ${analyses.failed.jobIds.length} jobs failed`
            }
            error={analyses.failed.error}
            onRetry={analyses.retry}
          />
        )}
        {jobs.loading && <Progress />}
        {jobs.value && (
          <Table<JobRow>
            title="Jobs"
            subtitle={
              selected.length > 0
                ? `${selected.length} selected${
                    elsewhere > 0 ? `, ${elsewhere} of them on other pages` : ''
                  }`
                : 'Newest first. Select jobs to recover them together.'
            }
            columns={table.columns}
            components={table.components}
            data={rows}
            isLoading={jobs.value.query !== query}
            onSelectionChange={choose}
            options={{
              selection: true,
              showSelectAllCheckbox: true,
              showTextRowsSelected: false,
              selectionProps: (job: Job) => ({
                inputProps: { 'aria-label': `Select ${job.fileName}` },
              }),
              headerSelectionProps: {
                inputProps: { 'aria-label': 'Select all jobs on this page' },
              },
              ...PAGE_TABLE_OPTIONS,
            }}
            localization={localization}
          />
        )}
        <PageButtons
          pages={pages}
          nextCursor={jobs.value?.nextCursor}
          noun="jobs"
        />
      </Box>

      <BatchRecoveryDialog
        open={dialog === 'recover'}
        jobs={selected}
        jobLink={jobLink}
        onClose={() => setDialog(undefined)}
        onRecovered={recovered}
      />
      <UploadDialog
        open={dialog === 'upload'}
        onClose={() => setDialog(undefined)}
        onCreated={job => navigate(jobLink(job.id))}
      />
    </>
  );
}
