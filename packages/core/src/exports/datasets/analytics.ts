import type { Knex } from 'knex';
import { AlertService } from '../../analytics/AlertService';
import { AnalyticsService } from '../../analytics/AnalyticsService';
import type {
  AnalyticsReport,
  Recommendation,
  SuccessRate,
} from '../../client/analytics';
import { inputError } from '../../errors';
import { silentLogger } from '../../logger';
import type {
  CellValue,
  Dataset,
  DatasetColumn,
  DatasetFilter,
  DatasetQuery,
  DatasetSort,
} from '../Dataset';
import { toCellValue } from '../values';
import { createAnalyticsPdfWriter } from '../writers/analyticsPdf';

/** One measure of the analytics report, as a row of the dataset. */
export interface AnalyticsRow {
  section: AnalyticsSection;
  key: string;
  metric: string;
  value: number | null;
  count: number | null;
  rate: number | null;
  date: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  title: string | null;
  detail: string | null;
  from: string;
  to: string;
}

/** The parts of the report, in the order the rows come. @public */
export const ANALYTICS_SECTIONS = [
  'summary',
  'success_rate_by_failure_type',
  'success_rate_by_job_type',
  'success_rate_by_target',
  'time_to_recover',
  'attempts_per_recovered_job',
  'quarantine',
  'manual_intervention',
  'pattern',
  'failures_by_hour',
  'failures_by_target',
  'over_time',
  'recommendation',
  'alert',
] as const;

/** @public */
export type AnalyticsSection = (typeof ANALYTICS_SECTIONS)[number];

type Measure = Omit<AnalyticsRow, 'from' | 'to'>;

const BLANK = {
  value: null,
  count: null,
  rate: null,
  date: null,
  firstSeen: null,
  lastSeen: null,
  title: null,
  detail: null,
};

const measure = (
  section: AnalyticsSection,
  key: string,
  metric: string,
  fields: Partial<Omit<Measure, 'section' | 'key' | 'metric'>>,
): Measure => ({ section, key, metric, ...BLANK, ...fields });

/**
 * A source marks a column filterable and sortable; this dataset filters
 * and sorts the report's rows in memory, as they are few.
 */
const column = (
  name: keyof AnalyticsRow,
  type: DatasetColumn['type'],
  label: string,
): DatasetColumn => ({ name, type, label, source: `analytics.${name}` });

const COLUMNS: DatasetColumn[] = [
  column('section', 'text', 'Section'),
  column('key', 'text', 'Key'),
  column('metric', 'text', 'Metric'),
  column('value', 'number', 'Value'),
  column('count', 'integer', 'Count'),
  column('rate', 'number', 'Rate'),
  column('date', 'date', 'Date'),
  column('firstSeen', 'datetime', 'First seen'),
  column('lastSeen', 'datetime', 'Last seen'),
  column('title', 'text', 'Title'),
  column('detail', 'text', 'Detail'),
  column('from', 'datetime', 'Period from'),
  column('to', 'datetime', 'Period to'),
];

/**
 * The analytics report as rows: one measure a row, keyed by section and
 * key, so that one sheet holds every part of the report. The period is
 * asked for with filters on `from` (gte, gt) and `to` (lt, lte); other
 * filters and the sort apply to the rows of the report.
 *
 * @public
 */
export class AnalyticsDataset implements Dataset {
  readonly name = 'analytics';
  readonly title = 'Recovery analytics';
  readonly columns: readonly DatasetColumn[] = COLUMNS;
  readonly defaultColumns = COLUMNS.map(c => c.name);
  readonly defaultSort = [];
  readonly writers = { pdf: createAnalyticsPdfWriter };

  async count(knex: Knex, query: DatasetQuery): Promise<number> {
    return (await this.rows(knex, query)).length;
  }

  async *read(knex: Knex, query: DatasetQuery): AsyncIterable<CellValue[][]> {
    const rows = await this.rows(knex, query);
    yield rows.map(row =>
      query.columns.map(c =>
        toCellValue(c.type, row[c.name as keyof AnalyticsRow]),
      ),
    );
  }

