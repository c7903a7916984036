import { EmptyState, Table } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import type { Page, RecoveryAttempt, RowError } from '@rebound/core/client';
import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { withCellRenderers } from '../common/cellRenderers';
import { RequestError } from '../common/errors';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  words,
} from '../common/format';
import {
  PAGE_TABLE_OPTIONS,
  PageButtons,
  useCursorPages,
} from '../common/paging';
import { StatusMark } from '../common/status';

const ROW_ERRORS_PAGE = 50;
const HISTORY_PAGE = 20;

const useStyles = makeStyles({
  value: {
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
});

function RawValue(props: { value: string | undefined }) {
  const classes = useStyles();
  return props.value === undefined ? (
    <>—</>
  ) : (
    <span className={classes.value}>{props.value}</span>
  );
}

type RowErrorRow = RowError & { id: string };

const ROW_ERROR_TABLE = withCellRenderers<RowErrorRow>([
  { title: 'Row', render: error => formatCount(error.row) },
  { title: 'Column', render: error => error.column ?? '—' },
  { title: 'Code', field: 'code' },
  { title: 'Message', field: 'message', cellStyle: { minWidth: '20rem' } },
  { title: 'Value', render: error => <RawValue value={error.value} /> },
  { title: 'Kind', field: 'kind' },
]);

const HISTORY_TABLE = withCellRenderers<RecoveryAttempt>([
  { title: 'Attempt', render: a => formatCount(a.attempt) },
  { title: 'Trigger', field: 'trigger' },
  { title: 'Strategy', render: a => words(a.strategy) },
  { title: 'Status', render: a => <StatusMark status={a.status} /> },
  { title: 'Outcome', render: a => a.outcome ?? '—' },
  {
    title: 'Requested by',
    render: a =>
      a.requestedBy ??
      (a.trigger === 'automatic' ? 'the automatic recovery' : '—'),
  },
  { title: 'Started', render: a => formatDateTime(a.startedAt) },
  { title: 'Duration', render: a => formatDuration(a.durationMs) },
  { title: 'Rows processed', render: a => formatCount(a.rowsProcessed) },
]);

/**
 * One cursor-paged table of the job page: reloads its page when
 * `refreshKey` changes, and says what failed when loading does.
 */
function PagedTable<T extends object>(props: {
  title: string;
  subtitle: string;
  noun: string;
  table: ReturnType<typeof withCellRenderers<T>>;
  load: (cursor: string | undefined) => Promise<Page<T>>;
  refreshKey: string;
  empty: { title: string; description: string };
}) {
  const { title, subtitle, noun, table, load, refreshKey, empty } = props;
  const pages = useCursorPages();
  // The table rebuilds its body when its empty content changes.
  const emptyState = useMemo(
    () => (
      <EmptyState
        missing="data"
        title={empty.title}
        description={empty.description}
      />
    ),
    [empty.title, empty.description],
  );
  const { cursor } = pages;
  // `load` is new on every render; the cursor and the key say when to call it.
  const page = useAsyncRetry(
    async () => ({ cursor, ...(await load(cursor)) }),
    [cursor, refreshKey],
  );
  // Only a page of its own is shown as loading, not a reload of the same.
  const turning = page.loading && page.value?.cursor !== cursor;

  return (
    <>
      {page.error && (
        <RequestError
          title={`Loading the ${noun} failed`}
          error={page.error}
          onRetry={page.retry}
        />
      )}
      <Table<T>
        title={title}
        subtitle={subtitle}
        columns={table.columns}
        components={table.components}
        data={page.value?.items ?? []}
        isLoading={turning}
        options={PAGE_TABLE_OPTIONS}
        emptyContent={page.error ? undefined : emptyState}
      />
      <PageButtons
        pages={pages}
        nextCursor={page.value?.nextCursor}
        noun={noun}
      />
    </>
  );
}

/** The rows the job set aside or the target refused, by row. */
export function RowErrorsTable(props: { jobId: string; refreshKey: string }) {
  const { jobId, refreshKey } = props;
  const client = useRebound();
  return (
    <PagedTable<RowErrorRow>
      title="Row errors"
      subtitle="Quarantined rows were set aside by the job; rejected rows were refused by the target."
      noun="row errors"
      table={ROW_ERROR_TABLE}
      load={async cursor => {
        const page = await client.listRowErrors(jobId, {
          limit: ROW_ERRORS_PAGE,
          cursor,
        });
        // A row with several problems has an error each: the table wants ids.
        return {
          ...page,
          items: page.items.map((error, index) => ({
            ...error,
            id: `${cursor ?? ''}:${index}`,
          })),
        };
      }}
      refreshKey={`${jobId}:${refreshKey}`}
      empty={{
        title: 'No row errors',
        description:
          'Every row read so far was valid and accepted by the target.',
      }}
    />
  );
}

/** Every recovery attempt of the job, newest first. */
export function RecoveryHistoryTable(props: {
  jobId: string;
  refreshKey: string;
}) {
  const { jobId, refreshKey } = props;
  const client = useRebound();
  return (
    <PagedTable<RecoveryAttempt>
      title="Recovery history"
      subtitle="Each recovery of this job, newest first, with its plan's strategy and outcome."
      noun="recoveries"
      table={HISTORY_TABLE}
      load={cursor =>
        client.listRecoveries({ jobId, limit: HISTORY_PAGE, cursor })
      }
      refreshKey={`${jobId}:${refreshKey}`}
      empty={{
        title: 'No recoveries yet',
        description:
          'When the job fails, recover it from this page or the jobs list; each attempt is listed here.',
      }}
    />
  );
}
