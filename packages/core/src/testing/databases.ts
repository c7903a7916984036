import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';

/** The databases every store test runs on. */
export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

/** PostgreSQL of the machine; CI starts it on 127.0.0.1:5432. */
export const POSTGRES_URL =
  process.env.REBOUND_TEST_POSTGRES ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  kind: DatabaseKind;
  knex: Knex;
  /** The connection settings, for a second process on the same data. */
  connection: Knex.Config['connection'];
  close(): Promise<void>;
}

/**
 * A fresh, empty database: SQLite in memory, or a PostgreSQL database
 * of its own that is dropped on close, so each test owns its data.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { sqliteFile?: string } = {},
): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const connection = { filename: options.sqliteFile ?? ':memory:' };
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection,
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
    return { kind, knex, connection, close: () => knex.destroy() };
  }

  const name = `rebound_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({
    client: 'pg',
    connection: POSTGRES_URL,
    pool: { min: 0, max: 1 },
  });
  await admin.raw(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const connection = url.toString();
  const knex = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 10 },
  });
  return {
    kind,
    knex,
    connection,
    async close() {
      await knex.destroy();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}
