import { parse, type CsvError } from 'csv-parse';
import type { Readable } from 'node:stream';
import { PipelineError } from './PipelineError';

/** One record of the file with where it ends, for checkpoints. */
export interface SourceRecord {
  /** Data row number, from 1; the header, read from offset 0, is row 0. */
  row: number;
  values: string[];
  raw: string;
  /** Absolute byte offset just past this record: where the next starts. */
  endOffset: number;
  /** Line of the file where the record ends, from 1 (for messages). */
  line?: number;
}

export interface SourceOptions {
  /** Absolute byte offset the stream starts at. */
  startOffset: number;
  /** Rows already done before startOffset. */
  rowsBefore: number;
  delimiter?: string;
  encoding?: BufferEncoding;
  maxRecordBytes: number;
}

const CSV_ERROR_HINTS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED:
    'a quoted field is never closed; find the stray quote and close or escape it ("" inside quotes)',
  CSV_INVALID_CLOSING_QUOTE:
    'a closing quote is followed by other characters; escape quotes inside fields as ""',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'a closing quote is followed by other characters; escape quotes inside fields as ""',
};

/**
 * The letters Windows-1252 puts where Latin-1 has control codes
 * (0x80-0x9F): files saved as "ANSI" or "Latin-1" by spreadsheet
 * programs are Windows-1252, and those codes never stand in CSV text.
 * The five bytes Windows-1252 leaves undefined stay as they are.
 */
const WINDOWS_1252 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function fromWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, c =>
    WINDOWS_1252.charAt(c.charCodeAt(0) - 0x80),
  );
}

/**
 * Streams the records of a CSV file from a byte offset with csv-parse.
 * Values stay text: casting is the schema's business.
 */
export async function* readRecords(
  stream: Readable,
  options: SourceOptions,
): AsyncGenerator<SourceRecord> {
  const parser = stream.pipe(
    parse({
      info: true,
      raw: true,
      // A BOM can only stand at the start of the file.
      bom: options.startOffset === 0,
      delimiter: options.delimiter ?? ',',
      encoding: options.encoding ?? 'utf8',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: options.maxRecordBytes,
      record_delimiter: ['\r\n', '\n', '\r'],
    }),
  );
  stream.on('error', error => parser.destroy(error));

  // csv-parse decodes Latin-1 byte for byte, so byte offsets stay true;
  // the letters of Windows-1252 are put in afterwards.
  const text =
    options.encoding === 'latin1' ? fromWindows1252 : (t: string) => t;
  // From the start of the file the first record is the header: row 0.
  let row = options.startOffset === 0 ? -1 : options.rowsBefore;
  try {
    for await (const chunk of parser) {
      const { record, raw, info } = chunk as {
        record: string[];
        raw: string;
        info: { bytes: number; lines: number };
      };
      row += 1;
      yield {
        row,
        values: record.map(text),
        // csv-parse counts skipped empty lines into the next record's raw.
        raw: text(raw.replace(/^[\r\n]+/, '')),
        endOffset: options.startOffset + info.bytes,
        // Line numbers are only known when reading from the start.
        line: options.startOffset === 0 ? info.lines : undefined,
      };
    }
  } catch (error) {
    // The parser reads ahead of this loop, so the last row handed out can
    // be many rows before the bad one; the parser's own count names it.
    const parsed = (error as { records?: unknown })?.records;
    const badRow =
      typeof parsed !== 'number'
        ? row + 1
        : options.startOffset === 0
        ? parsed
        : options.rowsBefore + parsed + 1;
    throw toSourceError(
      error,
      badRow,
      options.startOffset === 0,
      options.maxRecordBytes,
    );
  } finally {
    stream.destroy();
  }
}

/** The limit on one record in words: "1 MiB (1048576 bytes)". */
function recordLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib)
    ? `${mib} MiB (${bytes} bytes)`
    : `${bytes} bytes`;
}

function toSourceError(
  error: unknown,
  row: number,
  fromStart: boolean,
  maxRecordBytes: number,
): Error {
  const csvError = error as CsvError & { lines?: number };
  if (typeof csvError?.code !== 'string' || !csvError.code.startsWith('CSV_')) {
    return error as Error;
  }
  const hint =
    csvError.code === 'CSV_MAX_RECORD_SIZE'
      ? `the record is larger than recovery.pipeline.maxRecordBytes, ` +
        `${recordLimit(maxRecordBytes)}; check for an unclosed quote, or ` +
        'raise the limit if records this long are meant'
      : CSV_ERROR_HINTS[csvError.code] ?? csvError.message;
  const where =
    fromStart && csvError.lines ? ` (line ${csvError.lines} of the file)` : '';
  return new PipelineError(
    `The file cannot be parsed at data row ${row}${where}: ${hint}.`,
    {
      code: csvError.code,
      rows: [row],
      detail: csvError.message,
      ...(csvError.code === 'CSV_MAX_RECORD_SIZE'
        ? { setting: 'recovery.pipeline.maxRecordBytes' }
        : {}),
    },
    { type: 'data_quality', cause: error },
  );
}
