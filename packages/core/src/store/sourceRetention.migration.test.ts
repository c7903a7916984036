import { migrateDown, migrateOne, migrateUp } from './migrate';
import { createTestDatabase, DATABASE_KINDS } from '../testing/databases';

const MIGRATION = '20261204201800_source_retention.js';

describe.each(DATABASE_KINDS)('source retention migration on %s', kind => {
  it('adds removed_at to source files, and takes it away again keeping the rows', async () => {
    const db = await createTestDatabase(kind);
    try {
      await migrateUp(db.knex);
      expect(await db.knex.schema.hasColumn('source_files', 'removed_at')).toBe(
        true,
      );
      const at = '2026-03-01T08:00:00.000Z';
      await db.knex('source_files').insert({
        id: 'f1',
        name: 'data.csv',
        size: 8,
        sha256: 'ab'.repeat(32),
        storage_key: 'sources/f1',
        created_at: at,
        removed_at: at,
      });
      await db.knex('jobs').insert({
        id: 'j1',
        type: 'csv_import',
        status: 'succeeded',
        target: 'local',
        priority: 'normal',
        priority_rank: 2,
        file_id: 'f1',
        options: '{}',
        settings: '{}',
        created_at: at,
        updated_at: at,
        finished_at: at,
      });

      await migrateOne(db.knex, MIGRATION, 'down');
      expect(await db.knex.schema.hasColumn('source_files', 'removed_at')).toBe(
        false,
      );
      expect(await db.knex('source_files').select('id')).toEqual([
        { id: 'f1' },
      ]);
      expect(await db.knex('jobs').select('id', 'file_id')).toEqual([
        { id: 'j1', file_id: 'f1' },
      ]);

      await migrateOne(db.knex, MIGRATION, 'up');
      expect(await db.knex('source_files').select('id', 'removed_at')).toEqual([
        { id: 'f1', removed_at: null },
      ]);

      await migrateDown(db.knex);
      expect(await db.knex.schema.hasTable('source_files')).toBe(false);
    } finally {
      await db.close();
    }
  });
});
