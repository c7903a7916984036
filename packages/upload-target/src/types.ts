/**
 * The public shapes of the upload target: fault rules, settings, statistics
 * and the handle returned by `startUploadTarget`.
 */

/** @public */
export type FaultMode = 'status' | 'timeout' | 'reset' | 'slow';

/**
 * What a fault does to one request.
 *
 * @public
 */
export interface FaultTemplate {
  /**
   * `status` answers with an error status, `timeout` never answers and hangs
   * up after `delayMs`, `reset` destroys the connection, `slow` answers
   * normally after `delayMs`.
   */
  mode: FaultMode;
  /** Status of a `status` fault; default 503. */
  status?: number;
  /** Seconds sent as the Retry-After header of a `status` fault. */
  retryAfter?: number;
  /** Wait of `slow` (default 1000) and `timeout` (default 60000), in ms. */
  delayMs?: number;
  /**
   * Store the batch first, then fail: the target did the work but the
   * client never heard, which is what makes a batch in doubt.
   */
  processBeforeFailing?: boolean;
}

/**
 * A fault waiting in the queue. Only the first matching rule of the queue is
 * consulted, so rules play out one after the other.
 *
 * @public
 */
export interface FaultRule extends FaultTemplate {
  /** Matching requests to let through before the fault starts; default 0. */
  afterRequests?: number;
  /** Matching requests to affect; default 1. */
  count?: number;
  /** Match only requests whose Idempotency-Key names this job. */
  jobId?: string;
}

/**
 * Random faults for benchmarks: the same seed and the same sequence of
 * requests give the same faults.
 *
 * @public
 */
export interface ChaosConfig {
  seed: number;
  /** Chance that a request gets a fault, from 0 to 1. */
  probability: number;
  /** Faults to draw from, each equally likely; default a plain 503. */
  modes?: FaultTemplate[];
}

/**
 * Refuses single records, as a target's own validation would. Values are
 * compared as text, because CSV values are text.
 *
 * @public
 */
export interface RejectRule {
  column: string;
  /** Refuse records whose column has this value. */
  equals?: string | number | boolean;
  /** Refuse records whose column matches this regular expression. */
  matches?: string;
}

/**
 * Settings that can change while the target runs. `null` switches one off.
 *
 * @public
 */
export interface UploadTargetConfig {
  rejectWhen: RejectRule | null;
  /** More records than this in one request get a 413. */
  maxRecordsPerRequest: number | null;
  chaos: ChaosConfig | null;
}

/** @public */
export interface UploadTargetOptions extends Partial<UploadTargetConfig> {
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1, so nothing outside sees it. */
  host?: string;
  /** Path of the bulk endpoint. Default `/bulk`. */
  path?: string;
  /** Larger request bodies get a 413. Default 64 MiB. */
  maxBodyBytes?: number;
  /** Faults queued from the start. */
  faults?: FaultRule[];
}

/** @public */
export interface JobStats {
  requests: number;
  acceptedRows: number;
  rejectedRows: number;
  /** Accepted rows that an earlier batch under another key had accepted. */
  duplicateRows: number;
  /** Requests that repeated a key already answered. */
  replays: number;
  /** Accepted rows as merged `[firstRow, lastRow]` ranges. */
  acceptedRanges: Array<[number, number]>;
}

/** @public */
export interface UploadTargetStats {
  /** Every request to the bulk endpoint, faulted or not. */
  requests: number;
  acceptedRows: number;
  rejectedRows: number;
  duplicateRows: number;
  replays: number;
  faultsInjected: number;
  jobs: Record<string, JobStats>;
}

/** @public */
export interface UploadTarget {
  /** Full URL of the bulk endpoint. */
  readonly url: string;
  /** `http://host:port`, the root of the control API. */
  readonly baseUrl: string;
  readonly port: number;
  addFault(rule: FaultRule | FaultRule[]): void;
  clearFaults(): void;
  /** Queued faults with what is left of their `afterRequests` and `count`. */
  pendingFaults(): FaultRule[];
  configure(patch: Partial<UploadTargetConfig>): void;
  config(): UploadTargetConfig;
  stats(): UploadTargetStats;
  /** Accepted records of a job, in row order. */
  records(jobId: string): Record<string, unknown>[];
  /** Forgets stored records, answers and counts; keeps faults and config. */
  reset(): void;
  close(): Promise<void>;
}
