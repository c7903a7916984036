import path from 'node:path';
import type { Knex } from 'knex';

/** Where the permanent, dated migration files live. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

const config = {
  directory: MIGRATIONS_DIR,
  tableName: 'rebound_migrations',
  loadExtensions: ['.js'],
};

/** Brings the schema up to date; safe to call from several replicas. */
export async function migrateUp(knex: Knex): Promise<void> {
  await knex.migrate.latest(config);
}

/** Rolls every migration back (used by the migration tests). */
export async function migrateDown(knex: Knex): Promise<void> {
  await knex.migrate.rollback(config, true);
}

/** Runs one migration by file name, up or down (for the migration tests). */
export async function migrateOne(
  knex: Knex,
  name: string,
  direction: 'up' | 'down',
): Promise<void> {
  await knex.migrate[direction]({ ...config, name });
}
