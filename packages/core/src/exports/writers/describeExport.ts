import type { ExportPlan } from '../ExportPlan';
import { isoInZone } from '../values';
import type { ExportSummary } from './FormatWriter';

/** The facts about an export that its Metadata sheet and PDF header show. */
export function describeExport(
  plan: ExportPlan,
  summary: ExportSummary,
): [string, string][] {
  const request = plan.request;
  return [
    ['Dataset', `${plan.dataset.name} (${plan.dataset.title})`],
    ['Format', plan.format],
    ['Filters', request.filters ? JSON.stringify(request.filters) : 'none'],
    ['Columns', plan.columns.map(c => c.column.name).join(', ')],
    [
      'Sort',
      plan.sort.map(s => `${s.column.name} ${s.direction}`).join(', ') ||
        'none',
    ],
    ['Time zone', plan.timezone],
    ['Rows', String(summary.rowCount)],
    ['Created at', isoInZone(summary.createdAt, plan.timezone)],
    ['Rows SHA-256', summary.rowsSha256],
    [
      'Formula neutralisation',
      plan.neutraliseFormulas
        ? 'on: text starting with = + - @, tab or CR has a leading apostrophe'
        : 'off (options.neutraliseFormulas: false)',
    ],
  ];
}
