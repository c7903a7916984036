/**
 * Wire types of the REST API (see docs/api.md and the backend's
 * openapi.yaml). Isomorphic: no Node-only imports here.
 */

/** @public */
export type JobType = 'csv_import' | 'api_upload';

/** @public */
export type JobStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'manual_intervention_required'
  | 'cancelled';

/** @public */
export type Priority = 'critical' | 'high' | 'normal' | 'low';

/** @public */
export const PRIORITIES: readonly Priority[] = [
  'critical',
  'high',
  'normal',
  'low',
];

/** @public */
export type FailureType =
  | 'timeout'
  | 'network_error'
  | 'temporary_resource'
  | 'interrupted'
  | 'memory'
  | 'data_quality'
  | 'validation_error'
  | 'security'
  | 'configuration_error'
  | 'data_loss'
  | 'unknown';

/** @public */
export type Recoverability = 'high' | 'medium' | 'low' | 'unknown';

/** @public */
export interface FailureEvidence {
  code?: string;
  httpStatus?: number;
  rows?: number[];
  column?: string;
  retryAfterSeconds?: number;
  setting?: string;
  detail?: string;
}

/** @public */
export interface Failure {
  type: FailureType;
  message: string;
  recoverability: Recoverability;
  confidence: number;
  evidence: FailureEvidence;
  at: string;
}

/** @public */
export interface JobProgress {
  rowsTotal?: number;
  rowsDone: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsQuarantined: number;
  bytesTotal: number;
  bytesDone: number;
  percent?: number;
  rowsPerSecond?: number;
  etaSeconds?: number;
}

/** @public */
export interface Checkpoint {
  step: PipelineStep;
  rowsDone: number;
  byteOffset: number;
  batchSeq: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsQuarantined: number;
  /** The batch whose outcome is unknown; it is replayed first. */
  inDoubt: InDoubtBatch | null;
  updatedAt: string;
}

/** @public */
export interface InDoubtBatch {
  /**
   * The rows of the batch that goes out next or went out without an
   * answer: a resumed run sends exactly these first, under the key
   * `<jobId>:<firstRow>-<last row read>` (the file may end before lastRow).
   */
  firstRow: number;
  lastRow: number;
}

/** @public */
export type PipelineStep = 'parse' | 'validate' | 'transform' | 'load';

/** @public */
export interface JobSettings {
  batchSize: number;
  timeoutMs: number;
  /** Share of rows that may be quarantined as invalid before the job fails. */
  maxInvalidShare: number;
  /** Invalid rows always tolerated, whatever the share. */
  maxInvalidRows: number;
  /** Split a batch the target refuses as a whole to find the bad rows. */
  isolateRejectedRows: boolean;
  /**
   * False when a person's batch recovery asked that a failure after it be
   * left to a person: the automatic recovery then skips the job. Missing
   * (every job before the flag existed) means automatic retry is allowed.
   */
  autoRetry?: boolean;
}

/** @public */
export interface Job {
  id: string;
  type: JobType;
  status: JobStatus;
  target: string;
  priority: Priority;
  fileId: string;
  fileName: string;
  fileSha256: string;
  fileSize: number;
  /**
   * When the stored source file was removed, after the job ended and
   * `recovery.storage.sourceRetention` passed; null while it is kept.
   */
  fileRemovedAt?: string | null;
  columns: string[] | null;
  options: JobOptions;
  settings: JobSettings;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  notBefore: string | null;
  attempts: number;
  version: number;
  progress: JobProgress;
  checkpoint: Checkpoint | null;
  failure: Failure | null;
  createdBy: string | null;
}

/** @public */
export type ColumnType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'enum';

/** @public */
export interface ColumnRule {
  type?: ColumnType;
  required?: boolean;
  pattern?: string;
  values?: string[];
}

/** @public */
export interface JobSchema {
  columns: Record<string, ColumnRule>;
  /** Columns of the file not named in the schema are an error. */
  strict?: boolean;
}

/** @public */
export type Transform =
  | { column: string; op: 'trim' | 'lowercase' | 'uppercase' }
  | { column: string; op: 'rename'; to: string }
  | { column: string; op: 'default'; value: string }
  | { column: string; op: 'drop' };

