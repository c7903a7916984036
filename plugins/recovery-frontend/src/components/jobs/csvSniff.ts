import type { JobOptions } from '@rebound/core/client';
import { parse } from 'csv-parse/browser/esm/sync';

export type Encoding = NonNullable<JobOptions['encoding']>;

/** How much of a file is read to guess its encoding and delimiter. */
export const SAMPLE_BYTES = 64 * 1024;

export const ENCODINGS: { value: Encoding; label: string }[] = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'latin1', label: 'Latin-1 (ISO 8859-1, Windows-1252)' },
  { value: 'utf-16le', label: 'UTF-16 LE (Excel "Unicode text")' },
];

export const DELIMITERS: { value: string; label: string }[] = [
  { value: ',', label: 'Comma ,' },
  { value: ';', label: 'Semicolon ;' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe |' },
];

/** The printable name of a delimiter, for messages. */
export function delimiterName(delimiter: string): string {
  return DELIMITERS.find(d => d.value === delimiter)?.label ?? delimiter;
}

/**
 * The encoding the first bytes of a file are most likely in: UTF-16 when
 * they start with its byte-order mark or every other byte is NUL, UTF-8
 * when they decode as UTF-8, Latin-1 otherwise.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return 'utf-16le';
  }
  const pairs = Math.floor(Math.min(bytes.length, 512) / 2);
  let oddNuls = 0;
  for (let i = 0; i < pairs; i++) {
    oddNuls += bytes[2 * i + 1] === 0 ? 1 : 0;
  }
  if (pairs > 0 && oddNuls / pairs > 0.9) {
    return 'utf-16le';
  }
  try {
    // stream: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return 'utf-8';
  } catch {
    return 'latin1';
  }
}

export function decodeSample(bytes: Uint8Array, encoding: Encoding): string {
  return new TextDecoder(encoding).decode(bytes, { stream: true });
}

/** The names in the first line with this delimiter, or undefined. */
export function headerColumns(
  text: string,
  delimiter: string,
): string[] | undefined {
  const end = text.search(/\r?\n/);
  const firstLine = end < 0 ? text : text.slice(0, end);
  try {
    const [record] = parse(firstLine, {
      delimiter,
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    return record;
  } catch {
    return undefined;
  }
}

/** The delimiter that splits the first line into the most columns. */
export function detectDelimiter(text: string): string {
  let best = { delimiter: ',', count: 1 };
  for (const { value } of DELIMITERS) {
    const count = headerColumns(text, value)?.length ?? 0;
    if (count > best.count) {
      best = { delimiter: value, count };
    }
  }
  return best.delimiter;
}
