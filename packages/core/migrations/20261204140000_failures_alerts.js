// @ts-check
/**
 * Every failure of every run, with its normalised signature, for the
 * failure patterns of the analytics; and the alerts with their episodes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('failures', table => {
    table.bigIncrements('id').primary();
    table
      .string('job_id', 36)
      .notNullable()
      .references('id')
      .inTable('jobs')
      .onDelete('CASCADE');
    table.string('job_type', 32).notNullable();
    table.string('target', 128).notNullable();
    table.string('type', 40).notNullable();
    table.text('message').notNullable();
    table.text('signature').notNullable();
    table.integer('http_status');
    table.string('code', 64);
    table.text('column');
    table.string('at', 24).notNullable();
    table.index(['at'], 'failures_at_idx');
    table.index(['job_id', 'at'], 'failures_job_idx');
  });

  await knex.schema.createTable('alerts', table => {
    table.string('id', 36).primary();
    /** What is watched, e.g. recovery_failure_rate, with its scope key. */
    table.string('kind', 64).notNullable();
    table.string('scope', 200).notNullable().defaultTo('');
    table.string('status', 16).notNullable();
    table.text('message').notNullable();
    table.double('value');
    table.double('threshold');
    table.string('opened_at', 24).notNullable();
    table.string('updated_at', 24).notNullable();
    table.string('resolved_at', 24);
    table.index(['kind', 'scope', 'status'], 'alerts_open_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('alerts');
  await knex.schema.dropTable('failures');
};
