import type { Writable } from 'node:stream';
import type { CellValue } from '../Dataset';
import type { ExportPlan } from '../ExportPlan';

/** What is known once every row is written, for trailers and metadata. */
export interface ExportSummary {
  rowCount: number;
  /** SHA-256 of the rows as values (see rowDigest.ts), not of the file. */
  rowsSha256: string;
  createdAt: string;
}

/**
 * Writes one format to a byte stream, a page of rows at a time; it waits
 * for the stream to drain so that a slow disk never fills memory.
 */
export interface FormatWriter {
  writeRows(rows: CellValue[][]): Promise<void>;
  finish(summary: ExportSummary): Promise<void>;
}

export interface WriterContext {
  plan: ExportPlan;
  out: Writable;
  createdAt: string;
}

export type FormatWriterFactory = (context: WriterContext) => FormatWriter;