  private async rows(knex: Knex, query: DatasetQuery): Promise<AnalyticsRow[]> {
    const range = periodOf(query.filters);
    const service = new AnalyticsService(
      knex,
      new AlertService(knex, [], silentLogger),
    );
    const report = await service.report(range);
    const rows = analyticsRows(report).filter(row =>
      query.filters
        .filter(f => !PERIOD_COLUMNS.includes(f.column.name))
        .every(f => matches(row, f)),
    );
    return sortRows(rows, query.sort);
  }
}

/** @public */
export const analyticsDataset = new AnalyticsDataset();

const PERIOD_COLUMNS = ['from', 'to'];

/**
 * The report's period from the filters on `from` and `to`; without them,
 * the seven days before now, as GET /analytics reads it.
 */
function periodOf(filters: DatasetFilter[]): { from: string; to: string } {
  let from: number | undefined;
  let to: number | undefined;
  for (const filter of filters) {
    if (!PERIOD_COLUMNS.includes(filter.column.name)) {
      continue;
    }
    const at = Date.parse(String(filter.value));
    const start = filter.column.name === 'from';
    if (typeof filter.value !== 'string' || Number.isNaN(at)) {
      throw periodError(filter);
    }
    if (start && ['gte', 'gt', 'eq'].includes(filter.op)) {
      from = Math.max(from ?? -Infinity, filter.op === 'gt' ? at + 1 : at);
    } else if (!start && ['lt', 'lte', 'eq'].includes(filter.op)) {
      to = Math.min(to ?? Infinity, at);
    } else {
      throw periodError(filter);
    }
  }
  return AnalyticsService.parseRange(
    from === undefined ? undefined : new Date(from).toISOString(),
    to === undefined ? undefined : new Date(to).toISOString(),
  );
}

function periodError(filter: DatasetFilter) {
  return inputError(
    'invalid_filters',
    `filters.${filter.column.name}.${filter.op}: the analytics period ` +
      'starts at filters.from (gte or gt) and ends at filters.to (lt or ' +
      'lte), e.g. { "from": { "gte": "2026-11-01" }, "to": { "lt": ' +
      '"2026-12-01" } }.',
  );
}

/** Every measure of the report as a row, in the order of the report. */
export function analyticsRows(report: AnalyticsReport): AnalyticsRow[] {
  const { summary } = report;
  const measures: Measure[] = [
    measure('summary', 'all', 'failures', { value: summary.failures }),
    measure('summary', 'all', 'successes', {
      value: summary.successes,
      count: summary.attempts,
      rate: summary.rate,
    }),
    measure('summary', 'all', 'recoverable_successes', {
      value: summary.recoverableSuccesses,
      count: summary.recoverableAttempts,
      rate: summary.recoverableRate,
    }),
    ...rateRows(
      'success_rate_by_failure_type',
      report.successRateByFailureType,
    ),
    ...rateRows('success_rate_by_job_type', report.successRateByJobType),
    ...rateRows('success_rate_by_target', report.successRateByTarget),
    ...(['medianMs', 'p90Ms'] as const).map(field =>
      measure('time_to_recover', 'all', snake(field), {
        value: report.timeToRecover[field],
        count: report.timeToRecover.count,
      }),
    ),
    ...(['mean', 'median', 'max'] as const).map(field =>
      measure('attempts_per_recovered_job', 'all', field, {
        value: report.attemptsPerRecoveredJob[field],
        count: report.attemptsPerRecoveredJob.count,
      }),
    ),
    measure('quarantine', 'all', 'rows_quarantined', {
      value: report.quarantine.rowsQuarantined,
      count: report.quarantine.rowsDone,
      rate: report.quarantine.share,
    }),
    ...(['waiting', 'oldestWaitingMs', 'medianWaitingMs'] as const).map(field =>
      measure('manual_intervention', 'all', snake(field), {
        value: report.manualIntervention[field],
        count: report.manualIntervention.waiting,
      }),
    ),
    ...report.patterns.map(p =>
      measure('pattern', p.signature, 'failures', {
        value: p.count,
        count: p.jobCount,
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
        title: p.example,
        detail:
          `trend ${p.trend} (${p.previousCount} in the period before); ` +
          `types: ${p.failureTypes.join(', ')}; targets: ${p.targets.join(
            ', ',
          )}; jobs: ${p.jobIds.join(', ')}`,
      }),
    ),
    ...report.failuresByHour.map(h =>
      measure(
        'failures_by_hour',
        `${String(h.hour).padStart(2, '0')}:00`,
        'failures',
        {
          value: h.failures,
        },
      ),
    ),
    ...report.failuresByTarget.map(t =>
      measure('failures_by_target', t.target, 'failures', {
        value: t.failures,
        detail: Object.entries(t.types)
          .map(([type, n]) => `${type}: ${n}`)
          .join(', '),
      }),
    ),
    ...report.overTime.flatMap(day =>
      (['failures', 'recoveries', 'successes'] as const).map(field =>
        measure('over_time', day.date, field, {
          value: day[field],
          date: day.date,
        }),
      ),
    ),
    ...report.recommendations.flatMap(recommendationRows),
    ...report.alerts.map(a =>
      measure('alert', a.id, a.kind, {
        value: a.value,
        firstSeen: a.openedAt,
        lastSeen: a.resolvedAt ?? a.updatedAt,
        title: a.message,
        detail: `${a.status}; scope ${a.scope}; threshold ${
          a.threshold ?? 'none'
        }`,
      }),
    ),
  ];
  return measures.map(m => ({ ...m, from: report.from, to: report.to }));
}

