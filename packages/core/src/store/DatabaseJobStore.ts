import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  Checkpoint,
  Failure,
  FailureType,
  Job,
  JobStatus,
  Page,
  Priority,
  RecoveryAttempt,
  RecoveryAttemptStatus,
  RowError,
} from '../client/types';
import { conflict, ReboundError } from '../errors';
import { isoIn, isoNow } from '../time';
import { decodeCursor, encodeCursor, newestFirst, parseLimit } from './cursor';
import type {
  AttemptFilter,
  CheckpointWrite,
  JobFilter,
  JobPatch,
  JobStore,
  NewJob,
  NewRecoveryAttempt,
  NewRowError,
  SourceFile,
} from './JobStore';
import { RAN_ATTEMPT_STATUSES } from '../recovery/progress';
import { migrateUp } from './migrate';
import { toCheckpoint, toJob, toRecoveryAttempt } from './rows';

/** @public */
export const PRIORITY_RANK: Record<Priority, number> = {
  critical: 0,
  high: 1,
  normal: 2,
  low: 3,
};

/** Thrown when a worker no longer holds the lease of its job. @public */
export class LeaseLostError extends ReboundError {
  constructor(jobId: string) {
    super(
      'conflict',
      'lease_lost',
      `Job ${jobId} is no longer leased by this worker; another worker or ` +
        'the reaper took it over, so this worker stops without writing.',
    );
  }
}

/**
 * The JobStore on knex, for SQLite (better-sqlite3) and PostgreSQL alike.
 * Where the two differ (row locks for claiming) the difference is kept to
 * one method.
 *
 * @public
 */
export class DatabaseJobStore implements JobStore {
  readonly knex: Knex;
  private readonly isPostgres: boolean;
  private readonly progressSyncedAt = new Map<string, number>();

  static async create(
    knex: Knex,
    options: { skipMigrations?: boolean } = {},
  ): Promise<DatabaseJobStore> {
    if (!options.skipMigrations) {
      await migrateUp(knex);
    }
    await tuneSqlite(knex);
    return new DatabaseJobStore(knex);
  }

  private constructor(knex: Knex) {
    this.knex = knex;
    this.isPostgres = String(knex.client.config.client).startsWith('p');
  }

  async insertSourceFile(file: SourceFile): Promise<void> {
    await this.knex('source_files').insert({
      id: file.id,
      name: file.name,
      size: file.size,
      sha256: file.sha256,
      storage_key: file.storageKey,
      created_at: file.createdAt,
    });
  }

  async getSourceFile(id: string): Promise<SourceFile | undefined> {
    const row = await this.knex('source_files').where({ id }).first();
    return row ? toSourceFile(row) : undefined;
  }

