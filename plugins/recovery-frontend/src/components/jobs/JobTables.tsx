import { EmptyState, Table } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  Job,
  Page,
  RecoveryAttempt,
  RowError,
} from '@rebound/core/client';
import { useMemo, type ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { withCellRenderers } from '../common/cellRenderers';
import { DateTime } from '../common/DateTime';
import { RequestError } from '../common/errors';
import { formatCount, formatDuration, words } from '../common/format';
import {
  PAGE_TABLE_OPTIONS,
  PageButtons,
  useCursorPages,
} from '../common/paging';
import { StatusMark } from '../common/status';

const ROW_ERRORS_PAGE = 50;
const HISTORY_PAGE = 20;

const useStyles = makeStyles(theme => ({
  value: {
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  // Table cells break words anywhere by default; history cells keep them
  // whole, as wide as their content up to a bound, and leave the rest of
  // the row to the outcome.
  short: {
    wordBreak: 'normal',
    width: 'max-content',
    maxWidth: '10rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '6.5rem',
    },
  },
  outcome: {
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
    minWidth: '10rem',
    marginTop: theme.spacing(0.5),
  },
}));

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

function Caption(props: { children: ReactNode }) {
  return (
    <Typography variant="caption" color="textSecondary" display="block">
      {props.children}
    </Typography>
  );
}

/**
 * A row of status 'manual' records the decision that the job needs a
 * person: it ran nothing, and the recovery the person then makes carries
 * the same number.
 */
const isDecision = (attempt: RecoveryAttempt) => attempt.status === 'manual';

function AttemptCell(props: { attempt: RecoveryAttempt }) {
  const { attempt } = props;
  if (!isDecision(attempt)) {
    return <>{formatCount(attempt.attempt)}</>;
  }
  return (
    <span title="A decision that the job needs a person; it ran nothing.">
      — <Caption>(decision)</Caption>
    </span>
  );
}

/** What started the recovery, and who asked for it. */
function TriggerCell(props: { attempt: RecoveryAttempt }) {
  const { attempt } = props;
  const classes = useStyles();
  const by =
    attempt.requestedBy ??
    (attempt.trigger === 'automatic' ? 'the automatic recovery' : undefined);
  return (
    <div className={classes.short}>
      <Typography variant="body2">{attempt.trigger}</Typography>
      {by && <Caption>{by}</Caption>}
    </div>
  );
}

/** The plan's strategy, over the type of the failure it answered. */
function StrategyCell(props: { attempt: RecoveryAttempt }) {
  const { attempt } = props;
  const classes = useStyles();
  return (
    <div className={classes.short}>
      <Typography variant="body2">{words(attempt.strategy)}</Typography>
      <Caption>{words(attempt.failureType)}</Caption>
    </div>
  );
}

/** The status of the attempt, and what became of it. */
function OutcomeCell(props: { attempt: RecoveryAttempt }) {
  const { attempt } = props;
  const classes = useStyles();
  return (
    <>
      <StatusMark status={attempt.status} />
      {attempt.outcome && (
        <Typography variant="body2" className={classes.outcome}>
          {attempt.outcome}
        </Typography>
      )}
    </>
  );
}

/** How much a finished run read; "—" only when the record does not say. */
function RowsProcessed(props: { rows: number | null }) {
  const { rows } = props;
  if (rows === null) {
    return <>Rows processed: —</>;
  }
  return (
    <>
      <span>{formatCount(rows)}</span> {rows === 1 ? 'row' : 'rows'} processed
    </>
  );
}

/**
 * When the run started, how long it took and the rows it processed; for
 * a decision or a recovery not yet started, when it was made and that
 * nothing ran.
 */
function RunCell(props: { attempt: RecoveryAttempt }) {
  const { attempt } = props;
  const classes = useStyles();
  let when = attempt.startedAt;
  let facts: ReactNode;
  if (isDecision(attempt)) {
    when = attempt.createdAt;
    facts = <Caption>Decided: no run, no rows processed</Caption>;
  } else if (attempt.status === 'scheduled') {
    when = attempt.createdAt;
    facts = <Caption>Scheduled: not started yet</Caption>;
  } else if (attempt.status === 'running') {
    facts = <Caption>Running</Caption>;
  } else if (!attempt.startedAt) {
    facts = <Caption>Never started: no rows processed</Caption>;
  } else {
    facts = (
      <>
        <Caption>
          Took <span>{formatDuration(attempt.durationMs)}</span>
        </Caption>
        <Caption>
          <RowsProcessed rows={attempt.rowsProcessed} />
        </Caption>
      </>
    );
  }
  return (
    <div className={classes.short}>
      <Typography variant="body2">
        <DateTime iso={when} />
      </Typography>
      {facts}
    </div>
  );
}

/** As narrow as its content: the outcome takes the rest of the row. */
const NARROW = { width: '1%' } as const;

const HISTORY_TABLE = withCellRenderers<RecoveryAttempt>([
  {
    title: 'Attempt',
    render: a => <AttemptCell attempt={a} />,
    ...NARROW,
  },
  { title: 'Trigger', render: a => <TriggerCell attempt={a} />, ...NARROW },
  { title: 'Strategy', render: a => <StrategyCell attempt={a} />, ...NARROW },
  { title: 'Outcome', render: a => <OutcomeCell attempt={a} /> },
  { title: 'Run', render: a => <RunCell attempt={a} />, ...NARROW },
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

/** What of a job tells why it has no row errors. */
export type RowErrorsJob = Pick<Job, 'status' | 'failure' | 'progress'>;

/** "All 300 rows read so far were valid…", "The 1 row read … was …". */
function allValid(rows: number, when: string): string {
  return rows === 1
    ? `The 1 row read ${when} was valid and accepted by the target.`
    : `All ${formatCount(
        rows,
      )} rows read ${when} were valid and accepted by the target.`;
}

/** Why a job has no row errors, from how far it got. */
function noRowErrorsText(job: RowErrorsJob | undefined): string {
  if (!job) {
    return 'No row of this job was set aside or refused by the target.';
  }
  const { rowsDone } = job.progress;
  switch (job.status) {
    case 'pending':
      return rowsDone === 0
        ? 'No row has been read yet: the job waits for a worker.'
        : allValid(rowsDone, 'so far');
    case 'running':
      return rowsDone === 0
        ? 'No row has been checked yet.'
        : allValid(rowsDone, 'so far');
    case 'succeeded':
      return 'Every row was valid and accepted by the target.';
    case 'cancelled':
      return rowsDone === 0
        ? 'No row was set aside: the job was cancelled before any row was checked.'
        : allValid(rowsDone, 'before the job was cancelled');
    default:
      return rowsDone === 0
        ? `No row was set aside: the job failed${
            job.failure ? ` (${words(job.failure.type)})` : ''
          } before any row was checked. The failure analysis says what to fix.`
        : allValid(rowsDone, 'before the job stopped');
  }
}

/**
 * The rows the job set aside or the target refused, by row. Given the
 * job, its empty state says why there are none.
 */
export function RowErrorsTable(props: {
  jobId: string;
  refreshKey: string;
  job?: RowErrorsJob;
}) {
  const { jobId, refreshKey, job } = props;
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
      empty={{ title: 'No row errors', description: noRowErrorsText(job) }}
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
