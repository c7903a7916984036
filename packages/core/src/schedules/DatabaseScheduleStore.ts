import type { Knex } from 'knex';
import { isoNow } from '../time';
import type {
  Delivery,
  DeliveryAttempt,
  MissedRunPolicy,
  Schedule,
  ScheduleLastRun,
  ScheduleRun,
  ScheduleRunStatus,
} from './wire';
import type { ExportRequest } from '../exports/wire';

/** A schedule as stored: secrets of its deliveries included. */
export type StoredSchedule = Omit<Schedule, 'description' | 'lastRun'> & {
  version: number;
};

// Driver rows: the column types differ between SQLite and PostgreSQL.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

function toSchedule(row: Row): StoredSchedule {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    cron: row.cron,
    timezone: row.timezone,
    export: JSON.parse(row.export_request) as ExportRequest,
    deliveries: JSON.parse(row.deliveries) as Delivery[],
    enabled: !!row.enabled,
    missedRunPolicy: row.missed_run_policy as MissedRunPolicy,
    lastRunAt: row.last_run_at ?? null,
    nextRunAt: row.next_run_at ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toRun(row: Row): Omit<ScheduleRun, 'attempts'> {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    scheduledFor: row.scheduled_for,
    trigger: row.trigger,
    status: row.status,
    exportId: row.export_id ?? null,
    error: row.error
      ? { code: row.error_code ?? 'run_failed', message: row.error }
      : null,
    createdAt: row.created_at,
    startedAt: row.started_at ?? null,
    finishedAt: row.finished_at ?? null,
  };
}

function toLastRun(row: Row): ScheduleLastRun {
  const { id, status, scheduledFor, finishedAt, error } = toRun(row);
  return { id, status, scheduledFor, finishedAt, error };
}

