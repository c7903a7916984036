import type { Knex } from 'knex';
import type { InDoubtBatch, Job } from '../client/types';
import { ReboundError } from '../errors';
import type { Logger } from '../logger';
import type { JobStore, NewRowError } from '../store/JobStore';
import type { StorageService } from '../storage/StorageService';
import type { TargetRegistry } from '../targets/TargetRegistry';
import { readRecords, type SourceRecord } from './csvSource';
import { PipelineError } from './PipelineError';
import { readHead, whyNotCsv } from './sniff';
import { applyTransforms, checkHeader, validateRecord } from './schema';
import type { Batch, BatchCommit, Refusal, Sink } from './Sink';
import { HttpSink } from './sinks/HttpSink';
import { TableSink } from './sinks/TableSink';

/** @public */
export interface RunContext {
  store: JobStore;
  storage: StorageService;
  targets: TargetRegistry;
  /** The worker holding the job's lease. */
  owner: string;
  signal: AbortSignal;
  logger: Logger;
  maxRecordBytes: number;
  /**
   * Off only to measure what durability costs (bench/): no checkpoints,
   * no in-doubt markers, no lease checks.
   */
  durable?: boolean;
}

/** @public */
export interface RunResult {
  rowsDone: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsQuarantined: number;
  /** Rows this run read; a resumed run reads only what was left. */
  rowsRead: number;
  resumedFrom: { row: number; byteOffset: number };
}

interface Counters {
  rowsDone: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsQuarantined: number;
  byteOffset: number;
  batchSeq: number;
}

type BatchRecord = Batch['records'][number] & { raw: string };

/**
 * Runs a claimed job from its checkpoint to the end of the file. Throws
 * a PipelineError (or a lease error) when the run cannot finish.
 *
 * @public
 */
export async function runJob(job: Job, ctx: RunContext): Promise<RunResult> {
  const file = await verifySource(job, ctx);
  const sink = createSink(job, ctx);
  await sink.prepare?.();

  const checkpoint = job.checkpoint;
  const counters: Counters = {
    rowsDone: checkpoint?.rowsDone ?? 0,
    rowsAccepted: checkpoint?.rowsAccepted ?? 0,
    rowsRejected: checkpoint?.rowsRejected ?? 0,
    rowsQuarantined: checkpoint?.rowsQuarantined ?? 0,
    byteOffset: checkpoint?.byteOffset ?? 0,
    batchSeq: checkpoint?.batchSeq ?? 0,
  };
  const resumedFrom = {
    row: counters.rowsDone,
    byteOffset: counters.byteOffset,
  };
  let columns = counters.byteOffset > 0 ? job.columns : null;
  let inDoubtLastRow = checkpoint?.inDoubt?.lastRow;
  // The in-doubt mark the checkpoint holds now, if any.
  const marker: MarkerState = { current: checkpoint?.inDoubt ?? null };
  // The first invalid rows of this run, for the message of a failure.
  const problems: NewRowError[] = [];
  let rowsRead = 0;

  if (counters.byteOffset === 0) {
    await refuseNotCsv(job, ctx, file.storageKey);
  }
  const stream = await ctx.storage.read(file.storageKey, {
    start: counters.byteOffset,
  });
  const records = readRecords(stream, {
    startOffset: counters.byteOffset,
    rowsBefore: counters.rowsDone,
    delimiter: job.options.delimiter,
    encoding: toBufferEncoding(job.options.encoding),
    maxRecordBytes: ctx.maxRecordBytes,
  });

  let pending: { records: BatchRecord[]; quarantined: NewRowError[] } = {
    records: [],
    quarantined: [],
  };
  let firstRow = counters.rowsDone + 1;
  let lastRecord: SourceRecord | undefined;

  const flush = async () => {
    if (!lastRecord) {
      return;
    }
    const batch: Batch = {
      seq: counters.batchSeq + 1,
      firstRow,
      lastRow: lastRecord.row,
      endOffset: lastRecord.endOffset,
      records: pending.records,
      quarantined: pending.quarantined,
      idempotencyKey: `${job.id}:${firstRow}-${lastRecord.row}`,
      replay: inDoubtLastRow !== undefined,
    };
    await loadBatch(job, ctx, sink, batch, counters, marker);
    problems.push(...batch.quarantined.slice(0, 10 - problems.length));
    checkInvalidShare(job, counters, batch.quarantined, false);
    inDoubtLastRow = undefined;
    firstRow = lastRecord.row + 1;
    lastRecord = undefined;
    pending = { records: [], quarantined: [] };
  };

  for await (const record of records) {
    if (ctx.signal.aborted) {
      throw ctx.signal.reason;
    }
    if (!columns) {
      columns = await acceptHeader(job, ctx, record);
      // The header is not a data row.
      firstRow = 1;
      continue;
    }
    rowsRead += 1;
    lastRecord = record;
    addRecord(job, columns, record, pending);
    // An in-doubt batch is replayed with exactly its rows, whatever the
    // batch size is now.
    const end = inDoubtLastRow ?? firstRow + job.settings.batchSize - 1;
    if (record.row >= end) {
      await flush();
    }
  }
  await flush();
  if (marker.current && ctx.durable !== false) {
    // The mark planned for a batch after the last one: no such batch.
    await commitCheckpoint(job, ctx, counters, null);
  }

  if (columns) {
    checkInvalidShare(job, counters, problems, true);
  }
  if (!columns) {
    throw new PipelineError(
      'The file has no header row: it is empty. Upload a CSV whose first line names the columns.',
      { code: 'empty_file' },
      { type: 'data_quality' },
    );
  }
  return { ...counters, rowsRead, resumedFrom };
}