  async listExpiredSourceFiles(
    finishedBefore: string,
    limit: number,
  ): Promise<SourceFile[]> {
    const jobsOfFile = () =>
      this.knex('jobs')
        .select('jobs.id')
        .where('jobs.file_id', this.knex.ref('source_files.id'));
    const rows = await this.knex('source_files')
      .whereNull('source_files.removed_at')
      .whereExists(jobsOfFile())
      .whereNotExists(
        jobsOfFile().andWhere(live =>
          live
            .whereNotIn('jobs.status', ENDED_STATUSES)
            .orWhereNull('jobs.finished_at')
            .orWhere('jobs.finished_at', '>=', finishedBefore),
        ),
      )
      .orderBy([
        { column: 'source_files.created_at', order: 'asc' },
        { column: 'source_files.id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toSourceFile);
  }

  async markSourceFileRemoved(id: string, at: string): Promise<void> {
    await this.knex('source_files')
      .where({ id })
      .whereNull('removed_at')
      .update({ removed_at: at });
  }

  async createJob(job: NewJob): Promise<Job> {
    const id = randomUUID();
    const now = isoNow();
    await this.knex('jobs').insert({
      id,
      type: job.type,
      status: 'pending',
      target: job.target,
      priority: job.priority,
      priority_rank: PRIORITY_RANK[job.priority],
      file_id: job.file.id,
      columns: JSON.stringify(job.columns),
      options: JSON.stringify(job.options),
      settings: JSON.stringify(job.settings),
      version: 0,
      attempts: 0,
      not_before: now,
      created_at: now,
      updated_at: now,
      created_by: job.createdBy ?? null,
    });
    return (await this.getJob(id))!;
  }

  async getJob(id: string): Promise<Job | undefined> {
    const row = await this.jobQuery().where('jobs.id', id).first();
    return row ? toJob(row) : undefined;
  }

  async listJobs(filter: JobFilter): Promise<Page<Job>> {
    const query = this.jobQuery();
    applyJobFilter(query, filter);
    return newestFirst(query, {
      cursor: filter.cursor,
      limit: parseLimit(filter.limit),
      table: 'jobs',
      map: toJob,
    });
  }

  async listByStatus(status: JobStatus, limit: number): Promise<Job[]> {
    const rows = await this.jobQuery()
      .where('jobs.status', status)
      .orderBy([
        { column: 'jobs.priority_rank', order: 'asc' },
        { column: 'jobs.created_at', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toJob);
  }

  async transition(
    job: Pick<Job, 'id' | 'status' | 'version'>,
    to: JobStatus,
    patch: JobPatch = {},
  ): Promise<Job> {
    const now = isoNow();
    const update: Record<string, unknown> = {
      status: to,
      version: job.version + 1,
      updated_at: now,
      ...patchColumns(patch),
    };
    if (to !== 'running') {
      update.lease_owner = null;
      update.lease_expires_at = null;
    }
    const count = await this.knex('jobs')
      .where({ id: job.id, status: job.status, version: job.version })
      .update(update);
    if (count !== 1) {
      const current = await this.getJob(job.id);
      throw conflict(
        'job_changed',
        current
          ? `Job ${job.id} is ${current.status} (version ${current.version}), ` +
              `not ${job.status} (version ${job.version}): another change ` +
              'won. Reload the job and try again if it still applies.'
          : `Job ${job.id} does not exist.`,
      );
    }
    return (await this.getJob(job.id))!;
  }

  async claimNext(owner: string, leaseMs: number): Promise<Job | undefined> {
    const now = isoNow();
    const due = this.knex('jobs')
      .select('id')
      .where('status', 'pending')
      .andWhere('not_before', '<=', now)
      .orderBy([
        { column: 'priority_rank', order: 'asc' },
        { column: 'created_at', order: 'asc' },
      ])
      .limit(1);
    if (this.isPostgres) {
      // Replicas skip rows another claim has locked instead of queueing.
      due.forUpdate().skipLocked();
    }
    // `id = (subquery)`, not `id in (subquery)`: PostgreSQL may run an IN
    // subquery once per candidate row, and with SKIP LOCKED each run
    // locks another job, so one claim would take every pending job.
    const rows = await this.knex('jobs')
      .where('id', due)
      .andWhere('status', 'pending')
      .update({
        status: 'running',
        version: this.knex.raw('version + 1'),
        lease_owner: owner,
        lease_expires_at: isoIn(leaseMs),
        started_at: this.knex.raw('coalesce(started_at, ?)', [now]),
        run_started_at: now,
        run_rows_start: this.knex.ref('rows_done'),
        run_bytes_start: this.knex.ref('bytes_done'),
        finished_at: null,
        updated_at: now,
      })
      .returning('id');
    if (rows.length === 0) {
      return undefined;
    }
    const id = typeof rows[0] === 'object' ? rows[0].id : rows[0];
    return this.getJob(id);
  }

  async renewLease(
    jobId: string,
    owner: string,
    leaseMs: number,
  ): Promise<boolean> {
    const count = await this.knex('jobs')
      .where({ id: jobId, status: 'running', lease_owner: owner })
      .update({ lease_expires_at: isoIn(leaseMs) });
    return count === 1;
  }

  async withLease<T>(
    jobId: string,
    owner: string,
    fn: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return this.knex.transaction(async trx => {
      // Touching the row first locks it on PostgreSQL, so the reaper and
      // this commit cannot interleave; on SQLite the transaction is serial.
      const held = await trx('jobs')
        .where({ id: jobId, status: 'running', lease_owner: owner })
        .update({ updated_at: isoNow() });
      if (held !== 1) {
        throw new LeaseLostError(jobId);
      }
      return fn(trx);
    });
  }

  async commitCheckpoint(
    jobId: string,
    owner: string,
    checkpoint: CheckpointWrite,
    options: {
      rowErrors?: NewRowError[];
      write?: (trx: Knex.Transaction) => Promise<void>;
    } = {},
  ): Promise<void> {
    const now = isoNow();
    if (!options.write && !options.rowErrors?.length) {
      // Most batches of an upload commit nothing but the checkpoint: one
      // statement, guarded by the lease, and no transaction around it.
      const moved = await this.knex('checkpoints')
        .where('job_id', jobId)
        .whereExists(
          this.knex('jobs')
            .select('id')
            .where({ id: jobId, status: 'running', lease_owner: owner }),
        )
        .update(checkpointRow(jobId, checkpoint, now));
      if (moved === 1) {
        await this.syncProgress(jobId, owner, checkpoint, now);
        return;
      }
      // No checkpoint row yet, or the lease is gone: the full path decides.
    }
    this.progressSyncedAt.set(jobId, Date.now());
    await this.knex.transaction(async trx => {
      // The guarded update goes first: on PostgreSQL it locks the job row,
      // so the reaper cannot take the job half-way through this commit.
      const held = await trx('jobs')
        .where({ id: jobId, status: 'running', lease_owner: owner })
        .update({ ...progressColumns(checkpoint), updated_at: now });
      if (held !== 1) {
        throw new LeaseLostError(jobId);
      }
      await options.write?.(trx);
      await this.insertRowErrors(trx, jobId, options.rowErrors ?? []);
      await trx('checkpoints')
        .insert(checkpointRow(jobId, checkpoint, now))
        .onConflict('job_id')
        .merge();
    });
  }

  /**
   * The job row's progress counters follow the checkpoint at most a
   * second behind (the API reads the checkpoint itself); a run's end
   * copies them exactly.
   */
  private async syncProgress(
    jobId: string,
    owner: string,
    checkpoint: CheckpointWrite,
    now: string,
  ) {
    const last = this.progressSyncedAt.get(jobId) ?? 0;
    if (Date.now() - last < 1000) {
      return;
    }
    this.progressSyncedAt.set(jobId, Date.now());
    await this.knex('jobs')
      .where({ id: jobId, status: 'running', lease_owner: owner })
      .update({ ...progressColumns(checkpoint), updated_at: now });
  }

  async setColumns(
    trx: Knex.Transaction,
    jobId: string,
    columns: string[],
  ): Promise<void> {
    await trx('jobs')
      .where({ id: jobId })
      .update({ columns: JSON.stringify(columns) });
  }

  async writeCheckpoint(
    trx: Knex.Transaction,
    jobId: string,
    checkpoint: CheckpointWrite,
  ): Promise<void> {
    const now = isoNow();
    await trx('checkpoints')
      .insert(checkpointRow(jobId, checkpoint, now))
      .onConflict('job_id')
      .merge();
    await trx('jobs')
      .where({ id: jobId })
      .update({
        rows_done: checkpoint.rowsDone,
        rows_accepted: checkpoint.rowsAccepted,
        rows_rejected: checkpoint.rowsRejected,
        rows_quarantined: checkpoint.rowsQuarantined,
        bytes_done: checkpoint.bytesDone,
        ...(checkpoint.rowsTotal !== undefined
          ? { rows_total: checkpoint.rowsTotal }
          : {}),
        updated_at: now,
      });
  }

  async insertRowErrors(
    trx: Knex.Transaction,
    jobId: string,
    errors: NewRowError[],
  ): Promise<void> {
    if (errors.length === 0) {
      return;
    }
    const now = isoNow();
    const rows = errors.map(error => ({
      job_id: jobId,
      row: error.row,
      column: error.column ?? null,
      code: error.code,
      message: error.message,
      value: error.value ?? null,
      raw: error.raw ?? null,
      kind: error.kind,
      created_at: now,
    }));
    // SQLite caps bound parameters per statement; 9 columns x 100 is safe.
    for (let i = 0; i < rows.length; i += 100) {
      await trx('row_errors').insert(rows.slice(i, i + 100));
    }
  }

  async finishRun(
    jobId: string,
    owner: string,
    to: 'succeeded' | 'failed',
    failure: Failure | null,
    attempt?: { id: string; outcome: string; rowsProcessed?: number },
  ): Promise<Job | undefined> {
    const now = isoNow();
    // The job and its recovery attempt end together: nobody sees a job
    // succeeded whose attempt still says running.
    const count = await this.knex.transaction(async trx => {
      const ended = await trx('jobs')
        .where({ id: jobId, status: 'running', lease_owner: owner })
        .update({
          ...this.progressFromCheckpoint(jobId),
          status: to,
          version: this.knex.raw('version + 1'),
          lease_owner: null,
          lease_expires_at: null,
          finished_at: now,
          updated_at: now,
          failure: failure ? JSON.stringify(failure) : null,
          failure_type: failure?.type ?? null,
        });
      if (ended === 1 && attempt) {
        await this.attemptUpdate(trx, attempt.id, to, {
          outcome: attempt.outcome,
          rowsProcessed: attempt.rowsProcessed,
        });
      }
      return ended;
    });
    this.progressSyncedAt.delete(jobId);
    return count === 1 ? this.getJob(jobId) : undefined;
  }

  /** Counters of the job row set from its checkpoint, in SQL. */
  private progressFromCheckpoint(jobId: string) {
    const from = (column: string) =>
      this.knex.raw(
        `coalesce((select ${column} from checkpoints where job_id = ?), ${column})`,
        [jobId],
      );
    return {
      rows_done: from('rows_done'),
      rows_accepted: from('rows_accepted'),
      rows_rejected: from('rows_rejected'),
      rows_quarantined: from('rows_quarantined'),
    };
  }

  async reapExpiredLeases(failure: (job: Job) => Failure): Promise<Job[]> {
    const now = isoNow();
    const expired = await this.jobQuery()
      .where('jobs.status', 'running')
      .andWhere('jobs.lease_expires_at', '<', now)
      .limit(100);
    const reaped: Job[] = [];
    for (const row of expired) {
      const job = toJob(row);
      const reason = failure(job);
      const count = await this.knex('jobs')
        .where({ id: job.id, status: 'running', version: job.version })
        .andWhere('lease_expires_at', '<', now)
        .update({
          ...this.progressFromCheckpoint(job.id),
          status: 'failed',
          version: job.version + 1,
          lease_owner: null,
          lease_expires_at: null,
          finished_at: now,
          updated_at: now,
          failure: JSON.stringify(reason),
          failure_type: reason.type,
        });
      if (count === 1) {
        reaped.push((await this.getJob(job.id))!);
      }
    }
    return reaped;
  }

  async listRowErrors(
    jobId: string,
    options: { limit?: number; cursor?: string; kind?: RowError['kind'] },
  ): Promise<Page<RowError & { raw?: string }>> {
    const limit = parseLimit(options.limit, 100, 5000);
    const query = this.knex('row_errors')
      .where({ job_id: jobId })
      .orderBy([
        { column: 'row', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit + 1);
    if (options.kind) {
      query.andWhere('kind', options.kind);
    }
    if (options.cursor) {
      const [row, id] = decodeCursor(
        options.cursor,
        (key, id) => Number.isInteger(key) && /^\d+$/.test(id),
      );
      query.andWhere(q =>
        q
          .where('row', '>', row)
          .orWhere(q2 => q2.where('row', row).andWhere('id', '>', Number(id))),
      );
    }
    const rows = await query;
    const items = rows.slice(0, limit).map(row => ({
      jobId: row.job_id,
      row: Number(row.row),
      ...(row.column !== null ? { column: row.column } : {}),
      code: row.code,
      message: row.message,
      ...(row.value !== null ? { value: row.value } : {}),
      ...(row.raw !== null ? { raw: row.raw } : {}),
      kind: row.kind,
    }));
    const last = rows[limit - 1];
    return {
      items,
      nextCursor:
        rows.length > limit
          ? encodeCursor(Number(last.row), String(last.id))
          : null,
    };
  }

  async createAttempt(attempt: NewRecoveryAttempt): Promise<RecoveryAttempt> {
    const id = attempt.id ?? randomUUID();
    await this.knex('recovery_attempts').insert({
      id,
      job_id: attempt.jobId,
      attempt: attempt.attempt,
      trigger: attempt.trigger,
      target: attempt.target,
      failure_type: attempt.failureType,
      strategy: attempt.strategy,
      plan: JSON.stringify(attempt.plan),
      status: attempt.status,
      outcome: attempt.outcome ?? null,
      requested_by: attempt.requestedBy ?? null,
      created_at: isoNow(),
    });
    return (await this.getAttempt(id))!;
  }

  async updateAttempt(
    id: string,
    status: RecoveryAttemptStatus,
    fields: {
      outcome?: string;
      rowsProcessed?: number;
      started?: boolean;
    } = {},
  ): Promise<void> {
    await this.attemptUpdate(this.knex, id, status, fields);
  }

  private async attemptUpdate(
    db: Knex | Knex.Transaction,
    id: string,
    status: RecoveryAttemptStatus,
    fields: { outcome?: string; rowsProcessed?: number; started?: boolean },
  ): Promise<void> {
    const now = isoNow();
    const update: Record<string, unknown> = { status };
    if (fields.outcome !== undefined) {
      update.outcome = fields.outcome;
    }
    if (fields.rowsProcessed !== undefined) {
      update.rows_processed = fields.rowsProcessed;
    }
    if (fields.started) {
      update.started_at = now;
    }
    if (['succeeded', 'failed', 'cancelled', 'manual'].includes(status)) {
      update.finished_at = now;
      update.duration_ms = this.knex.raw(
        this.isPostgres
          ? `(extract(epoch from (?::timestamptz - created_at::timestamptz)) * 1000)::bigint`
          : `cast((julianday(?) - julianday(created_at)) * 86400000 as integer)`,
        [now],
      );
    }
    await db('recovery_attempts').where({ id }).update(update);
  }

  async getAttempt(id: string): Promise<RecoveryAttempt | undefined> {
    const row = await this.knex('recovery_attempts').where({ id }).first();
    return row ? toRecoveryAttempt(row) : undefined;
  }

  async listAttempts(filter: AttemptFilter): Promise<Page<RecoveryAttempt>> {
    const query = this.knex('recovery_attempts');
    if (filter.jobId) {
      query.where('job_id', filter.jobId);
    }
    if (filter.target) {
      query.where('target', filter.target);
    }
    return newestFirst(query, {
      cursor: filter.cursor,
      limit: parseLimit(filter.limit),
      map: toRecoveryAttempt,
    });
  }

  async listRunAttempts(
    jobId: string,
    limit: number,
  ): Promise<RecoveryAttempt[]> {
    const rows = await this.knex('recovery_attempts')
      .where('job_id', jobId)
      .whereIn('status', RAN_ATTEMPT_STATUSES)
      .orderBy([
        { column: 'attempt', order: 'desc' },
        { column: 'created_at', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toRecoveryAttempt);
  }

  async countAttemptsSince(
    target: string,
    since: string,
    triggers: RecoveryAttempt['trigger'][],
  ): Promise<number> {
    const row = await this.knex('recovery_attempts')
      .where('target', target)
      .andWhere('created_at', '>=', since)
      .whereIn('trigger', triggers)
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }

  async attemptOutcomesByFailureType(
    failureType: FailureType,
  ): Promise<{ succeeded: number; finished: number }> {
    const rows: { status: string; n: number | string }[] = await this.knex(
      'recovery_attempts',
    )
      .select('status')
      .count({ n: '*' })
      .where('failure_type', failureType)
      .whereIn('status', ['succeeded', 'failed'])
      .groupBy('status');
    let succeeded = 0;
    let finished = 0;
    for (const row of rows) {
      const n = Number(row.n);
      finished += n;
      if (row.status === 'succeeded') {
        succeeded += n;
      }
    }
    return { succeeded, finished };
  }

  async getCheckpoint(jobId: string): Promise<Checkpoint | null> {
    const row = await this.knex('checkpoints').where({ job_id: jobId }).first();
    return row ? toCheckpoint(row) : null;
  }

  private jobQuery() {
    return this.knex('jobs')
      .leftJoin('source_files', 'source_files.id', 'jobs.file_id')
      .leftJoin('checkpoints', 'checkpoints.job_id', 'jobs.id')
      .select(
        'jobs.*',
        'source_files.name as file_name',
        'source_files.sha256 as file_sha256',
        'source_files.size as file_size',
        'source_files.removed_at as file_removed_at',
        'checkpoints.step as cp_step',
        'checkpoints.rows_done as cp_rows_done',
        'checkpoints.byte_offset as cp_byte_offset',
        'checkpoints.batch_seq as cp_batch_seq',
        'checkpoints.rows_accepted as cp_rows_accepted',
        'checkpoints.rows_rejected as cp_rows_rejected',
        'checkpoints.rows_quarantined as cp_rows_quarantined',
        'checkpoints.in_doubt as cp_in_doubt',
        'checkpoints.updated_at as cp_updated_at',
      );
  }
}

/** Jobs that can never run again: their source may go after the retention. */
const ENDED_STATUSES: JobStatus[] = ['succeeded', 'cancelled'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toSourceFile(row: Record<string, any>): SourceFile {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    sha256: row.sha256,
    storageKey: row.storage_key,
    createdAt: row.created_at,
    removedAt: row.removed_at ?? null,
  };
}

/**
 * A SQLite file in write-ahead-log mode commits without a full sync of
 * the database file: every batch commits, so this is most of the cost of
 * checkpointing. A process crash still loses no committed batch; only a
 * power cut could lose the last few, which the in-doubt replay covers.
 */
async function tuneSqlite(knex: Knex) {
  const client = String(knex.client.config.client);
  const file = (knex.client.config.connection as { filename?: string })
    ?.filename;
  if (!client.includes('sqlite') || !file || file === ':memory:') {
    return;
  }
  await knex.raw('PRAGMA journal_mode = WAL');
  await knex.raw('PRAGMA synchronous = NORMAL');
}

function progressColumns(checkpoint: CheckpointWrite) {
  return {
    rows_done: checkpoint.rowsDone,
    rows_accepted: checkpoint.rowsAccepted,
    rows_rejected: checkpoint.rowsRejected,
    rows_quarantined: checkpoint.rowsQuarantined,
    bytes_done: checkpoint.bytesDone,
    ...(checkpoint.rowsTotal !== undefined
      ? { rows_total: checkpoint.rowsTotal }
      : {}),
  };
}

function checkpointRow(
  jobId: string,
  checkpoint: CheckpointWrite,
  now: string,
) {
  return {
    job_id: jobId,
    step: checkpoint.step,
    rows_done: checkpoint.rowsDone,
    byte_offset: checkpoint.byteOffset,
    batch_seq: checkpoint.batchSeq,
    rows_accepted: checkpoint.rowsAccepted,
    rows_rejected: checkpoint.rowsRejected,
    rows_quarantined: checkpoint.rowsQuarantined,
    in_doubt: checkpoint.inDoubt ? JSON.stringify(checkpoint.inDoubt) : null,
    updated_at: now,
  };
}

function applyJobFilter(query: Knex.QueryBuilder, filter: JobFilter) {
  if (Array.isArray(filter.status)) {
    query.whereIn('jobs.status', filter.status);
  } else if (filter.status) {
    query.where('jobs.status', filter.status);
  }
  if (filter.type) {
    query.where('jobs.type', filter.type);
  }
  if (filter.target) {
    query.where('jobs.target', filter.target);
  }
  if (filter.failureType) {
    query.where('jobs.failure_type', filter.failureType);
  }
  if (filter.ids) {
    query.whereIn('jobs.id', filter.ids);
  }
  if (filter.fileSha256) {
    query.where('source_files.sha256', filter.fileSha256);
  }
}

function patchColumns(patch: JobPatch): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (patch.priority !== undefined) {
    columns.priority = patch.priority;
    columns.priority_rank = PRIORITY_RANK[patch.priority];
  }
  if (patch.settings !== undefined) {
    columns.settings = JSON.stringify(patch.settings);
  }
  if (patch.attempts !== undefined) {
    columns.attempts = patch.attempts;
  }
  if (patch.notBefore !== undefined) {
    columns.not_before = patch.notBefore;
  }
  if (patch.failure !== undefined) {
    columns.failure = patch.failure ? JSON.stringify(patch.failure) : null;
    columns.failure_type = patch.failure?.type ?? null;
  }
  if (patch.finishedAt !== undefined) {
    columns.finished_at = patch.finishedAt;
  }
  if (patch.currentAttemptId !== undefined) {
    columns.current_attempt_id = patch.currentAttemptId;
  }
  return columns;
}
