import { sqlColumn } from './column';
import { SqlDataset } from '../SqlDataset';

/** Row errors of every job: the error report. @public */
export const errorsDataset = new SqlDataset({
  name: 'errors',
  title: 'Row errors',
  from: knex => knex('row_errors'),
  key: sqlColumn('id', 'id', 'Error', 'row_errors.id'),
  columns: [
    sqlColumn('id', 'id', 'Error', 'row_errors.id'),
    sqlColumn('jobId', 'id', 'Job', 'row_errors.job_id'),
    sqlColumn('row', 'integer', 'Row', 'row_errors.row'),
    sqlColumn('column', 'text', 'Column', 'row_errors.column', {
      nullable: true,
    }),
    sqlColumn('code', 'text', 'Code', 'row_errors.code'),
    sqlColumn('message', 'text', 'Message', 'row_errors.message'),
    sqlColumn('value', 'text', 'Value', 'row_errors.value', { nullable: true }),
    sqlColumn('kind', 'text', 'Kind', 'row_errors.kind'),
    sqlColumn('raw', 'text', 'Record', 'row_errors.raw', { nullable: true }),
    sqlColumn('createdAt', 'datetime', 'Recorded', 'row_errors.created_at'),
  ],
  defaultColumns: [
    'jobId',
    'row',
    'column',
    'code',
    'message',
    'value',
    'kind',
  ],
  defaultSort: [
    { column: 'jobId', direction: 'asc' },
    { column: 'row', direction: 'asc' },
  ],
});
