import { InfoCard, Progress } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import type { ExportDatasetInfo, ExportRecord } from '@rebound/core/client';
import { useEffect, useState } from 'react';
import { useRebound } from '../../api';
import { usePermissionReason } from '../common/actions';
import { RequestError } from '../common/errors';
import { PageButtons, PageEmptyState, useCursorPages } from '../common/paging';
import { usePolling } from '../common/usePolling';
import { ExportActions, type ActionFailure } from './ExportActions';
import {
  ExportDetailsCell,
  ExportNameCell,
  ExportStatusCell,
} from './ExportCells';
import { tick, withRecent, type RecentRecord } from './recentRecords';

const PAGE_SIZE = 25;

/**
 * Download comes first, so that it stays in view however narrow the
 * window; the secondary facts are lines under the main one of a cell.
 */
const COLUMNS = ['Actions', 'Export', 'Status', 'Details'];

const useStyles = makeStyles(theme => ({
  // Still too narrow a window scrolls the table, not the page.
  scroll: {
    overflowX: 'auto',
  },
  table: {
    '& td': {
      verticalAlign: 'top',
      // Words stay whole; the cells say where a long value may break.
      overflowWrap: 'normal',
      wordBreak: 'normal',
    },
    [theme.breakpoints.down('md')]: {
      '& td, & th': {
        padding: theme.spacing(0.75, 1.5, 0.75, 1),
      },
    },
  },
}));

const inProgress = (record: ExportRecord) =>
  record.status === 'pending' || record.status === 'running';

function ExportRow(props: {
  record: ExportRecord;
  datasetTitle: string;
  actions: JSX.Element;
}) {
  const { record, datasetTitle, actions } = props;
  return (
    <TableRow>
      <TableCell>{actions}</TableCell>
      <TableCell>
        <ExportNameCell record={record} datasetTitle={datasetTitle} />
      </TableCell>
      <TableCell>
        <ExportStatusCell record={record} />
      </TableCell>
      <TableCell>
        <ExportDetailsCell record={record} />
      </TableCell>
    </TableRow>
  );
}

/**
 * The exports, newest first, a page at a time; reloaded while any of them
 * is still being written. A plain table rather than Backstage's: it needs
 * none of material-table's paging, search or sorting, and material-table
 * warns in development builds each time the rows of a shown table change.
 */
export function ExportList(props: {
  datasets: ExportDatasetInfo[];
  recent: RecentRecord[];
  onRetried: (record: ExportRecord) => void;
}) {
  const { datasets, recent, onRetried } = props;
  const classes = useStyles();
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
  const titleOf = (name: string) =>
    datasets.find(d => d.name === name)?.title ?? name;
  const nextCursor = page.value?.nextCursor;

  return (
    <InfoCard
      title="Exports"
      titleTypographyProps={{ component: 'h2' }}
      subheader="Newest first; files are kept until they expire."
    >
      {page.error && (
        <RequestError
          title="Loading the exports failed"
          error={page.error}
          onRetry={page.retry}
        />
      )}
      {failure && <RequestError title={failure.title} error={failure.error} />}
      {page.value && items.length === 0 && (
        <PageEmptyState
          firstPage={firstPage}
          title="No exports yet"
          laterTitle="No more exports"
          description='Choose a dataset and a format under "New export" and press "Create export"; the file is listed here, ready to download.'
        />
      )}
      {items.length > 0 && (
        <div className={classes.scroll}>
          <Table size="small" aria-label="Exports" className={classes.table}>
            <TableHead>
              <TableRow>
                {COLUMNS.map(title => (
                  <TableCell key={title}>{title}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(record => (
                <ExportRow
                  key={record.id}
                  record={record}
                  datasetTitle={titleOf(record.dataset)}
                  actions={
                    <ExportActions
                      record={record}
                      retryDeniedReason={retryPermission.reason}
                      onRetried={onRetried}
                      onStart={() => setFailure(undefined)}
                      onFailure={setFailure}
                    />
                  }
                />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <PageButtons pages={pages} nextCursor={nextCursor} noun="exports" />
    </InfoCard>
  );
}