async function verifySource(job: Job, ctx: RunContext) {
  const file = await ctx.store.getSourceFile(job.fileId);
  const dataLoss = (message: string) =>
    new PipelineError(
      message,
      { code: 'source_changed' },
      { type: 'data_loss' },
    );
  if (file?.removedAt) {
    throw dataLoss(
      `The source file of job ${job.id} (${job.fileName}) was removed from ` +
        `storage on ${file.removedAt} (recovery.storage.sourceRetention); ` +
        'upload it again as a new job.',
    );
  }
  if (!file || (await ctx.storage.size(file.storageKey)) === undefined) {
    throw dataLoss(
      `The source file of job ${job.id} (${job.fileName}) is missing from ` +
        'storage; upload it again as a new job.',
    );
  }
  if ((await ctx.storage.sha256(file.storageKey)) !== file.sha256) {
    throw dataLoss(
      `The source file of job ${job.id} (${job.fileName}) changed since it ` +
        `was uploaded (SHA-256 ${file.sha256} expected); Rebound will not ` +
        'process a different file. Upload the new file as a new job.',
    );
  }
  return file;
}

/**
 * Uploads are checked when they arrive; a job that reached a worker some
 * other way is checked before its first row, so that a JSON or binary
 * file loads nothing.
 */
async function refuseNotCsv(job: Job, ctx: RunContext, key: string) {
  const head = await readHead(await ctx.storage.read(key));
  const notCsv = whyNotCsv(head, job.fileName, job.options.encoding);
  if (notCsv) {
    throw new PipelineError(
      notCsv,
      { code: 'not_csv' },
      { type: 'data_quality' },
    );
  }
}

function createSink(job: Job, ctx: RunContext): Sink {
  const target = ctx.targets.forJob(job.type, job.target);
  if (target.type === 'table') {
    return new TableSink(ctx.store.knex, target, job.id);
  }
  return new HttpSink(job.target, target, job.id, {
    timeoutMs: job.settings.timeoutMs,
    isolateRejectedRows: job.settings.isolateRejectedRows,
  });
}

async function acceptHeader(
  job: Job,
  ctx: RunContext,
  record: SourceRecord,
): Promise<string[]> {
  try {
    checkHeader(record.values);
  } catch (error) {
    throw new PipelineError(
      (error as Error).message,
      { code: (error as ReboundError).code },
      { type: 'data_quality' },
    );
  }
  if (!sameColumns(job.columns, record.values)) {
    await ctx.store
      .knex('jobs')
      .where({ id: job.id })
      .update({ columns: JSON.stringify(record.values) });
  }
  return record.values;
}

function sameColumns(a: string[] | null, b: string[]): boolean {
  return !!a && a.length === b.length && a.every((v, i) => v === b[i]);
}

function addRecord(
  job: Job,
  columns: string[],
  record: SourceRecord,
  pending: { records: BatchRecord[]; quarantined: NewRowError[] },
) {
  const { data, problems } = validateRecord(
    columns,
    record.values,
    job.options.schema,
  );
  const raw = record.raw.replace(/\r?\n$|\r$/, '');
  if (problems.length === 0) {
    pending.records.push({
      row: record.row,
      data: applyTransforms(data, job.options.transforms ?? []),
      raw,
    });
    return;
  }
  for (const problem of problems) {
    pending.quarantined.push({
      row: record.row,
      kind: 'quarantined',
      raw,
      ...problem,
    });
  }
}

interface MarkerState {
  current: InDoubtBatch | null;
}

/** One transaction: the lease check, the sink's rows, errors, checkpoint. */
function commitCheckpoint(
  job: Job,
  ctx: RunContext,
  counters: Counters,
  inDoubt: InDoubtBatch | null,
  options: {
    rowErrors?: NewRowError[];
    write?: (trx: Knex.Transaction) => Promise<void>;
  } = {},
) {
  return ctx.store.commitCheckpoint(
    job.id,
    ctx.owner,
    { step: 'load', ...counters, bytesDone: counters.byteOffset, inDoubt },
    options,
  );
}

