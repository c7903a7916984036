import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Page } from '../client/types';
import { conflict, inputError, notFound, ReboundError } from '../errors';
import type { Logger } from '../logger';
import { reboundMetrics } from '../metrics';
import type { StorageService } from '../storage/StorageService';
import { isoNow } from '../time';
import { DatabaseExportStore, type StoredExport } from './DatabaseExportStore';
import { DatasetRegistry } from './DatasetRegistry';
import type { ExportPlan } from './ExportPlan';
import { EXTENSIONS, parseExportRequest } from './parseRequest';
import { RowDigest } from './rowDigest';
import { createCsvWriter } from './writers/csvWriter';
import type { FormatWriterFactory } from './writers/FormatWriter';
import { createJsonWriter, createNdjsonWriter } from './writers/jsonWriter';
import { createPdfWriter } from './writers/pdfWriter';
import { createXlsxWriter } from './writers/xlsxWriter';
import type { ExportFormat, ExportQuery, ExportRecord } from './wire';

/** Limits and timings of exports, from recovery.exports. @public */
export interface ExportSettings {
  /** Largest PDF in rows; a larger request is refused. */
  pdfMaxRows: number;
  /** How long a finished export and its file are kept. */
  retentionMs: number;
  /** Exports of at most this many rows finish before POST /exports answers. */
  inlineRows: number;
  /** Background exports one process runs at once; more wait as pending. */
  concurrency: number;
  /** Rows per database round trip. */
  pageSize: number;
  /** A pending or running export silent this long is failed as interrupted. */
  staleAfterMs: number;
}

/** @public */
export const DEFAULT_EXPORT_SETTINGS: ExportSettings = {
  pdfMaxRows: 20_000,
  retentionMs: 30 * 24 * 3600 * 1000,
  inlineRows: 2_000,
  concurrency: 2,
  pageSize: 1_000,
  staleAfterMs: 2 * 60 * 1000,
};

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const WRITERS: Record<ExportFormat, FormatWriterFactory> = {
  csv: createCsvWriter,
  json: createJsonWriter,
  ndjson: createNdjsonWriter,
  xlsx: createXlsxWriter,
  pdf: createPdfWriter,
};

const HEARTBEAT_MS = 15_000;
const PROGRESS_MS = 500;

/** @public */
export interface ExportServiceOptions {
  knex: Knex;
  storage: StorageService;
  logger: Logger;
  settings?: Partial<ExportSettings>;
  datasets?: DatasetRegistry;
  /** Base of download URLs, e.g. http://host:7007/api/recovery. */
  baseUrl?: string;
}

/**
 * Exports of datasets to files: checks a request, streams the rows from
 * the database through a format writer into storage, and records the
 * outcome. Small exports finish within the request; larger ones run in
 * the background and report their progress on the record.
 *
 * @public
 */