function rateRows(section: AnalyticsSection, rates: SuccessRate[]): Measure[] {
  return rates.map(r =>
    measure(section, r.key, 'successes', {
      value: r.successes,
      count: r.attempts,
      rate: r.rate,
    }),
  );
}

/**
 * A recommendation spans rows of one key: the advice (metric: its rule),
 * the setting with the suggested value, and one row per piece of evidence.
 */
function recommendationRows(r: Recommendation): Measure[] {
  const suggested = r.suggestedValue;
  return [
    measure('recommendation', r.id, r.rule, {
      title: r.title,
      detail: r.message,
    }),
    measure('recommendation', r.id, 'setting', {
      title: r.setting,
      ...(typeof suggested === 'number'
        ? { value: suggested }
        : suggested !== undefined
        ? { detail: [suggested].flat().join(', ') }
        : {}),
    }),
    ...Object.entries(r.evidence).map(([field, value]) =>
      measure(
        'recommendation',
        r.id,
        `evidence.${field}`,
        typeof value === 'number'
          ? { value }
          : { detail: [value].flat().join(', ') },
      ),
    ),
  ];
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, m => `_${m.toLowerCase()}`);
}

/** The same comparisons SqlDataset pushes into SQL: NULL matches none. */
function matches(row: AnalyticsRow, filter: DatasetFilter): boolean {
  const actual = row[filter.column.name as keyof AnalyticsRow];
  const wanted = filter.value;
  switch (filter.op) {
    case 'eq':
      return wanted === null ? actual === null : same(actual, wanted);
    case 'in':
      return (wanted as unknown[]).some(w =>
        w === null ? actual === null : same(actual, w),
      );
    case 'contains':
      return actual !== null && String(actual).includes(String(wanted));
    default: {
      if (actual === null || wanted === null) {
        return false;
      }
      const order = compare(filter.column, actual, wanted);
      return {
        gt: order > 0,
        gte: order >= 0,
        lt: order < 0,
        lte: order <= 0,
      }[filter.op];
    }
  }
}

function same(actual: unknown, wanted: unknown): boolean {
  return actual !== null && String(actual) === String(wanted);
}

function compare(column: DatasetColumn, a: unknown, b: unknown): number {
  if (column.type === 'datetime') {
    return Date.parse(String(a)) - Date.parse(String(b));
  }
  if (column.type === 'integer' || column.type === 'number') {
    return Number(a) - Number(b);
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A stable sort, NULLs last going up and first going down, as in SQL. */
function sortRows(rows: AnalyticsRow[], sort: DatasetSort[]): AnalyticsRow[] {
  if (sort.length === 0) {
    return rows;
  }
  return [...rows].sort((a, b) => {
    for (const { column: c, direction } of sort) {
      const x = a[c.name as keyof AnalyticsRow];
      const y = b[c.name as keyof AnalyticsRow];
      const order =
        x === null && y === null
          ? 0
          : x === null
          ? 1
          : y === null
          ? -1
          : compare(c, x, y);
      if (order !== 0) {
        return direction === 'asc' ? order : -order;
      }
    }
    return 0;
  });
}