async function loadBatch(
  job: Job,
  ctx: RunContext,
  sink: Sink,
  batch: Batch,
  counters: Counters,
  marker: MarkerState,
) {
  const durable = ctx.durable !== false;
  const ownMark = { firstRow: batch.firstRow, lastRow: batch.lastRow };
  const commit: BatchCommit = {
    markInDoubt: async () => {
      // Usually the commit of the batch before already marked this one.
      if (!durable || marker.current?.firstRow === batch.firstRow) {
        return;
      }
      await commitCheckpoint(job, ctx, counters, ownMark);
      marker.current = ownMark;
    },
    clearInDoubt: async () => {
      if (durable) {
        await commitCheckpoint(job, ctx, counters, null);
        marker.current = null;
      }
    },
    commit: async (refusals, write) => {
      const next = advance(counters, batch, refusals);
      if (!durable) {
        if (write) {
          await ctx.store.knex.transaction(write);
        }
        Object.assign(counters, next);
        return;
      }
      // A sink that sends batches away marks the next one in doubt in
      // this same transaction, so each batch costs one commit, not two.
      // A replay reads the same rows (the file is fixed by its SHA-256)
      // and so repeats the same Idempotency-Key.
      const planned = sink.marksAhead
        ? {
            firstRow: batch.lastRow + 1,
            lastRow: batch.lastRow + job.settings.batchSize,
          }
        : null;
      await commitCheckpoint(job, ctx, next, planned, {
        rowErrors: rowErrorsOf(batch, refusals),
        write,
      });
      marker.current = planned;
      Object.assign(counters, next);
    },
  };
  await sink.load(batch, commit, ctx.signal);
}

function advance(
  counters: Counters,
  batch: Batch,
  refusals: Refusal[],
): Counters {
  const rejected = refusals.filter(r => r.kind === 'rejected').length;
  const quarantinedByTarget = refusals.length - rejected;
  const quarantinedRows = new Set(batch.quarantined.map(q => q.row)).size;
  return {
    rowsDone: batch.lastRow,
    rowsAccepted:
      counters.rowsAccepted + batch.records.length - refusals.length,
    rowsRejected: counters.rowsRejected + rejected,
    rowsQuarantined:
      counters.rowsQuarantined + quarantinedRows + quarantinedByTarget,
    byteOffset: batch.endOffset,
    batchSeq: batch.seq,
  };
}

function rowErrorsOf(batch: Batch, refusals: Refusal[]): NewRowError[] {
  const raws = new Map(
    (batch.records as BatchRecord[]).map(r => [r.row, r.raw]),
  );
  return [
    ...batch.quarantined,
    ...refusals.map(refusal => ({
      row: refusal.row,
      code: refusal.code,
      message: refusal.message,
      kind: refusal.kind,
      raw: raws.get(refusal.row),
    })),
  ].sort((a, b) => a.row - b.row);
}

/**
 * Invalid rows are set aside and the file goes on. Past a limit the job
 * stops early, since the file (or the schema) is likely wrong; at the end
 * of the file the share of invalid rows must be within maxInvalidShare.
 * Either way the valid rows already loaded stay loaded.
 */
function checkInvalidShare(
  job: Job,
  counters: Counters,
  problems: NewRowError[],
  final: boolean,
) {
  const { settings } = job;
  const byShare = Math.floor(settings.maxInvalidShare * counters.rowsDone);
  const allowed = final ? byShare : Math.max(settings.maxInvalidRows, byShare);
  if (counters.rowsQuarantined <= allowed) {
    return;
  }
  const malformed = problems.length
    ? problems.some(
        p => p.code === 'field_count' || p.code === 'invalid_encoding',
      )
    : job.failure?.type === 'data_quality';
  const columns = problems.map(p => p.column).filter(Boolean) as string[];
  const column = mostCommon(columns);
  const sample = [...new Set(problems.map(p => p.row))].slice(0, 10);
  const where = final
    ? `more than maxInvalidShare ${settings.maxInvalidShare} allows once the whole file is read; the valid rows are loaded`
    : `more than the ${allowed} allowed (maxInvalidShare ${settings.maxInvalidShare}); stopped after row ${counters.rowsDone}`;
  throw new PipelineError(
    `${counters.rowsQuarantined} of ${counters.rowsDone} rows are invalid, ${where}.` +
      (sample.length
        ? ` Invalid rows of the last batch read: ${sample.join(', ')} (${
            problems[0].message
          }).`
        : '') +
      ' See the row errors of the job.',
    {
      code: malformed ? 'too_many_malformed_rows' : 'too_many_invalid_rows',
      rows: sample,
      setting: 'maxInvalidShare',
      ...(column ? { column } : {}),
    },
    { type: malformed ? 'data_quality' : 'validation_error' },
  );
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function toBufferEncoding(
  encoding: Job['options']['encoding'],
): BufferEncoding {
  switch (encoding) {
    case 'latin1':
      return 'latin1';
    case 'utf-16le':
      return 'utf16le';
    default:
      return 'utf8';
  }
}
