import type { BatchKey } from './batchKey';
import { RowRanges } from './RowRanges';
import type { JobStats, UploadTargetStats } from './types';

type TargetRecord = Record<string, unknown>;

/** The first answer to a key, replayed byte for byte when the key repeats. */
export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: string;
}

interface StoredBatch {
  key: BatchKey;
  records: TargetRecord[];
}

interface JobData {
  requests: number;
  replays: number;
  acceptedRows: number;
  rejectedRows: number;
  duplicateRows: number;
  rows: RowRanges;
  batches: StoredBatch[];
}

/**
 * Everything the target has accepted, in memory: batches per job, the
 * answers given per key, and the counts that tests assert on.
 */
export class BatchStore {
  #jobs = new Map<string, JobData>();
  #answers = new Map<string, StoredAnswer>();
  #requests = 0;
  #faultsInjected = 0;

  countRequest(jobId: string | undefined): void {
    this.#requests += 1;
    if (jobId !== undefined) this.#job(jobId).requests += 1;
  }

  countFault(): void {
    this.#faultsInjected += 1;
  }

  countReplay(jobId: string): void {
    this.#job(jobId).replays += 1;
  }

  answerFor(key: BatchKey): StoredAnswer | undefined {
    return this.#answers.get(key.raw);
  }

  /** `rejected` holds indexes into `records` that were refused. */
  saveBatch(
    key: BatchKey,
    records: TargetRecord[],
    rejected: ReadonlySet<number>,
    answer: StoredAnswer,
  ): void {
    const job = this.#job(key.jobId);
    const accepted = records.filter((_, index) => !rejected.has(index));
    const rows = acceptedRows(key, records.length, rejected);

    const overlap = rows.reduce(
      (sum, [a, b]) => sum + job.rows.overlap(a, b),
      0,
    );
    rows.forEach(([first, last]) => job.rows.add(first, last));

    job.duplicateRows += Math.min(overlap, accepted.length);
    job.acceptedRows += accepted.length;
    job.rejectedRows += rejected.size;
    job.batches.push({ key, records: accepted });
    this.#answers.set(key.raw, answer);
  }

  /** Records by the row range of their batch; ties keep arrival order. */
  records(jobId: string): TargetRecord[] {
    const batches = [...(this.#jobs.get(jobId)?.batches ?? [])];
    batches.sort((a, b) => a.key.firstRow - b.key.firstRow);
    return batches.flatMap(batch => batch.records);
  }

  stats(): UploadTargetStats {
    const jobs: Record<string, JobStats> = {};
    for (const [jobId, job] of this.#jobs) jobs[jobId] = jobStats(job);

    const total = (pick: (job: JobStats) => number) =>
      Object.values(jobs).reduce((sum, job) => sum + pick(job), 0);
    return {
      requests: this.#requests,
      acceptedRows: total(job => job.acceptedRows),
      rejectedRows: total(job => job.rejectedRows),
      duplicateRows: total(job => job.duplicateRows),
      replays: total(job => job.replays),
      faultsInjected: this.#faultsInjected,
      jobs,
    };
  }

  reset(): void {
    this.#jobs.clear();
    this.#answers.clear();
    this.#requests = 0;
    this.#faultsInjected = 0;
  }

  #job(jobId: string): JobData {
    let job = this.#jobs.get(jobId);
    if (!job) {
      job = {
        requests: 0,
        replays: 0,
        acceptedRows: 0,
        rejectedRows: 0,
        duplicateRows: 0,
        rows: new RowRanges(),
        batches: [],
      };
      this.#jobs.set(jobId, job);
    }
    return job;
  }
}

/**
 * Row numbers of the accepted records. With one record per row of the key's
 * range, record i is row firstRow + i. Otherwise the client left rows out
 * (quarantined ones, say) and the target cannot tell which, so the whole
 * range counts.
 */
function acceptedRows(
  key: BatchKey,
  recordCount: number,
  rejected: ReadonlySet<number>,
): Array<[number, number]> {
  if (recordCount === rejected.size) return [];
  if (recordCount !== key.lastRow - key.firstRow + 1) {
    return [[key.firstRow, key.lastRow]];
  }

  const runs: Array<[number, number]> = [];
  for (let index = 0; index < recordCount; index++) {
    if (rejected.has(index)) continue;
    const row = key.firstRow + index;
    const last = runs[runs.length - 1];
    if (last && last[1] === row - 1) last[1] = row;
    else runs.push([row, row]);
  }
  return runs;
}

function jobStats(job: JobData): JobStats {
  return {
    requests: job.requests,
    acceptedRows: job.acceptedRows,
    rejectedRows: job.rejectedRows,
    duplicateRows: job.duplicateRows,
    replays: job.replays,
    acceptedRanges: job.rows.toArray(),
  };
}
