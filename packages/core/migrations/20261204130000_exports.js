// @ts-check
/**
 * Exports of datasets to files. Timestamps are ISO 8601 UTC strings of
 * fixed width, like the rest of the schema, so that comparisons and sorts
 * agree on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('exports', table => {
    table.string('id', 36).primary();
    table.string('dataset', 64).notNullable();
    table.string('format', 16).notNullable();
    table.string('status', 16).notNullable();
    // The request as given, JSON: replayed as is by a retry.
    table.text('request').notNullable();
    table.text('file_name').notNullable();
    table.text('storage_key');
    // Rows written so far, and the rows the export expects to write.
    table.bigInteger('progress').notNullable().defaultTo(0);
    table.bigInteger('rows_total');
    table.bigInteger('row_count');
    table.bigInteger('size');
    table.string('sha256', 64);
    table.text('error');
    table.string('error_code', 64);
    table.integer('attempts').notNullable().defaultTo(0);
    table.integer('version').notNullable().defaultTo(0);
    // Who runs it now and when it last said so: a run whose heartbeat
    // stopped (a crashed process) is failed by the maintenance task.
    table.string('run_owner', 128);
    table.string('heartbeat_at', 24);
    table.text('created_by');
    table.string('created_at', 24).notNullable();
    table.string('updated_at', 24).notNullable();
    table.string('started_at', 24);
    table.string('finished_at', 24);
    table.string('expires_at', 24).notNullable();
    table.index(['created_at', 'id'], 'exports_created_idx');
    table.index(['status', 'expires_at'], 'exports_expiry_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('exports');
};
