import { migrateDown, migrateUp } from '../store/migrate';
import { createTestDatabase, DATABASE_KINDS } from '../testing/databases';

describe.each(DATABASE_KINDS)('schedules migration on %s', kind => {
  it('creates the tables, keeps one run per slot, and rolls back', async () => {
    const db = await createTestDatabase(kind);
    try {
      await migrateUp(db.knex);
      for (const table of ['schedules', 'schedule_runs', 'delivery_attempts']) {
        expect(await db.knex.schema.hasTable(table)).toBe(true);
      }
      const at = '2026-01-05T07:00:00.000Z';
      await db.knex('schedules').insert({
        id: 's1',
        name: 'n',
        owner: 'user:default/ana',
        cron: '0 8 * * 1',
        timezone: 'Europe/Berlin',
        export_request: '{}',
        deliveries: '[]',
        missed_run_policy: 'latest',
        created_at: at,
        updated_at: at,
      });
      const run = (id: string) => ({
        id,
        schedule_id: 's1',
        scheduled_for: at,
        trigger: 'schedule',
        status: 'running',
        created_at: at,
      });
      await db.knex('schedule_runs').insert(run('r1'));
      // The driver's error may come from another realm than the test's,
      // so its message is checked rather than its class.
      const second = await db
        .knex('schedule_runs')
        .insert(run('r2'))
        .then(
          () => 'inserted',
          (error: Error) => error.message,
        );
      expect(second).toMatch(/unique/i);

      await migrateDown(db.knex);
      expect(await db.knex.schema.hasTable('schedules')).toBe(false);
      await migrateUp(db.knex);
      expect(await db.knex.schema.hasTable('schedule_runs')).toBe(true);
    } finally {
      await db.close();
    }
  });
});
