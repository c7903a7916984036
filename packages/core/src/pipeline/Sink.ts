import type { Knex } from 'knex';
import type { NewRowError } from '../store/JobStore';
import type { RowData } from './schema';

/** Rows read from the file and bound for the sink, with their range. */
export interface Batch {
  seq: number;
  firstRow: number;
  lastRow: number;
  /** Byte offset just past lastRow: the checkpoint after this batch. */
  endOffset: number;
  records: { row: number; data: RowData }[];
  /** Rows of the range set aside before loading. */
  quarantined: NewRowError[];
  idempotencyKey: string;
  /** Replay of a batch whose outcome was unknown. */
  replay: boolean;
}

/** A record the sink refused on its own, with the reason. */
export interface Refusal {
  row: number;
  message: string;
  code: string;
  /** Refused by the target (rejected) or found invalid (quarantined). */
  kind: NewRowError['kind'];
}

/** What a sink may do to make a batch durable. */
export interface BatchCommit {
  /** Records the batch as in doubt before it leaves the process. */
  markInDoubt(): Promise<void>;
  /** Advances the checkpoint; write runs in the same transaction. */
  commit(
    refusals: Refusal[],
    write?: (trx: Knex.Transaction) => Promise<void>,
  ): Promise<void>;
  /** The batch was refused as a whole: it is no longer in doubt. */
  clearInDoubt(): Promise<void>;
}

/** Where loaded rows go: a table or an HTTP target. */
export interface Sink {
  /**
   * The sink sends batches out of the process, where their outcome can
   * be unknown: each commit marks the next batch in doubt before it goes.
   */
  readonly marksAhead?: boolean;
  prepare?(): Promise<void>;
  load(batch: Batch, commit: BatchCommit, signal: AbortSignal): Promise<void>;
}
