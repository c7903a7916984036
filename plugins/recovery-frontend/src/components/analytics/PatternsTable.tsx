import { Link, Table } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import FiberNew from '@material-ui/icons/FiberNew';
import TrendingDown from '@material-ui/icons/TrendingDown';
import TrendingFlat from '@material-ui/icons/TrendingFlat';
import TrendingUp from '@material-ui/icons/TrendingUp';
import type { FailurePattern } from '@rebound/core/client';
import { useMemo } from 'react';
import { withCellRenderers } from '../common/cellRenderers';
import { formatCount, formatDateTime, words } from '../common/format';
import { rootRouteRef } from '../../routes';

const useStyles = makeStyles(theme => ({
  trend: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  new: { color: theme.palette.warning.main },
  rising: { color: theme.palette.error.main },
  steady: { color: theme.palette.text.secondary },
  falling: { color: theme.palette.status?.ok ?? theme.palette.success.main },
  signature: {
    fontFamily: 'monospace',
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
  example: {
    display: 'block',
    marginTop: theme.spacing(0.5),
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
  count: { display: 'block' },
  where: {
    wordBreak: 'normal',
    width: 'max-content',
    maxWidth: '13rem',
    [theme.breakpoints.down('md')]: {
      maxWidth: '10rem',
    },
  },
  empty: { padding: theme.spacing(2) },
  seenJobs: { marginTop: theme.spacing(0.5) },
  jobs: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1),
  },
  // A job id is read whole: it wraps between ids, never inside one.
  jobId: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
  seen: { display: 'block', whiteSpace: 'nowrap' },
}));

/**
 * Backstage's cells break words anywhere, which splits short values and
 * ids mid-word in a narrow column: short cells keep to one line and are
 * as narrow as their content, and the pattern takes the rest of the row.
 */
const SHORT = { whiteSpace: 'nowrap' } as const;
const NARROW = { width: '1%' } as const;

type PatternRow = FailurePattern & { id: string };

const TREND_ICONS = {
  new: FiberNew,
  rising: TrendingUp,
  steady: TrendingFlat,
  falling: TrendingDown,
};

/** The trend's mark and word, and the count of the period before. */
function TrendMark(props: { pattern: FailurePattern }) {
  const { trend, previousCount } = props.pattern;
  const classes = useStyles();
  const Icon = TREND_ICONS[trend];
  return (
    <span className={classes.trend}>
      <Icon fontSize="small" className={classes[trend]} aria-hidden />
      <span>
        {trend}
        <Typography
          variant="caption"
          color="textSecondary"
          component="span"
          display="block"
        >
          (before: {formatCount(previousCount)})
        </Typography>
      </span>
    </span>
  );
}

/** The failure types of a pattern, and the targets it failed on. */
function Where(props: { pattern: FailurePattern }) {
  const { failureTypes, targets } = props.pattern;
  return (
    <>
      {failureTypes.map(words).join(', ')}
      {targets.length > 0 && (
        <Typography variant="caption" color="textSecondary" display="block">
          on <span>{targets.join(', ')}</span>
        </Typography>
      )}
    </>
  );
}

function JobLinks(props: { pattern: FailurePattern }) {
  const { jobCount, jobIds } = props.pattern;
  const classes = useStyles();
  const root = useRouteRef(rootRouteRef)();
  const more = jobCount - jobIds.length;
  return (
    <div className={classes.seenJobs}>
      <Typography variant="body2">
        {formatCount(jobCount)} {jobCount === 1 ? 'job' : 'jobs'}
      </Typography>
      <div className={classes.jobs}>
        {jobIds.map(id => (
          <Link
            key={id}
            to={`${root}/jobs/${id}`}
            title={`Job ${id}`}
            className={classes.jobId}
          >
            {id.slice(0, 8)}
          </Link>
        ))}
        {more > 0 && (
          <Typography variant="caption" color="textSecondary">
            and {formatCount(more)} more
          </Typography>
        )}
      </div>
    </div>
  );
}

/**
 * The period's failure patterns: failures whose messages differ only in
 * ids, numbers, hosts and values, with how often and where they happened.
 */
export function PatternsTable(props: { patterns: FailurePattern[] }) {
  const classes = useStyles();
  // The table adds its own bookkeeping to each row object, and keeps a
  // row's state by its id: a pattern is known by its signature.
  const data = useMemo(
    () => props.patterns.map(p => ({ ...p, id: p.signature })),
    [props.patterns],
  );
  // The table resets itself whenever its columns change, so they are
  // made once rather than on every render.
  const table = useMemo(
    () =>
      withCellRenderers<PatternRow>([
        {
          title: 'Pattern',
          field: 'signature',
          render: p => (
            <>
              <span className={classes.signature}>{p.signature}</span>
              <Typography
                variant="caption"
                color="textSecondary"
                className={classes.example}
              >
                {p.example}
              </Typography>
            </>
          ),
        },
        {
          title: 'Failures',
          field: 'count',
          cellStyle: SHORT,
          headerStyle: SHORT,
          ...NARROW,
          render: p => (
            <>
              <span className={classes.count}>{formatCount(p.count)}</span>
              <TrendMark pattern={p} />
            </>
          ),
        },
        {
          title: 'Where',
          field: 'failureTypes',
          ...NARROW,
          render: p => (
            <div className={classes.where}>
              <Where pattern={p} />
              <JobLinks pattern={p} />
            </div>
          ),
        },
        {
          title: 'First and last seen',
          field: 'lastSeen',
          cellStyle: SHORT,
          ...NARROW,
          render: p => (
            <>
              <span className={classes.seen}>
                {formatDateTime(p.firstSeen)}
              </span>
              <span className={classes.seen}>{formatDateTime(p.lastSeen)}</span>
            </>
          ),
        },
        // Shown under the pattern; a column of its own so that the
        // search finds a pattern by its example too.
        {
          title: 'Example message',
          field: 'example',
          hidden: true,
          searchable: true,
        },
      ]),
    [classes],
  );
  return (
    <Table<PatternRow>
      title="Failure patterns"
      subtitle="Failures whose messages differ only in ids, numbers, hosts and values; the trend compares with the period of the same length before"
      columns={table.columns}
      components={table.components}
      data={data}
      options={{
        paging: data.length > 10,
        pageSize: 10,
        search: true,
        padding: 'dense',
      }}
      emptyContent={
        <Typography variant="body2" className={classes.empty}>
          No failures in this period, so there are no patterns.
        </Typography>
      }
    />
  );
}
