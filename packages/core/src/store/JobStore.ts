import type { Knex } from 'knex';
import type {
  Checkpoint,
  Failure,
  FailureType,
  InDoubtBatch,
  Job,
  JobOptions,
  JobSettings,
  JobStatus,
  JobType,
  Page,
  Priority,
  RecoveryAttempt,
  RecoveryAttemptStatus,
  RowError,
} from '../client/types';

/** @public */
export interface SourceFile {
  id: string;
  name: string;
  size: number;
  sha256: string;
  storageKey: string;
  createdAt: string;
  /** When the retention removed the file from storage; null while kept. */
  removedAt?: string | null;
}

/** @public */
export interface NewJob {
  type: JobType;
  target: string;
  priority: Priority;
  file: SourceFile;
  columns: string[];
  options: JobOptions;
  settings: JobSettings;
  createdBy?: string;
}

/** @public */
export interface JobFilter {
  /** One status, or any of several. */
  status?: JobStatus | JobStatus[];
  type?: JobType;
  target?: string;
  failureType?: FailureType;
  /** The jobs of one file, by its SHA-256 (lower-case hex). */
  fileSha256?: string;
  ids?: string[];
  limit?: number;
  cursor?: string;
}

/** Fields a transition may change besides status and version. @public */
export interface JobPatch {
  priority?: Priority;
  settings?: JobSettings;
  attempts?: number;
  notBefore?: string | null;
  failure?: Failure | null;
  finishedAt?: string | null;
  currentAttemptId?: string | null;
}

/** Progress counters the pipeline writes with each batch. @public */
export interface ProgressUpdate {
  rowsDone: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsQuarantined: number;
  bytesDone: number;
  rowsTotal?: number;
}

/** @public */
export interface CheckpointWrite extends ProgressUpdate {
  step: Checkpoint['step'];
  byteOffset: number;
  batchSeq: number;
  inDoubt: InDoubtBatch | null;
}

/** @public */
export interface NewRowError extends Omit<RowError, 'jobId'> {
  raw?: string;
}

/** @public */
export interface NewRecoveryAttempt
  extends Omit<
    RecoveryAttempt,
    | 'id'
    | 'createdAt'
    | 'startedAt'
    | 'finishedAt'
    | 'durationMs'
    | 'rowsProcessed'
    | 'outcome'
  > {
  id?: string;
  outcome?: string | null;
}

/** @public */
export interface AttemptFilter {
  jobId?: string;
  target?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Persistence of jobs and everything that hangs off them. Every status
 * change is a compare-and-set on (id, status, version); every write of a
 * running job's worker is guarded by its lease.
 *
 * @public
 */
export interface JobStore {
  readonly knex: Knex;

  insertSourceFile(file: SourceFile): Promise<void>;
  getSourceFile(id: string): Promise<SourceFile | undefined>;
  /**
   * Source files past their retention, oldest first: not removed yet,
   * with jobs, and every one of those jobs succeeded or cancelled before
   * `finishedBefore`. The file of a job that may still run or be
   * recovered is never among them.
   */
  listExpiredSourceFiles(
    finishedBefore: string,
    limit: number,
  ): Promise<SourceFile[]>;
  /** Records that a source file was removed from storage at `at`. */
  markSourceFileRemoved(id: string, at: string): Promise<void>;

  createJob(job: NewJob): Promise<Job>;
  getJob(id: string): Promise<Job | undefined>;
  listJobs(filter: JobFilter): Promise<Page<Job>>;
  /** Jobs by status for sweeps, by priority then age. */
  listByStatus(status: JobStatus, limit: number): Promise<Job[]>;

  /** Compare-and-set; throws a conflict error when another change won. */
  transition(
    job: Pick<Job, 'id' | 'status' | 'version'>,
    to: JobStatus,
    patch?: JobPatch,
  ): Promise<Job>;

  /** Claims the next due pending job for a worker, or none. */
  claimNext(owner: string, leaseMs: number): Promise<Job | undefined>;
  renewLease(jobId: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Runs fn in a transaction that holds the job's lease, or throws. */
  withLease<T>(
    jobId: string,
    owner: string,
    fn: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T>;
  /**
   * Moves a running job's checkpoint in one transaction: the lease check
   * (which also writes the progress counters), the sink's own writes, the
   * row errors, and the checkpoint row. Throws LeaseLostError, writing
   * nothing, when owner no longer holds the job.
   */
  commitCheckpoint(
    jobId: string,
    owner: string,
    checkpoint: CheckpointWrite,
    options?: {
      rowErrors?: NewRowError[];
      write?: (trx: Knex.Transaction) => Promise<void>;
    },
  ): Promise<void>;
  setColumns(
    trx: Knex.Transaction,
    jobId: string,
    columns: string[],
  ): Promise<void>;
  writeCheckpoint(
    trx: Knex.Transaction,
    jobId: string,
    checkpoint: CheckpointWrite,
  ): Promise<void>;
  insertRowErrors(
    trx: Knex.Transaction,
    jobId: string,
    errors: NewRowError[],
  ): Promise<void>;
  /** Ends a running job held by owner: succeeded or failed. */
  finishRun(
    jobId: string,
    owner: string,
    to: 'succeeded' | 'failed',
    failure: Failure | null,
    /** The recovery attempt this run carried out, ended in the same step. */
    attempt?: { id: string; outcome: string; rowsProcessed?: number },
  ): Promise<Job | undefined>;
  /** Running jobs whose lease expired become failed / interrupted. */
  reapExpiredLeases(failure: (job: Job) => Failure): Promise<Job[]>;

  listRowErrors(
    jobId: string,
    options: { limit?: number; cursor?: string; kind?: RowError['kind'] },
  ): Promise<Page<RowError & { raw?: string }>>;

  createAttempt(attempt: NewRecoveryAttempt): Promise<RecoveryAttempt>;
  updateAttempt(
    id: string,
    status: RecoveryAttemptStatus,
    fields?: { outcome?: string; rowsProcessed?: number; started?: boolean },
  ): Promise<void>;
  getAttempt(id: string): Promise<RecoveryAttempt | undefined>;
  listAttempts(filter: AttemptFilter): Promise<Page<RecoveryAttempt>>;
  /**
   * The job's latest recovery attempts whose run started (not those that
   * only handed the job to a person), newest first, for the attempt cap.
   */
  listRunAttempts(jobId: string, limit: number): Promise<RecoveryAttempt[]>;
  countAttemptsSince(
    target: string,
    since: string,
    triggers: RecoveryAttempt['trigger'][],
  ): Promise<number>;
  /** Success counts by failure type, for a plan's estimated success. */
  attemptOutcomesByFailureType(
    failureType: FailureType,
  ): Promise<{ succeeded: number; finished: number }>;
}
