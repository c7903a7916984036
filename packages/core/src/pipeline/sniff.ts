import type { Readable } from 'node:stream';
import type { JobOptions } from '../client/types';

/** How much of a file is read to tell whether it can be CSV. */
export const SNIFF_BYTES = 64 * 1024;

/** The first bytes of a file, and whether they are all of it. */
export interface FileHead {
  bytes: Buffer;
  complete: boolean;
}

/** Reads up to SNIFF_BYTES from the start of a stream, then closes it. */
export async function readHead(stream: Readable): Promise<FileHead> {
  const chunks: Buffer[] = [];
  let length = 0;
  let complete = true;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length > SNIFF_BYTES) {
        complete = false;
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  const bytes = Buffer.concat(chunks);
  return { bytes: bytes.subarray(0, SNIFF_BYTES), complete };
}

/**
 * Why a file is clearly not CSV text, or undefined when it may be CSV.
 * Only two things count: NUL bytes (a spreadsheet, an archive, UTF-16
 * sent without its encoding) and a file that is JSON or JSON Lines, i.e.
 * starts with `{` or `[` and reads as JSON. A file that starts like CSV
 * is never refused here.
 */
export function whyNotCsv(
  head: FileHead,
  fileName: string,
  encoding: JobOptions['encoding'],
): string | undefined {
  const { bytes } = head;
  if (encoding !== 'utf-16le' && bytes.subarray(0, 8192).includes(0)) {
    const utf16 =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? ' It starts like UTF-16 text: upload it again with the encoding utf-16le (`encoding` in the options).'
        : '';
    return (
      `The file '${fileName}' holds NUL bytes, so it is not a CSV text ` +
      'file (is it a spreadsheet or an archive?). Export it as CSV (UTF-8) ' +
      'and upload that.' +
      utf16
    );
  }
  const text = decode(bytes, encoding).replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (!start.startsWith('{') && !start.startsWith('[')) {
    return undefined;
  }
  const kind = readsAsJson(start, head.complete);
  if (!kind) {
    return undefined;
  }
  return (
    `The file '${fileName}' is ${kind}, not CSV: it starts with ` +
    `'${start[0]}' and ${
      head.complete
        ? 'parses as JSON'
        : `its first ${Math.round(SNIFF_BYTES / 1024)} KiB read as JSON`
    }. Rebound imports CSV only: export the data as CSV (a header line ` +
    'naming the columns, then one line per row) and upload that file.'
  );
}

function decode(bytes: Buffer, encoding: JobOptions['encoding']): string {
  // The head may end inside a character; the few bytes lost do not matter.
  switch (encoding) {
    case 'latin1':
      return bytes.toString('latin1');
    case 'utf-16le':
      return bytes.toString('utf16le');
    default:
      return bytes.toString('utf8');
  }
}

/** 'JSON', 'JSON Lines', or undefined when the text is not JSON. */
function readsAsJson(
  text: string,
  complete: boolean,
): 'JSON' | 'JSON Lines' | undefined {
  if (!complete) {
    return isJsonPrefix(text) ? 'JSON' : undefined;
  }
  if (parses(text)) {
    return 'JSON';
  }
  const lines = text.split(/\r?\n/).filter(line => line.trim() !== '');
  return lines.length > 1 && lines.every(parses) ? 'JSON Lines' : undefined;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'next';

/** The text ends inside the value: a prefix of JSON so far. */
const RUNS_ON = -1;
/** No JSON value can be read there. */
const INVALID = -2;

/**
 * Whether text is the beginning of JSON (or JSON Lines) with no syntax
 * error before it ends: the test for a file too large to parse whole.
 */
export function isJsonPrefix(text: string): boolean {
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    switch (expect) {
      case 'key':
      case 'keyOrEnd':
        if (expect === 'keyOrEnd' && c === '}') {
          stack.pop();
          i += 1;
          expect = afterValue(stack);
          break;
        }
        if (c !== '"') {
          return false;
        }
        i = endOfString(text, i);
        if (i < 0) {
          return i === RUNS_ON;
        }
        expect = 'colon';
        break;
      case 'colon':
        if (c !== ':') {
          return false;
        }
        i += 1;
        expect = 'value';
        break;
      case 'next':
        if (c === ',') {
          expect = stack[stack.length - 1] === '{' ? 'key' : 'value';
        } else if (
          (c === '}' && stack[stack.length - 1] === '{') ||
          (c === ']' && stack[stack.length - 1] === '[')
        ) {
          stack.pop();
          expect = afterValue(stack);
        } else {
          return false;
        }
        i += 1;
        break;
      default: {
        if (expect === 'valueOrEnd' && c === ']') {
          stack.pop();
          i += 1;
          expect = afterValue(stack);
          break;
        }
        if (c === '{' || c === '[') {
          stack.push(c);
          i += 1;
          expect = c === '{' ? 'keyOrEnd' : 'valueOrEnd';
          break;
        }
        const end = endOfScalar(text, i);
        if (end < 0) {
          return end === RUNS_ON;
        }
        i = end;
        expect = afterValue(stack);
      }
    }
  }
  return true;
}

