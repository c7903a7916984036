import type {
  Checkpoint,
  Job,
  JobProgress,
  RecoveryAttempt,
} from '../client/types';

// Rows as knex returns them: column names to driver values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const num = (value: unknown): number => Number(value ?? 0);
const json = <T>(value: unknown, fallback: T): T =>
  typeof value === 'string' && value !== '' ? JSON.parse(value) : fallback;

export function toJob(row: Row): Job {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    target: row.target,
    priority: row.priority,
    fileId: row.file_id,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    fileSize: num(row.file_size),
    fileRemovedAt: row.file_removed_at ?? null,
    columns: json(row.columns, null),
    options: json(row.options, {} as Job['options']),
    settings: json(row.settings, {} as Job['settings']),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at ?? null,
    finishedAt: row.finished_at ?? null,
    notBefore: row.not_before ?? null,
    attempts: num(row.attempts),
    version: num(row.version),
    progress: toProgress(row),
    checkpoint:
      row.cp_step !== null && row.cp_step !== undefined
        ? toCheckpoint({
            step: row.cp_step,
            rows_done: row.cp_rows_done,
            byte_offset: row.cp_byte_offset,
            batch_seq: row.cp_batch_seq,
            rows_accepted: row.cp_rows_accepted,
            rows_rejected: row.cp_rows_rejected,
            rows_quarantined: row.cp_rows_quarantined,
            in_doubt: row.cp_in_doubt,
            updated_at: row.cp_updated_at,
          })
        : null,
    failure: json(row.failure, null),
    createdBy: row.created_by ?? null,
  };
}

export function toCheckpoint(row: Row): Checkpoint {
  return {
    step: row.step,
    rowsDone: num(row.rows_done),
    byteOffset: num(row.byte_offset),
    batchSeq: num(row.batch_seq),
    rowsAccepted: num(row.rows_accepted),
    rowsRejected: num(row.rows_rejected),
    rowsQuarantined: num(row.rows_quarantined),
    inDoubt: json(row.in_doubt, null),
    updatedAt: row.updated_at,
  };
}

/** Rate and ETA come from this run only: a resumed job is not "fast". */
function toProgress(row: Row): JobProgress {
  // The checkpoint is exact; the job row's counters may trail it by a
  // second while the job runs.
  const exact = row.cp_step !== null && row.cp_step !== undefined;
  const counter = (name: string) =>
    Math.max(num(row[name]), exact ? num(row[`cp_${name}`]) : 0);
  const bytesTotal = num(row.file_size);
  const bytesDone = Math.max(
    num(row.bytes_done),
    exact && row.status !== 'succeeded' ? num(row.cp_byte_offset) : 0,
  );
  const progress: JobProgress = {
    rowsDone: counter('rows_done'),
    rowsAccepted: counter('rows_accepted'),
    rowsRejected: counter('rows_rejected'),
    rowsQuarantined: counter('rows_quarantined'),
    bytesTotal,
    bytesDone,
  };
  if (row.rows_total !== null && row.rows_total !== undefined) {
    progress.rowsTotal = num(row.rows_total);
  }
  if (row.status === 'succeeded') {
    progress.percent = 100;
  } else if (bytesTotal > 0) {
    progress.percent = Math.min(
      99.9,
      Math.round((bytesDone / bytesTotal) * 1000) / 10,
    );
  }
  if (row.status === 'running' && row.run_started_at) {
    const seconds = (Date.now() - Date.parse(row.run_started_at)) / 1000;
    const rows = progress.rowsDone - num(row.run_rows_start);
    const bytes = bytesDone - num(row.run_bytes_start);
    if (seconds > 0 && rows > 0) {
      progress.rowsPerSecond = Math.round(rows / seconds);
      const bytesPerSecond = bytes / seconds;
      if (bytesPerSecond > 0) {
        progress.etaSeconds = Math.ceil(
          (bytesTotal - bytesDone) / bytesPerSecond,
        );
      }
    }
  }
  return progress;
}

export function toRecoveryAttempt(row: Row): RecoveryAttempt {
  return {
    id: row.id,
    jobId: row.job_id,
    attempt: num(row.attempt),
    trigger: row.trigger,
    target: row.target,
    failureType: row.failure_type,
    strategy: row.strategy,
    plan: json(row.plan, {} as RecoveryAttempt['plan']),
    status: row.status,
    outcome: row.outcome ?? null,
    requestedBy: row.requested_by ?? null,
    createdAt: row.created_at,
    startedAt: row.started_at ?? null,
    finishedAt: row.finished_at ?? null,
    durationMs:
      row.duration_ms === null || row.duration_ms === undefined
        ? null
        : num(row.duration_ms),
    rowsProcessed:
      row.rows_processed === null || row.rows_processed === undefined
        ? null
        : num(row.rows_processed),
  };
}