function toAttempt(row: Row): DeliveryAttempt {
  return {
    id: row.id,
    runId: row.run_id,
    delivery: Number(row.delivery),
    type: row.type,
    recipient: row.recipient,
    attempt: Number(row.attempt),
    status: row.status,
    retryable:
      row.retryable === null || row.retryable === undefined
        ? null
        : !!row.retryable,
    error: row.error
      ? { code: row.error_code ?? 'delivery_failed', message: row.error }
      : null,
    detail: row.detail ? JSON.parse(row.detail) : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** A unique-index violation on SQLite or PostgreSQL. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * The schedules, schedule_runs and delivery_attempts tables. A run is
 * inserted once per (schedule, slot); a second insert of the slot loses,
 * which is what keeps replicas from running it twice.
 */
export class DatabaseScheduleStore {
  constructor(readonly knex: Knex) {}

  async insert(schedule: StoredSchedule): Promise<void> {
    await this.knex('schedules').insert({
      id: schedule.id,
      name: schedule.name,
      owner: schedule.owner,
      cron: schedule.cron,
      timezone: schedule.timezone,
      export_request: JSON.stringify(schedule.export),
      deliveries: JSON.stringify(schedule.deliveries),
      enabled: schedule.enabled,
      missed_run_policy: schedule.missedRunPolicy,
      last_run_at: schedule.lastRunAt,
      next_run_at: schedule.nextRunAt,
      version: 0,
      created_at: schedule.createdAt,
      updated_at: schedule.updatedAt,
    });
  }

  /** Compare-and-set on the version; false when another change won. */
  async update(schedule: StoredSchedule): Promise<boolean> {
    const changed = await this.knex('schedules')
      .where({ id: schedule.id, version: schedule.version })
      .update({
        name: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone,
        export_request: JSON.stringify(schedule.export),
        deliveries: JSON.stringify(schedule.deliveries),
        enabled: schedule.enabled,
        missed_run_policy: schedule.missedRunPolicy,
        last_run_at: schedule.lastRunAt,
        next_run_at: schedule.nextRunAt,
        version: schedule.version + 1,
        updated_at: isoNow(),
      });
    return changed === 1;
  }

  async get(id: string): Promise<StoredSchedule | undefined> {
    const row = await this.knex('schedules').where({ id }).first();
    return row ? toSchedule(row) : undefined;
  }

  async list(
    limit: number,
    after?: [string, string],
  ): Promise<StoredSchedule[]> {
    const query = this.knex('schedules')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    if (after) {
      query.where(q =>
        q
          .where('created_at', '<', after[0])
          .orWhere(w =>
            w.where('created_at', after[0]).andWhere('id', '<', after[1]),
          ),
      );
    }
    return (await query).map(toSchedule);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.knex('schedules').where({ id }).delete()) === 1;
  }

  async listDue(now: string): Promise<StoredSchedule[]> {
    const rows = await this.knex('schedules')
      .where('enabled', true)
      .andWhere('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(100);
    return rows.map(toSchedule);
  }

  /** Moves the schedule past the slots just handled, if no one else did. */
  async advance(
    id: string,
    fromNextRunAt: string,
    lastRunAt: string,
    nextRunAt: string | null,
  ): Promise<boolean> {
    const changed = await this.knex('schedules')
      .where({ id, next_run_at: fromNextRunAt })
      .update({ last_run_at: lastRunAt, next_run_at: nextRunAt });
    return changed === 1;
  }

  /** Inserts the run of a slot; undefined when the slot already has one. */
  async insertRun(run: {
    id: string;
    scheduleId: string;
    scheduledFor: string;
    trigger: 'schedule' | 'manual';
    status: ScheduleRunStatus;
    owner?: string;
  }): Promise<string | undefined> {
    const now = isoNow();
    try {
      await this.knex('schedule_runs').insert({
        id: run.id,
        schedule_id: run.scheduleId,
        scheduled_for: run.scheduledFor,
        trigger: run.trigger,
        status: run.status,
        lease_owner: run.owner ?? null,
        heartbeat_at: run.owner ? now : null,
        claims: run.owner ? 1 : 0,
        created_at: now,
        started_at: run.status === 'running' ? now : null,
        finished_at: run.status === 'missed' ? now : null,
        ...(run.status === 'missed'
          ? {
              error_code: 'run_missed',
              error:
                'No backend was running at this slot; the missed-run policy ' +
                'did not catch it up.',
            }
          : {}),
      });
      return run.id;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return undefined;
      }
      throw error;
    }
  }

  async getRun(id: string): Promise<ScheduleRun | undefined> {
    const row = await this.knex('schedule_runs').where({ id }).first();
    if (!row) {
      return undefined;
    }
    return { ...toRun(row), attempts: await this.attemptsOf([id]) };
  }

  async listRuns(scheduleId: string, limit: number): Promise<ScheduleRun[]> {
    const rows = await this.knex('schedule_runs')
      .where({ schedule_id: scheduleId })
      .orderBy([
        { column: 'scheduled_for', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    const attempts = await this.attemptsOf(rows.map(r => r.id));
    return rows.map(row => ({
      ...toRun(row),
      attempts: attempts.filter(a => a.runId === row.id),
    }));
  }

  /**
   * The newest run of each schedule, by slot as `listRuns` orders them,
   * in one query for a whole page; the slot index serves the ranking.
   */
  async lastRuns(scheduleIds: string[]): Promise<Map<string, ScheduleLastRun>> {
    if (scheduleIds.length === 0) {
      return new Map();
    }
    const ranked = this.knex('schedule_runs')
      .whereIn('schedule_id', scheduleIds)
      .select(
        'id',
        'schedule_id',
        'status',
        'scheduled_for',
        'finished_at',
        'error',
        'error_code',
        this.knex.raw(
          'row_number() over (partition by schedule_id ' +
            'order by scheduled_for desc, id desc) as position',
        ),
      );
    const rows: Row[] = await this.knex
      .select('*')
      .from(ranked.as('ranked'))
      .where('position', 1);
    return new Map(rows.map(row => [row.schedule_id, toLastRun(row)]));
  }

  private async attemptsOf(runIds: string[]): Promise<DeliveryAttempt[]> {
    if (runIds.length === 0) {
      return [];
    }
    const rows = await this.knex('delivery_attempts')
      .whereIn('run_id', runIds)
      .orderBy([
        { column: 'started_at', order: 'asc' },
        { column: 'attempt', order: 'asc' },
      ]);
    return rows.map(toAttempt);
  }

  async setExport(runId: string, exportId: string): Promise<void> {
    await this.knex('schedule_runs')
      .where({ id: runId })
      .update({ export_id: exportId });
  }

  async heartbeat(runIds: string[], owner: string): Promise<void> {
    if (runIds.length > 0) {
      await this.knex('schedule_runs')
        .whereIn('id', runIds)
        .andWhere({ lease_owner: owner, status: 'running' })
        .update({ heartbeat_at: isoNow() });
    }
  }

  /** Takes a run whose owner went silent; false when another took it. */
  async takeOver(
    runId: string,
    owner: string,
    silentSince: string,
  ): Promise<boolean> {
    const changed = await this.knex('schedule_runs')
      .where({ id: runId, status: 'running' })
      .andWhere('heartbeat_at', '<', silentSince)
      .update({
        lease_owner: owner,
        heartbeat_at: isoNow(),
        claims: this.knex.raw('claims + 1'),
      });
    return changed === 1;
  }

  async listSilent(
    silentSince: string,
  ): Promise<{ id: string; claims: number }[]> {
    const rows = await this.knex('schedule_runs')
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', silentSince)
      .select('id', 'claims')
      .limit(100);
    return rows.map(r => ({ id: r.id, claims: Number(r.claims) }));
  }

  async finish(
    runId: string,
    status: 'succeeded' | 'failed',
    error: { code: string; message: string } | null,
  ): Promise<void> {
    await this.knex('schedule_runs')
      .where({ id: runId })
      .update({
        status,
        error: error?.message ?? null,
        error_code: error?.code ?? null,
        finished_at: isoNow(),
        lease_owner: null,
      });
  }

  /** Makes a finished run running again, for a resend. */
  async reopen(runId: string, owner: string): Promise<boolean> {
    const now = isoNow();
    const changed = await this.knex('schedule_runs')
      .where({ id: runId })
      .whereIn('status', ['succeeded', 'failed'])
      .update({
        status: 'running',
        lease_owner: owner,
        heartbeat_at: now,
        finished_at: null,
      });
    return changed === 1;
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.knex('delivery_attempts').insert({
      id: attempt.id,
      run_id: attempt.runId,
      delivery: attempt.delivery,
      type: attempt.type,
      recipient: attempt.recipient,
      attempt: attempt.attempt,
      status: attempt.status,
      retryable: attempt.retryable,
      error: attempt.error?.message ?? null,
      error_code: attempt.error?.code ?? null,
      detail: attempt.detail ? JSON.stringify(attempt.detail) : null,
      started_at: attempt.startedAt,
      finished_at: attempt.finishedAt,
    });
  }

  async getAttempt(id: string): Promise<DeliveryAttempt | undefined> {
    const row = await this.knex('delivery_attempts').where({ id }).first();
    return row ? toAttempt(row) : undefined;
  }
}