/** After a whole top-level value another may follow (JSON Lines). */
function afterValue(stack: unknown[]): Expect {
  return stack.length === 0 ? 'value' : 'next';
}

/**
 * Where a string, number or literal starting at i ends: the index after
 * it, RUNS_ON or INVALID.
 */
function endOfScalar(text: string, i: number): number {
  const c = text[i];
  if (c === '"') {
    return endOfString(text, i);
  }
  const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
  if (number) {
    const end = i + number[0].length;
    // "1." or "2e" at the very end may be a number cut short.
    return /^[-+.eE\d]*$/.test(text.slice(end)) && end < text.length
      ? RUNS_ON
      : end;
  }
  if (c === '-' && i + 1 === text.length) {
    return RUNS_ON;
  }
  for (const literal of ['true', 'false', 'null']) {
    const rest = text.slice(i, i + literal.length);
    if (rest === literal) {
      return i + literal.length;
    }
    if (i + rest.length === text.length && literal.startsWith(rest)) {
      return RUNS_ON;
    }
  }
  return INVALID;
}

/** The index after the string starting at i, RUNS_ON or INVALID. */
function endOfString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) {
      j += 1;
    } else if (c === 0x22) {
      return j + 1;
    } else if (c < 0x20) {
      return INVALID;
    }
  }
  return RUNS_ON;
}

/**
 * Why a file sent without an encoding is not UTF-8, or undefined when its
 * first bytes are. Refused at the upload, the file's characters stay
 * whole: read as UTF-8, a Latin-1 "é" would become U+FFFD in every row
 * error and quarantined row. Bytes past the head are still checked row
 * by row as the job reads them.
 */
export function whyNotUtf8(
  head: FileHead,
  fileName: string,
  encoding: JobOptions['encoding'],
): string | undefined {
  if (encoding !== undefined && encoding !== 'utf-8') {
    return undefined;
  }
  try {
    // A head cut off inside a character is not a fault of the file.
    new TextDecoder('utf-8', { fatal: true }).decode(head.bytes, {
      stream: !head.complete,
    });
    return undefined;
  } catch {
    const text = head.bytes.toString('utf8');
    const at = text.indexOf('\uFFFD');
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const lineEnd = text.indexOf('\n', at);
    const line = text
      .slice(lineStart, lineEnd < 0 ? undefined : lineEnd)
      .replace(/\r$/, '');
    const lineNumber = text.slice(0, at).split('\n').length;
    const shown = line.length > 80 ? `${line.slice(0, 77)}...` : line;
    return (
      `The file '${fileName}' is not UTF-8: line ${lineNumber} holds bytes ` +
      `that are not UTF-8 text ("${shown}", where \uFFFD stands for them). ` +
      'If it is Latin-1 or Windows-1252 (as many spreadsheet programs ' +
      'save CSV), upload it again with "encoding": "latin1" in the ' +
      'options; otherwise save it as CSV (UTF-8) and upload that.'
    );
  }
}

/** Delimiters a one-column header is checked against. */
const OTHER_DELIMITERS = [';', '\t', '|'];

/**
 * Why a header that reads as one column at the default comma probably
 * has another delimiter, or undefined. Loaded as one column, every row
 * would be one string and the job would succeed with nothing usable.
 */
export function whyOneColumn(
  columns: string[],
  fileName: string,
): string | undefined {
  if (columns.length !== 1) {
    return undefined;
  }
  const [header] = columns;
  for (const delimiter of OTHER_DELIMITERS) {
    const names = header.split(delimiter).map(name => name.trim());
    if (names.length > 1 && names.every(name => name !== '')) {
      const shown = delimiter === '\t' ? 'a tab ("\\t")' : `'${delimiter}'`;
      const json = delimiter === '\t' ? '\\t' : delimiter;
      return (
        `The header of '${fileName}' reads as one column, ${JSON.stringify(
          header,
        )}, ` +
        `when split at commas; split at ${shown} it names ${names.length} ` +
        `columns (${names.join(', ')}). Upload it again with ` +
        `"delimiter": "${json}" in the options, or with "delimiter": "," ` +
        'to load it as one column.'
      );
    }
  }
  return undefined;
}