export class ExportService {
  readonly datasets: DatasetRegistry;
  readonly settings: ExportSettings;
  private readonly store: DatabaseExportStore;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(
    0,
    8,
  )}`;
  private readonly active = new Map<string, Promise<void>>();
  private readonly queue: { id: string; plan: ExportPlan }[] = [];
  private readonly abort = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: ExportServiceOptions) {
    this.datasets = options.datasets ?? DatasetRegistry.withDefaults();
    this.settings = { ...DEFAULT_EXPORT_SETTINGS, ...options.settings };
    this.store = new DatabaseExportStore(options.knex);
  }

  /** Checks and starts an export; it may still be running on return. */
  async create(body: unknown, createdBy?: string): Promise<ExportRecord> {
    const now = new Date();
    const plan = parseExportRequest(this.datasets, body, now);
    const rowsTotal = await this.countRows(plan);
    const stored = await this.store.insert({
      id: randomUUID(),
      dataset: plan.dataset.name,
      format: plan.format,
      request: plan.request,
      fileName: plan.fileName,
      rowsTotal,
      createdBy: createdBy ?? null,
      createdAt: now.toISOString(),
      expiresAt: new Date(
        now.getTime() + this.settings.retentionMs,
      ).toISOString(),
    });
    this.options.logger.info('Export requested', {
      exportId: stored.id,
      dataset: stored.dataset,
      format: stored.format,
      rowsTotal,
    });
    await this.start(stored.id, plan, rowsTotal);
    return this.get(stored.id);
  }

  /** Runs a failed export again with the request it was created with. */
  async retry(id: string): Promise<ExportRecord> {
    const record = await this.getStored(id);
    if (record.status !== 'failed') {
      throw conflict(
        'export_not_failed',
        `Export ${id} is ${record.status}; only a failed export can be retried.`,
      );
    }
    const plan = parseExportRequest(
      this.datasets,
      record.request,
      new Date(record.createdAt),
    );
    plan.fileName = record.fileName;
    const rowsTotal = await this.countRows(plan);
    const expiresAt = new Date(
      Date.now() + this.settings.retentionMs,
    ).toISOString();
    if (!(await this.store.requeue(id, expiresAt))) {
      throw conflict(
        'export_changed',
        `Export ${id} changed while it was being retried; reload it.`,
      );
    }
    this.options.logger.info('Export retried', { exportId: id, rowsTotal });
    await this.start(id, plan, rowsTotal);
    return this.get(id);
  }

  async get(id: string): Promise<ExportRecord> {
    return this.toRecord(await this.getStored(id));
  }

  async list(query: ExportQuery): Promise<Page<ExportRecord>> {
    const page = await this.store.list(query);
    return {
      items: page.items.map(r => this.toRecord(r)),
      nextCursor: page.nextCursor,
    };
  }

  /** The file of a succeeded export that has not expired. */
  async openContent(
    id: string,
  ): Promise<{ record: ExportRecord; stream: Readable; contentType: string }> {
    const stored = await this.getStored(id);
    if (
      stored.status === 'expired' ||
      Date.parse(stored.expiresAt) <= Date.now()
    ) {
      throw notFound(
        'export_expired',
        `Export ${id} expired at ${stored.expiresAt} and its file is deleted; ` +
          'run the export again.',
      );
    }
    if (stored.status !== 'succeeded' || !stored.storageKey) {
      throw conflict(
        'export_not_ready',
        stored.status === 'failed'
          ? `Export ${id} failed: ${stored.error?.message} Retry the export; it has no file to download until it succeeds.`
          : `Export ${id} is ${stored.status} (${stored.progress} of ${
              stored.rowsTotal ?? '?'
            } rows written); download it once it has succeeded.`,
      );
    }
    const stream = await this.options.storage
      .read(stored.storageKey)
      .catch(error => {
        throw notFound(
          'export_file_missing',
          `The file of export ${id} is missing from storage: ${
            (error as Error).message
          }`,
        );
      });
    return {
      record: this.toRecord(stored),
      stream,
      contentType: CONTENT_TYPES[stored.format],
    };
  }

  /**
   * The scheduled upkeep: deletes the files of expired exports and fails
   * exports whose process stopped speaking for them (a crash).
   */
  async runMaintenance(): Promise<{ expired: number; interrupted: number }> {
    const now = isoNow();
    let expired = 0;
    for (const record of await this.store.listExpired(now)) {
      if (record.storageKey) {
        await this.options.storage.delete(record.storageKey);
      }
      await this.store.markExpired(record.id);
      expired += 1;
    }
    const before = new Date(
      Date.now() - this.settings.staleAfterMs,
    ).toISOString();
    let interrupted = 0;
    for (const record of await this.store.listStale(before)) {
      if (this.active.has(record.id)) {
        continue;
      }
      const failed = await this.store.failIfStale(record.id, before, {
        code: 'export_interrupted',
        message:
          'The export stopped when the process running it ended before it ' +
          'finished; retry it.',
      });
      interrupted += failed ? 1 : 0;
    }
    if (expired + interrupted > 0) {
      this.options.logger.info('Export upkeep', { expired, interrupted });
    }
    return { expired, interrupted };
  }

  /** Resolves when no export of this process is running or queued. */
  async whenIdle(): Promise<void> {
    while (this.active.size > 0) {
      await Promise.allSettled([...this.active.values()]);
    }
  }

  /** Stops background exports (they fail as interrupted) and waits. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.length = 0;
    await this.whenIdle();
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async countRows(plan: ExportPlan): Promise<number> {
    const rows = await plan.dataset.count(this.options.knex, this.query(plan));
    if (plan.format === 'pdf' && rows > this.settings.pdfMaxRows) {
      throw inputError(
        'pdf_too_many_rows',
        `The export has ${rows} rows; a PDF holds at most ${this.settings.pdfMaxRows} ` +
          '(recovery.exports.pdfMaxRows). Narrow the filters, or export as csv ' +
          'or xlsx, which have no such limit.',
      );
    }
    return rows;
  }

  private query(plan: ExportPlan) {
    return {
      columns: plan.columns.map(c => c.column),
      filters: plan.filters,
      sort: plan.sort,
      pageSize: this.settings.pageSize,
      signal: this.abort.signal,
    };
  }

  /** Inline when small, else in the background as slots allow. */
  private async start(id: string, plan: ExportPlan, rowsTotal: number) {
    if (rowsTotal <= this.settings.inlineRows) {
      await this.track(id, () => this.run(id, plan, rowsTotal));
      return;
    }
    this.queue.push({ id, plan });
    this.keepAlive();
    await this.drainQueue(true);
  }

  private async drainQueue(claimNow = false) {
    while (
      this.queue.length > 0 &&
      this.backgroundCount() < this.settings.concurrency
    ) {
      const { id, plan } = this.queue.shift()!;
      const record = await this.store.get(id);
      const rowsTotal = record?.rowsTotal ?? 0;
      // Claim before answering, so that the record says running.
      const claimed =
        claimNow && (await this.store.claim(id, this.owner, rowsTotal));
      const work = this.track(
        id,
        () => this.run(id, plan, rowsTotal, claimed),
        true,
      );
      work.finally(() => this.drainQueue()).catch(() => undefined);
    }
  }

  private backgroundCount() {
    return [...this.active.keys()].filter(id => this.background.has(id)).length;
  }

  private readonly background = new Set<string>();

  private track(
    id: string,
    fn: () => Promise<void>,
    background = false,
  ): Promise<void> {
    if (background) {
      this.background.add(id);
    }
    const work = fn()
      .catch(error =>
        this.options.logger.error('Export could not record its outcome', {
          exportId: id,
          error: (error as Error).message,
        }),
      )
      .finally(() => {
        this.active.delete(id);
        this.background.delete(id);
      });
    this.active.set(id, work);
    return work;
  }

  private keepAlive() {
    if (this.heartbeat) {
      return;
    }
    this.heartbeat = setInterval(() => {
      const ids = [...this.active.keys(), ...this.queue.map(q => q.id)];
      if (ids.length === 0) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
        return;
      }
      this.store.heartbeat(ids).catch(() => undefined);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Streams rows from the dataset through the writer into storage. */
  private async run(
    id: string,
    plan: ExportPlan,
    rowsTotal: number,
    claimed = false,
  ) {
    if (!claimed && !(await this.store.claim(id, this.owner, rowsTotal))) {
      return;
    }
    const logger = this.options.logger.child({ exportId: id });
    const started = Date.now();
    const key = `exports/${id}.${EXTENSIONS[plan.format]}`;
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    let storageError: Error | undefined;
    // A folder that cannot be written fails put() before it reads a
    // byte: the writer must hear of it instead of waiting for a drain.
    out.on('error', () => undefined);
    const stored = this.options.storage.put(key, out).catch(error => {
      storageError = error as Error;
      out.destroy(storageError);
      throw error;
    });
    stored.catch(() => undefined);
    // Writers that buffer (exceljs, pdfkit) would wait forever on an
    // output nobody reads: every step also ends when storage fails.
    const storageFailed = new Promise<never>((_, reject) => {
      stored.catch(reject);
    });
    storageFailed.catch(() => undefined);
    const guarded = <T>(step: Promise<T>) =>
      Promise.race([step, storageFailed]);

    let rows = 0;
    try {
      const createdAt = isoNow();
      const writer = (
        plan.dataset.writers?.[plan.format] ?? WRITERS[plan.format]
      )({ plan, out, createdAt });
      const digest = new RowDigest();
      let reported = Date.now();
      for await (const page of plan.dataset.read(
        this.options.knex,
        this.query(plan),
      )) {
        digest.add(page);
        await guarded(writer.writeRows(page));
        rows += page.length;
        if (Date.now() - reported >= PROGRESS_MS) {
          reported = Date.now();
          await this.store.progress(id, this.owner, rows);
        }
      }
      await guarded(
        writer.finish({
          rowCount: rows,
          rowsSha256: digest.digest(),
          createdAt,
        }),
      );
      out.end();
      const file = await stored;
      await this.store.succeed(id, this.owner, {
        rowCount: rows,
        size: file.size,
        sha256: file.sha256,
        storageKey: key,
        expiresAt: new Date(
          Date.now() + this.settings.retentionMs,
        ).toISOString(),
      });
      logger.info('Export succeeded', {
        rows,
        bytes: file.size,
        durationMs: Date.now() - started,
      });
      recordDuration(plan, 'succeeded', started);
    } catch (error) {
      out.destroy();
      await stored.catch(() => undefined);
      const failure = describeFailure(
        storageError ?? (error as Error),
        key,
        rows,
        !!storageError,
      );
      recordDuration(plan, 'failed', started);
      await this.store.fail(id, this.owner, failure);
      logger.warn('Export failed', {
        code: failure.code,
        rows,
        error: failure.message,
      });
    }
  }

  private async getStored(id: string): Promise<StoredExport> {
    const stored = await this.store.get(id);
    if (!stored) {
      throw notFound('export_not_found', `There is no export ${id}.`);
    }
    return stored;
  }

  private toRecord(stored: StoredExport): ExportRecord {
    const { storageKey, ...record } = stored;
    const available =
      record.status === 'succeeded' &&
      storageKey !== null &&
      Date.parse(record.expiresAt) > Date.now();
    const base = this.options.baseUrl ?? '/api/recovery';
    return {
      ...record,
      downloadUrl: available ? `${base}/exports/${record.id}/content` : null,
    };
  }
}

function recordDuration(
  plan: ExportPlan,
  status: 'succeeded' | 'failed',
  started: number,
) {
  reboundMetrics.exportFinished(
    { dataset: plan.dataset.name, format: plan.format, status },
    (Date.now() - started) / 1000,
  );
}

function describeFailure(
  error: Error,
  key: string,
  rows: number,
  fromStorage: boolean,
): { code: string; message: string } {
  if (fromStorage) {
    return {
      code: 'export_storage_failed',
      message:
        `The export file ${key} could not be written to storage: ${error.message}. ` +
        'Check that the storage folder (recovery.storage.dir) exists and can be ' +
        'written, then retry the export.',
    };
  }
  const code = error instanceof ReboundError ? error.code : 'export_failed';
  return {
    code,
    message: `The export failed after ${rows} rows: ${error.message}`,
  };
}
