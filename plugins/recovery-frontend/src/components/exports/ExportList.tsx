import { Progress, Table, type TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ExportDatasetInfo, ExportRecord } from '@rebound/core/client';
import { useEffect, useState } from 'react';
import { useRebound } from '../../api';
import { usePermissionReason } from '../common/actions';
import { RequestError } from '../common/errors';
import { formatBytes, formatCount } from '../common/format';
import {
  PAGE_TABLE_OPTIONS,
  PageButtons,
  PageEmptyState,
  useCursorPages,
} from '../common/paging';
import { usePolling } from '../common/usePolling';
import { ExportActions, type ActionFailure } from './ExportActions';
import {
  DateTimeCell,
  ExportProgressCell,
  ExportStatusCell,
  Sha256Cell,
} from './ExportCells';
import { FORMAT_LABELS } from './formats';
import { tick, withRecent, type RecentRecord } from './recentRecords';

const PAGE_SIZE = 25;

const inProgress = (record: ExportRecord) =>
  record.status === 'pending' || record.status === 'running';

function columnsOf(
  datasets: ExportDatasetInfo[],
  actions: (record: ExportRecord) => JSX.Element,
): TableColumn<ExportRecord>[] {
  const titleOf = (name: string) =>
    datasets.find(d => d.name === name)?.title ?? name;
  const nowrap = { whiteSpace: 'nowrap' as const };
  return [
    {
      title: 'Dataset',
      cellStyle: { minWidth: '10rem' },
      render: r => (
        <>
          {titleOf(r.dataset)}
          <Typography variant="caption" color="textSecondary" display="block">
            {r.fileName}
          </Typography>
        </>
      ),
    },
    {
      title: 'Format',
      cellStyle: nowrap,
      render: r => FORMAT_LABELS[r.format] ?? r.format,
    },
    { title: 'Status', render: r => <ExportStatusCell record={r} /> },
    { title: 'Progress', render: r => <ExportProgressCell record={r} /> },
    { title: 'Rows', cellStyle: nowrap, render: r => formatCount(r.rowCount) },
    { title: 'Size', cellStyle: nowrap, render: r => formatBytes(r.size) },
    { title: 'SHA-256', render: r => <Sha256Cell sha256={r.sha256} /> },
    { title: 'Created', render: r => <DateTimeCell iso={r.createdAt} /> },
    { title: 'Finished', render: r => <DateTimeCell iso={r.finishedAt} /> },
    { title: 'Expires', render: r => <DateTimeCell iso={r.expiresAt} /> },
    { title: 'Actions', cellStyle: nowrap, render: actions },
  ];
}

/**
 * The exports, newest first, a page at a time; reloaded while any of them
 * is still being written.
 */
export function ExportList(props: {
  datasets: ExportDatasetInfo[];
  recent: RecentRecord[];
  onRetried: (record: ExportRecord) => void;
}) {
  const { datasets, recent, onRetried } = props;
  const client = useRebound();
  const retryPermission = usePermissionReason('exportCreate');
  const pages = useCursorPages();
  const [failure, setFailure] = useState<ActionFailure>();
  const { cursor, reset } = pages;
  const firstPage = pages.page === 1;

  // A new export belongs on the first page, where it is shown on top.
  const created = recent.filter(r => r.created).length;
  useEffect(() => {
    if (created > 0) {
      reset();
    }
  }, [created, reset]);

  const page = usePolling(
    async () => {
      const startedAt = tick();
      return {
        ...(await client.listExports({ limit: PAGE_SIZE, cursor })),
        startedAt,
      };
    },
    [client, cursor],
    {
      active: value =>
        withRecent(value.items, value.startedAt, recent, firstPage).some(
          inProgress,
        ),
    },
  );

  if (page.loading) {
    return <Progress />;
  }
  const items = page.value
    ? withRecent(page.value.items, page.value.startedAt, recent, firstPage)
    : [];
  const columns = columnsOf(datasets, record => (
    <ExportActions
      record={record}
      retryDeniedReason={retryPermission.reason}
      onRetried={onRetried}
      onStart={() => setFailure(undefined)}
      onFailure={setFailure}
    />
  ));
  const nextCursor = page.value?.nextCursor;

  return (
    <>
      {page.error && (
        <RequestError
          title="Loading the exports failed"
          error={page.error}
          onRetry={page.retry}
        />
      )}
      {failure && <RequestError title={failure.title} error={failure.error} />}
      {page.value && (
        <Table<ExportRecord>
          title="Exports"
          subtitle="Newest first; files are kept until they expire."
          columns={columns}
          data={items}
          options={PAGE_TABLE_OPTIONS}
          emptyContent={
            <PageEmptyState
              firstPage={firstPage}
              title="No exports yet"
              laterTitle="No more exports"
              description='Choose a dataset and a format under "New export" and press "Create export"; the file is listed here, ready to download.'
            />
          }
        />
      )}
      <PageButtons pages={pages} nextCursor={nextCursor} noun="exports" />
    </>
  );
}
