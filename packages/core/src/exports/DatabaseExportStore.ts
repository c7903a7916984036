import type { Knex } from 'knex';
import type { Page } from '../client/types';
import { newestFirst, parseLimit } from '../store/cursor';
import { isoNow } from '../time';
import type {
  ExportFormat,
  ExportQuery,
  ExportRecord,
  ExportRequest,
} from './wire';

/** An export as stored: the wire record and where its file is. */
export type StoredExport = Omit<ExportRecord, 'downloadUrl'> & {
  storageKey: string | null;
};

export interface NewExport {
  id: string;
  dataset: string;
  format: ExportFormat;
  request: ExportRequest;
  fileName: string;
  rowsTotal: number;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
}

// Driver rows: the column types differ between SQLite and PostgreSQL.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function toStoredExport(row: Row): StoredExport {
  return {
    id: row.id,
    dataset: row.dataset,
    format: row.format,
    status: row.status,
    progress: Number(row.progress ?? 0),
    rowsTotal: num(row.rows_total),
    rowCount: num(row.row_count),
    size: num(row.size),
    sha256: row.sha256 ?? null,
    fileName: row.file_name,
    request: JSON.parse(row.request),
    error: row.error
      ? { code: row.error_code ?? 'export_failed', message: row.error }
      : null,
    attempts: Number(row.attempts ?? 0),
    createdBy: row.created_by ?? null,
    createdAt: row.created_at,
    startedAt: row.started_at ?? null,
    finishedAt: row.finished_at ?? null,
    expiresAt: row.expires_at,
    storageKey: row.storage_key ?? null,
  };
}

/**
 * The exports table. Status changes are compare-and-set on the status
 * (and, for a run, its owner), so two retries or two replicas cannot
 * both run the same export.
 */
export class DatabaseExportStore {
  constructor(readonly knex: Knex) {}

  async insert(record: NewExport): Promise<StoredExport> {
    await this.knex('exports').insert({
      id: record.id,
      dataset: record.dataset,
      format: record.format,
      status: 'pending',
      request: JSON.stringify(record.request),
      file_name: record.fileName,
      progress: 0,
      rows_total: record.rowsTotal,
      attempts: 0,
      version: 0,
      created_by: record.createdBy,
      created_at: record.createdAt,
      updated_at: record.createdAt,
      heartbeat_at: record.createdAt,
      expires_at: record.expiresAt,
    });
    return (await this.get(record.id))!;
  }

  async get(id: string): Promise<StoredExport | undefined> {
    const row = await this.knex('exports').where({ id }).first();
    return row ? toStoredExport(row) : undefined;
  }

  async list(query: ExportQuery): Promise<Page<StoredExport>> {
    const builder = this.knex('exports');
    for (const key of ['status', 'dataset', 'format'] as const) {
      if (query[key]) {
        builder.where(key, query[key]);
      }
    }
    return newestFirst(builder, {
      cursor: query.cursor,
      limit: parseLimit(query.limit),
      map: toStoredExport,
    });
  }

  /** pending -> running for one owner; false when another run has it. */
  async claim(id: string, owner: string, rowsTotal: number): Promise<boolean> {
    const now = isoNow();
    const count = await this.knex('exports')
      .where({ id, status: 'pending' })
      .update({
        status: 'running',
        run_owner: owner,
        heartbeat_at: now,
        started_at: now,
        updated_at: now,
        progress: 0,
        rows_total: rowsTotal,
        attempts: this.knex.raw('attempts + 1'),
        version: this.knex.raw('version + 1'),
      });
    return count === 1;
  }

  async progress(id: string, owner: string, rows: number): Promise<void> {
    const now = isoNow();
    await this.knex('exports')
      .where({ id, status: 'running', run_owner: owner })
      .update({ progress: rows, heartbeat_at: now, updated_at: now });
  }

  /** Keeps the runs and queued exports of this process from looking dead. */
  async heartbeat(ids: string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await this.knex('exports')
      .whereIn('id', ids)
      .whereIn('status', ['pending', 'running'])
      .update({ heartbeat_at: isoNow() });
  }

  async succeed(
    id: string,
    owner: string,
    result: {
      rowCount: number;
      size: number;
      sha256: string;
      storageKey: string;
      expiresAt: string;
    },
  ): Promise<boolean> {
    const now = isoNow();
    const count = await this.knex('exports')
      .where({ id, status: 'running', run_owner: owner })
      .update({
        status: 'succeeded',
        progress: result.rowCount,
        row_count: result.rowCount,
        size: result.size,
        sha256: result.sha256,
        storage_key: result.storageKey,
        error: null,
        error_code: null,
        run_owner: null,
        finished_at: now,
        updated_at: now,
        expires_at: result.expiresAt,
        version: this.knex.raw('version + 1'),
      });
    return count === 1;
  }

  async fail(
    id: string,
    owner: string | null,
    error: { code: string; message: string },
  ): Promise<void> {
    const now = isoNow();
    const builder = this.knex('exports')
      .whereIn('status', ['pending', 'running'])
      .where({ id });
    if (owner) {
      builder.where(q => q.where('run_owner', owner).orWhereNull('run_owner'));
    }
    await builder.update({
      status: 'failed',
      error: error.message,
      error_code: error.code,
      run_owner: null,
      finished_at: now,
      updated_at: now,
      version: this.knex.raw('version + 1'),
    });
  }

  /** failed -> pending, for a retry; false when it is not failed now. */
  async requeue(id: string, expiresAt: string): Promise<boolean> {
    const now = isoNow();
    const count = await this.knex('exports')
      .where({ id, status: 'failed' })
      .update({
        status: 'pending',
        error: null,
        error_code: null,
        progress: 0,
        row_count: null,
        size: null,
        sha256: null,
        storage_key: null,
        started_at: null,
        finished_at: null,
        heartbeat_at: now,
        updated_at: now,
        expires_at: expiresAt,
        version: this.knex.raw('version + 1'),
      });
    return count === 1;
  }

  /** Finished exports whose retention ran out. */
  async listExpired(now: string, limit = 100): Promise<StoredExport[]> {
    const rows = await this.knex('exports')
      .whereIn('status', ['succeeded', 'failed'])
      .andWhere('expires_at', '<', now)
      .orderBy('expires_at')
      .limit(limit);
    return rows.map(toStoredExport);
  }

  async markExpired(id: string): Promise<void> {
    await this.knex('exports')
      .where({ id })
      .whereIn('status', ['succeeded', 'failed'])
      .update({
        status: 'expired',
        storage_key: null,
        updated_at: isoNow(),
        version: this.knex.raw('version + 1'),
      });
  }

  /** Pending or running exports nobody has spoken for since `before`. */
  async listStale(before: string): Promise<StoredExport[]> {
    const rows = await this.knex('exports')
      .whereIn('status', ['pending', 'running'])
      .andWhere('heartbeat_at', '<', before)
      .limit(100);
    return rows.map(toStoredExport);
  }

  async failIfStale(
    id: string,
    before: string,
    error: { code: string; message: string },
  ): Promise<boolean> {
    const now = isoNow();
    const count = await this.knex('exports')
      .where({ id })
      .whereIn('status', ['pending', 'running'])
      .andWhere('heartbeat_at', '<', before)
      .update({
        status: 'failed',
        error: error.message,
        error_code: error.code,
        run_owner: null,
        finished_at: now,
        updated_at: now,
        version: this.knex.raw('version + 1'),
      });
    return count === 1;
  }
}
