// @ts-check
/**
 * Jobs, their source files, checkpoints, row errors and the recovery
 * history. Timestamps are ISO 8601 UTC strings of fixed width, so they
 * compare and sort the same way on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('source_files', table => {
    table.string('id', 36).primary();
    table.text('name').notNullable();
    table.bigInteger('size').notNullable();
    table.string('sha256', 64).notNullable();
    table.text('storage_key').notNullable();
    table.string('created_at', 24).notNullable();
  });

  await knex.schema.createTable('jobs', table => {
    table.string('id', 36).primary();
    table.string('type', 32).notNullable();
    table.string('status', 40).notNullable();
    table.string('target', 128).notNullable();
    table.string('priority', 16).notNullable();
    table.integer('priority_rank').notNullable();
    table
      .string('file_id', 36)
      .notNullable()
      .references('id')
      .inTable('source_files');
    table.text('columns');
    table.text('options').notNullable();
    table.text('settings').notNullable();
    table.integer('version').notNullable().defaultTo(0);
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('lease_owner', 128);
    table.string('lease_expires_at', 24);
    table.string('not_before', 24);
    table.string('created_at', 24).notNullable();
    table.string('updated_at', 24).notNullable();
    table.string('started_at', 24);
    table.string('finished_at', 24);
    table.string('run_started_at', 24);
    table.bigInteger('run_rows_start').notNullable().defaultTo(0);
    table.bigInteger('run_bytes_start').notNullable().defaultTo(0);
    table.bigInteger('rows_total');
    table.bigInteger('rows_done').notNullable().defaultTo(0);
    table.bigInteger('rows_accepted').notNullable().defaultTo(0);
    table.bigInteger('rows_rejected').notNullable().defaultTo(0);
    table.bigInteger('rows_quarantined').notNullable().defaultTo(0);
    table.bigInteger('bytes_done').notNullable().defaultTo(0);
    table.string('failure_type', 40);
    table.text('failure');
    table.string('current_attempt_id', 36);
    table.text('created_by');
    table.index(['status', 'priority_rank', 'created_at'], 'jobs_claim_idx');
    table.index(['created_at', 'id'], 'jobs_created_idx');
    table.index(['target', 'status'], 'jobs_target_idx');
  });

  await knex.schema.createTable('checkpoints', table => {
    table
      .string('job_id', 36)
      .primary()
      .references('id')
      .inTable('jobs')
      .onDelete('CASCADE');
    table.string('step', 16).notNullable();
    table.bigInteger('rows_done').notNullable();
    table.bigInteger('byte_offset').notNullable();
    table.integer('batch_seq').notNullable();
    table.bigInteger('rows_accepted').notNullable();
    table.bigInteger('rows_rejected').notNullable();
    table.bigInteger('rows_quarantined').notNullable();
    table.text('in_doubt');
    table.string('updated_at', 24).notNullable();
  });

  await knex.schema.createTable('row_errors', table => {
    table.bigIncrements('id').primary();
    table
      .string('job_id', 36)
      .notNullable()
      .references('id')
      .inTable('jobs')
      .onDelete('CASCADE');
    table.bigInteger('row').notNullable();
    table.text('column');
    table.string('code', 64).notNullable();
    table.text('message').notNullable();
    table.text('value');
    table.text('raw');
    table.string('kind', 16).notNullable();
    table.string('created_at', 24).notNullable();
    table.index(['job_id', 'row'], 'row_errors_job_idx');
  });

  await knex.schema.createTable('recovery_attempts', table => {
    table.string('id', 36).primary();
    table
      .string('job_id', 36)
      .notNullable()
      .references('id')
      .inTable('jobs')
      .onDelete('CASCADE');
    table.integer('attempt').notNullable();
    table.string('trigger', 16).notNullable();
    table.string('target', 128).notNullable();
    table.string('failure_type', 40).notNullable();
    table.string('strategy', 40).notNullable();
    table.text('plan').notNullable();
    table.string('status', 16).notNullable();
    table.text('outcome');
    table.text('requested_by');
    table.string('created_at', 24).notNullable();
    table.string('started_at', 24);
    table.string('finished_at', 24);
    table.bigInteger('duration_ms');
    table.bigInteger('rows_processed');
    table.index(['job_id', 'created_at'], 'recovery_attempts_job_idx');
    table.index(['target', 'created_at'], 'recovery_attempts_target_idx');
    table.index(['created_at', 'id'], 'recovery_attempts_created_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('recovery_attempts');
  await knex.schema.dropTable('row_errors');
  await knex.schema.dropTable('checkpoints');
  await knex.schema.dropTable('jobs');
  await knex.schema.dropTable('source_files');
};
