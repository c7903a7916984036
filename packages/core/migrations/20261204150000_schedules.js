// @ts-check
/**
 * Schedules of exports, their runs and every delivery attempt of a run.
 * A run is unique per (schedule, scheduled instant): the index is what
 * keeps several replicas from running one slot twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('schedules', table => {
    table.string('id', 36).primary();
    table.text('name').notNullable();
    table.text('owner').notNullable();
    table.string('cron', 200).notNullable();
    table.string('timezone', 64).notNullable();
    // The POST /exports body, JSON.
    table.text('export_request').notNullable();
    // JSON, secrets included: only the store reads them back.
    table.text('deliveries').notNullable();
    table.boolean('enabled').notNullable().defaultTo(true);
    table.string('missed_run_policy', 16).notNullable();
    // The newest slot that was run or recorded as missed.
    table.string('last_run_at', 24);
    table.string('next_run_at', 24);
    table.integer('version').notNullable().defaultTo(0);
    table.string('created_at', 24).notNullable();
    table.string('updated_at', 24).notNullable();
    table.index(['enabled', 'next_run_at'], 'schedules_due_idx');
    table.index(['created_at', 'id'], 'schedules_created_idx');
  });

  await knex.schema.createTable('schedule_runs', table => {
    table.string('id', 36).primary();
    table
      .string('schedule_id', 36)
      .notNullable()
      .references('id')
      .inTable('schedules')
      .onDelete('CASCADE');
    table.string('scheduled_for', 24).notNullable();
    table.string('trigger', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('export_id', 36);
    table.text('error');
    table.string('error_code', 64);
    // Who runs it and when it last said so: a silent run is taken over.
    table.string('lease_owner', 128);
    table.string('heartbeat_at', 24);
    table.integer('claims').notNullable().defaultTo(0);
    table.string('created_at', 24).notNullable();
    table.string('started_at', 24);
    table.string('finished_at', 24);
    table.unique(['schedule_id', 'scheduled_for'], {
      indexName: 'schedule_runs_slot_uq',
    });
    table.index(['status', 'heartbeat_at'], 'schedule_runs_status_idx');
  });

  await knex.schema.createTable('delivery_attempts', table => {
    table.string('id', 36).primary();
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('schedule_runs')
      .onDelete('CASCADE');
    table.integer('delivery').notNullable();
    table.string('type', 32).notNullable();
    table.text('recipient').notNullable();
    table.integer('attempt').notNullable();
    table.string('status', 16).notNullable();
    table.boolean('retryable');
    table.text('error');
    table.string('error_code', 64);
    table.text('detail');
    table.string('started_at', 24).notNullable();
    table.string('finished_at', 24).notNullable();
    table.index(['run_id', 'started_at'], 'delivery_attempts_run_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_attempts');
  await knex.schema.dropTable('schedule_runs');
  await knex.schema.dropTable('schedules');
};
