import type { Knex } from 'knex';
import type { TableTargetConfig } from '../../targets/TargetRegistry';
import type { Batch, BatchCommit, Sink } from '../Sink';

/** Rows a statement inserts: 4 bound columns, under SQLite's limits. */
const INSERT_CHUNK = 200;

/**
 * Rows into a table of Rebound's own database, in the transaction that
 * moves the checkpoint: a batch is loaded exactly once or not at all.
 * The table holds (job_id, row_number, data as JSON text).
 */
export class TableSink implements Sink {
  constructor(
    private readonly knex: Knex,
    private readonly target: TableTargetConfig,
    private readonly jobId: string,
  ) {}

  async prepare(): Promise<void> {
    await ensureTargetTable(this.knex, this.target.table);
  }

  async load(batch: Batch, commit: BatchCommit): Promise<void> {
    const now = new Date().toISOString();
    const rows = batch.records.map(record => ({
      job_id: this.jobId,
      row_number: record.row,
      data: JSON.stringify(record.data),
      loaded_at: now,
    }));
    await commit.commit([], async trx => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx(this.target.table).insert(rows.slice(i, i + INSERT_CHUNK));
      }
    });
  }
}

/** Creates the table of a table target unless it is there. @public */
export async function ensureTargetTable(
  knex: Knex,
  table: string,
): Promise<void> {
  if (await knex.schema.hasTable(table)) {
    return;
  }
  try {
    await knex.schema.createTable(table, t => {
      t.string('job_id', 36).notNullable();
      t.bigInteger('row_number').notNullable();
      t.text('data').notNullable();
      t.string('loaded_at', 24).notNullable();
      t.primary(['job_id', 'row_number']);
    });
  } catch (error) {
    // Another worker created it between the check and the create.
    if (!(await knex.schema.hasTable(table))) {
      throw error;
    }
  }
}
