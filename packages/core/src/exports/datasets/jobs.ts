import { jsonField, sqlColumn } from './column';
import { SqlDataset } from '../SqlDataset';

/** Jobs with their file, progress counters and failure. @public */
export const jobsDataset = new SqlDataset({
  name: 'jobs',
  title: 'Jobs',
  from: knex =>
    knex('jobs').leftJoin('source_files', 'source_files.id', 'jobs.file_id'),
  key: sqlColumn('id', 'id', 'Job', 'jobs.id'),
  columns: [
    sqlColumn('id', 'id', 'Job', 'jobs.id'),
    sqlColumn('type', 'text', 'Type', 'jobs.type'),
    sqlColumn('status', 'text', 'Status', 'jobs.status'),
    sqlColumn('target', 'text', 'Target', 'jobs.target'),
    sqlColumn('priority', 'text', 'Priority', 'jobs.priority'),
    sqlColumn('fileName', 'text', 'File', 'source_files.name', {
      nullable: true,
    }),
    sqlColumn('fileSha256', 'id', 'File SHA-256', 'source_files.sha256', {
      nullable: true,
    }),
    sqlColumn('fileSize', 'integer', 'File bytes', 'source_files.size', {
      nullable: true,
    }),
    sqlColumn('attempts', 'integer', 'Attempts', 'jobs.attempts'),
    sqlColumn('rowsTotal', 'integer', 'Rows in file', 'jobs.rows_total', {
      nullable: true,
    }),
    sqlColumn('rowsDone', 'integer', 'Rows done', 'jobs.rows_done'),
    sqlColumn('rowsAccepted', 'integer', 'Rows accepted', 'jobs.rows_accepted'),
    sqlColumn('rowsRejected', 'integer', 'Rows rejected', 'jobs.rows_rejected'),
    sqlColumn(
      'rowsQuarantined',
      'integer',
      'Rows quarantined',
      'jobs.rows_quarantined',
    ),
    {
      name: 'acceptedShare',
      type: 'number',
      label: 'Accepted share',
      nullable: true,
      source: knex =>
        knex.raw('case when ?? > 0 then ?? * 1.0 / ?? end', [
          'jobs.rows_done',
          'jobs.rows_accepted',
          'jobs.rows_done',
        ]),
    },
    sqlColumn('failureType', 'text', 'Failure type', 'jobs.failure_type', {
      nullable: true,
    }),
    {
      name: 'failureMessage',
      type: 'text',
      label: 'Failure',
      reads: { failure: 'jobs.failure' },
      compute: row => jsonField(row.failure, 'message'),
    },
    sqlColumn('createdBy', 'text', 'Created by', 'jobs.created_by', {
      nullable: true,
    }),
    sqlColumn('createdAt', 'datetime', 'Created', 'jobs.created_at'),
    sqlColumn('updatedAt', 'datetime', 'Updated', 'jobs.updated_at'),
    sqlColumn('startedAt', 'datetime', 'Started', 'jobs.started_at', {
      nullable: true,
    }),
    sqlColumn('finishedAt', 'datetime', 'Finished', 'jobs.finished_at', {
      nullable: true,
    }),
  ],
  defaultColumns: [
    'id',
    'type',
    'status',
    'target',
    'priority',
    'fileName',
    'rowsDone',
    'rowsAccepted',
    'rowsRejected',
    'rowsQuarantined',
    'failureType',
    'attempts',
    'createdAt',
    'finishedAt',
  ],
  defaultSort: [{ column: 'createdAt', direction: 'desc' }],
});
