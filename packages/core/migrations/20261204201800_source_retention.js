// @ts-check
/**
 * Source files are kept for a retention after their jobs ended; a removed
 * one keeps its row, with when it was removed, so its jobs can say so.
 * The indexes serve the retention's search: files not removed yet, and
 * the jobs of a file.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('source_files', table => {
    table.string('removed_at', 24);
    table.index(['removed_at', 'created_at'], 'source_files_removed_idx');
  });
  await knex.schema.alterTable('jobs', table => {
    table.index(['file_id'], 'jobs_file_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.dropIndex(['file_id'], 'jobs_file_idx');
  });
  await knex.schema.alterTable('source_files', table => {
    table.dropIndex(['removed_at', 'created_at'], 'source_files_removed_idx');
  });
  if (String(knex.client.config.client).includes('sqlite')) {
    // knex would copy the table to drop a column, which the foreign key
    // from jobs refuses; SQLite drops an unindexed column in place.
    await knex.raw('alter table source_files drop column removed_at');
  } else {
    await knex.schema.alterTable('source_files', table => {
      table.dropColumn('removed_at');
    });
  }
};