/** @public */
export interface JobOptions {
  type: JobType;
  target: string;
  batchSize?: number;
  priority?: Priority;
  schema?: JobSchema;
  delimiter?: string;
  encoding?: 'utf-8' | 'latin1' | 'utf-16le';
  transforms?: Transform[];
}

/** @public */
export interface RowError {
  jobId: string;
  row: number;
  column?: string;
  code: string;
  message: string;
  value?: string;
  kind: 'quarantined' | 'rejected';
}

/** @public */
export type RecoveryStrategy =
  | 'automatic_retry'
  | 'retry_with_adjustments'
  | 'manual_intervention'
  | 'investigation_required';

/** @public */
export interface Adjustments {
  batchSize?: number;
  timeoutMs?: number;
  concurrency?: number;
  maxInvalidShare?: number;
  isolateRejectedRows?: boolean;
}

/** @public */
export interface RecoveryPlan {
  jobId: string;
  strategy: RecoveryStrategy;
  failureType: FailureType;
  automatic: boolean;
  reason: string;
  adjustments: Adjustments;
  delayMs: number;
  estimatedSuccess: number;
  resumeFrom: { row: number; byteOffset: number; replayInDoubt: boolean };
  actions: string[];
  /** The job's recoveries so far plus this one. */
  attempt: number;
  /** Recoveries in a row without progress before a person is needed. */
  maxAttempts: number;
  /**
   * The job's latest recoveries in a row that left the checkpoint where
   * they resumed it; the count `maxAttempts` caps.
   */
  stalledAttempts?: number;
  /**
   * Recoveries of one job in all, progress or not, before a person is
   * needed.
   */
  maxTotalAttempts?: number;
}

/** @public */
export interface FailureAnalysis {
  jobId: string;
  status: JobStatus;
  failure: Failure | null;
  plan: RecoveryPlan | null;
  recoverable: boolean;
  reason?: string;
  history: { attempts: number; lastOutcome: RecoveryAttemptStatus | null };
}

/** @public */
export type RecoveryAttemptStatus =
  | 'scheduled'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'manual'
  | 'cancelled';

/** @public */
export type RecoveryTrigger = 'manual' | 'automatic' | 'batch';

/** @public */
export interface RecoveryAttempt {
  id: string;
  jobId: string;
  attempt: number;
  trigger: RecoveryTrigger;
  target: string;
  failureType: FailureType;
  strategy: RecoveryStrategy;
  plan: RecoveryPlan;
  status: RecoveryAttemptStatus;
  outcome: string | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  rowsProcessed: number | null;
}

/** @public */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** @public */
export interface RecoverRequest {
  priority?: Priority;
  adjustments?: Adjustments;
}

/** @public */
export interface BatchRecoveryRequest {
  jobIds?: string[];
  filter?: { status?: JobStatus; failureType?: FailureType; target?: string };
  concurrency?: number;
  priority?: Priority;
  dryRun?: boolean;
  /** Wait for each recovered job to finish before reporting it. */
  wait?: boolean;
  /**
   * Whether the automatic recovery may retry a job again when this
   * recovery fails; default true. False leaves such a job failed for a
   * person.
   */
  autoRetry?: boolean;
  /**
   * Retry the jobs whose plan leaves them to a person (a failure of no
   * known type, credentials, a URL) as a person's own recovery of each
   * would, for when the person asking has fixed the cause; default false.
   * A job whose file must change stays manual.
   */
  includeManual?: boolean;
}

/** @public */
export type TargetType = 'table' | 'http';

/**
 * A configured upload target as GET /targets shows it: what a new job on
 * it runs with, never its URL, headers or credentials.
 *
 * @public
 */
export interface TargetInfo {
  name: string;
  type: TargetType;
  /** Rows per batch of a job that gives no batchSize of its own. */
  batchSize: number;
  timeoutMs: number;
}

/** @public */
export interface BatchRecoveryItem {
  jobId: string;
  priority: Priority;
  reason: string;
  plan?: RecoveryPlan;
  status?: JobStatus;
}

/** @public */
export interface BatchRecoveryResult {
  dryRun: boolean;
  successful: BatchRecoveryItem[];
  failed: BatchRecoveryItem[];
  skipped: BatchRecoveryItem[];
}
