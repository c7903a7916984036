import { parseArgs } from 'node:util';
import type { UploadTargetOptions } from './types';

export const USAGE = `Usage: rebound-upload-target [options]

  --port N          port to listen on (default 7100, 0 picks a free one)
  --host ADDRESS    address to listen on (default 127.0.0.1)
  --path PATH       path of the bulk endpoint (default /bulk)
  --max-records N   answer 413 to batches of more than N records
  -h, --help        show this text

Faults and settings are changed at runtime under /_control; see README.md.
`;

/** A command line the target cannot run with; bin.ts exits with 2. */
export class CliUsageError extends Error {
  readonly code = 'UPLOAD_TARGET_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'start'; options: UploadTargetOptions };

export function parseCliArgs(argv: string[]): CliCommand {
  const { values } = parseStrict(argv);
  if (values.help) return { kind: 'help' };

  const options: UploadTargetOptions = {
    port: readWholeNumber('--port', values.port ?? '7100', 0, 65535),
    host: values.host ?? '127.0.0.1',
    path: values.path ?? '/bulk',
  };
  if (!options.path?.startsWith('/')) {
    throw new CliUsageError(`--path ${values.path} must start with /`);
  }
  if (values['max-records'] !== undefined) {
    options.maxRecordsPerRequest = readWholeNumber(
      '--max-records',
      values['max-records'],
      1,
      Number.MAX_SAFE_INTEGER,
    );
  }
  return { kind: 'start', options };
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        path: { type: 'string' },
        'max-records': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

function readWholeNumber(
  flag: string,
  text: string,
  min: number,
  max: number,
): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new CliUsageError(
      `${flag} is ${JSON.stringify(text)}; use a whole number from ${min} ` +
        `to ${max}`,
    );
  }
  return value;
}
