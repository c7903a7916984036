/** Datasets and export records as the backend describes them, for tests. */
import type { ExportDatasetInfo, ExportRecord } from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { API } from '../../testing/render';

type Column = ExportDatasetInfo['columns'][number];

/** Columns that can be filtered and sorted by, but those `except`. */
function columnsOf(
  columns: Pick<Column, 'name' | 'type' | 'label'>[],
  except: string[] = [],
): Column[] {
  return columns.map(column => {
    const searchable = !except.includes(column.name);
    return { ...column, filterable: searchable, sortable: searchable };
  });
}

export const DATASETS: ExportDatasetInfo[] = [
  {
    name: 'jobs',
    title: 'Jobs',
    columns: columnsOf(
      [
        { name: 'id', type: 'id', label: 'Job' },
        { name: 'status', type: 'text', label: 'Status' },
        { name: 'attempts', type: 'integer', label: 'Attempts' },
        { name: 'acceptedShare', type: 'number', label: 'Accepted share' },
        { name: 'failureMessage', type: 'text', label: 'Failure' },
        { name: 'createdAt', type: 'datetime', label: 'Created' },
      ],
      ['failureMessage'],
    ),
    defaultColumns: ['id', 'status', 'createdAt'],
    defaultSort: [{ column: 'createdAt', direction: 'desc' }],
  },
  {
    name: 'analytics',
    title: 'Analytics',
    columns: columnsOf([
      { name: 'section', type: 'text', label: 'Section' },
      { name: 'count', type: 'integer', label: 'Count' },
      { name: 'date', type: 'date', label: 'Date' },
      { name: 'alerting', type: 'boolean', label: 'Alerting' },
    ]),
    defaultColumns: ['section', 'count'],
    defaultSort: [],
  },
];

export const SHA =
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export function exportRecord(patch: Partial<ExportRecord> = {}): ExportRecord {
  return {
    id: 'exp-1',
    dataset: 'jobs',
    format: 'csv',
    status: 'succeeded',
    progress: 1234,
    rowsTotal: 1234,
    rowCount: 1234,
    size: 2048,
    sha256: SHA,
    fileName: 'jobs-20261204-101500.csv',
    request: { dataset: 'jobs', format: 'csv' },
    error: null,
    attempts: 1,
    createdBy: 'user:default/ana',
    createdAt: '2026-12-04T10:15:00.000Z',
    startedAt: '2026-12-04T10:15:00.100Z',
    finishedAt: '2026-12-04T10:15:02.000Z',
    expiresAt: '2099-01-03T10:15:02.000Z',
    downloadUrl: '/api/recovery/exports/exp-1/content',
    ...patch,
  };
}

/** Serves the datasets, and a list of exports that may change per request. */
export function serveExports(
  server: SetupServer,
  list: (url: URL) => ExportRecord[] | Response,
) {
  server.use(
    http.get(`${API}/exports/datasets`, () =>
      HttpResponse.json({ items: DATASETS }),
    ),
    http.get(`${API}/exports`, ({ request }) => {
      const answer = list(new URL(request.url));
      return answer instanceof Response
        ? answer
        : HttpResponse.json({ items: answer, nextCursor: null });
    }),
  );
}
