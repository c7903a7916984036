import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type {
  Job,
  JobOptions,
  JobSettings,
  Priority,
  TargetInfo,
} from '../client/types';
import { PRIORITIES } from '../client/types';
import { conflict, inputError, notFound } from '../errors';
import { readRecords } from '../pipeline/csvSource';
import { PipelineError } from '../pipeline/PipelineError';
import {
  readHead,
  whyNotCsv,
  whyNotUtf8,
  whyOneColumn,
} from '../pipeline/sniff';
import {
  checkHeader,
  checkSchema,
  checkSchemaAgainstHeader,
  checkTransforms,
  checkTransformsAgainstHeader,
} from '../pipeline/schema';
import type { JobStore } from '../store/JobStore';
import type { StorageService } from '../storage/StorageService';
import type { TargetRegistry } from '../targets/TargetRegistry';
import { isoIn, isoNow } from '../time';

/** Defaults of new jobs, from recovery.pipeline in app-config. @public */
export interface JobDefaults {
  batchSize: number;
  timeoutMs: number;
  maxInvalidShare: number;
  maxInvalidRows: number;
  maxRecordBytes: number;
}

/** @public */
export const DEFAULT_JOB_DEFAULTS: JobDefaults = {
  batchSize: 500,
  timeoutMs: 30_000,
  maxInvalidShare: 0.05,
  maxInvalidRows: 100,
  maxRecordBytes: 1024 * 1024,
};

const ENCODINGS = ['utf-8', 'latin1', 'utf-16le'];
const JOB_TYPES = ['csv_import', 'api_upload'];
const OPTION_KEYS = [
  'type',
  'target',
  'batchSize',
  'priority',
  'schema',
  'delimiter',
  'encoding',
  'transforms',
];

/**
 * Creates jobs from uploaded files: the file is stored with its SHA-256,
 * its header checked, and the job queued for a worker.
 *
 * @public
 */
export class JobService {
  constructor(
    private readonly store: JobStore,
    private readonly storage: StorageService,
    private readonly targets: TargetRegistry,
    private readonly defaults: JobDefaults,
  ) {}

  /** Checks the `options` of POST /jobs before the file is read. */
  parseOptions(raw: unknown): JobOptions {
    const options = parseJson(raw);
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) {
        throw inputError(
          'invalid_options',
          `options.${key} is not known; allowed: ${OPTION_KEYS.join(', ')}.`,
        );
      }
    }
    if (!JOB_TYPES.includes(options.type as string)) {
      throw inputError(
        'invalid_options',
        `options.type must be one of ${JOB_TYPES.join(
          ', ',
        )}, got ${JSON.stringify(options.type)}.`,
      );
    }
    if (typeof options.target !== 'string') {
      throw inputError(
        'invalid_options',
        `options.target must name a configured target: ${this.targets
          .ids()
          .join(', ')}.`,
      );
    }
    this.targets.forJob(options.type as JobOptions['type'], options.target);
    checkRange('batchSize', options.batchSize, 1, 100_000);
    if (
      options.priority !== undefined &&
      !PRIORITIES.includes(options.priority as Priority)
    ) {
      throw inputError(
        'invalid_options',
        `options.priority must be one of ${PRIORITIES.join(
          ', ',
        )}, got ${JSON.stringify(options.priority)}.`,
      );
    }
    if (
      options.delimiter !== undefined &&
      (typeof options.delimiter !== 'string' ||
        options.delimiter.length !== 1 ||
        /["\r\n]/.test(options.delimiter))
    ) {
      throw inputError(
        'invalid_options',
        'options.delimiter must be one character other than a quote or a line break, e.g. ";" or "\\t".',
      );
    }
    if (typeof options.encoding === 'string') {
      options.encoding = options.encoding
        .toLowerCase()
        .replace(/^utf8$/, 'utf-8');
    }
    if (
      options.encoding !== undefined &&
      !ENCODINGS.includes(options.encoding as string)
    ) {
      throw inputError(
        'invalid_options',
        `options.encoding must be one of ${ENCODINGS.join(
          ', ',
        )}, got ${JSON.stringify(options.encoding)}.`,
      );
    }
    if (options.schema !== undefined) {
      checkSchema(options.schema as JobOptions['schema'] & object);
    }
    checkTransforms(options.transforms);
    return options as unknown as JobOptions;
  }

  async createJob(input: {
    fileName: string;
    body: Readable;
    /**
     * A function when the options arrive after the file, or are known
     * only once the whole request is read; it is called after the file
     * is stored, and a rejection removes the stored file.
     */
    options: JobOptions | (() => JobOptions | Promise<JobOptions>);
    createdBy?: string;
  }): Promise<Job> {
    const fileId = randomUUID();
    const key = `sources/${fileId}`;
    const stored = await this.storage.put(key, input.body);
    try {
      const options =
        typeof input.options === 'function'
          ? await input.options()
          : input.options;
      const columns = await this.readHeader(
        key,
        input.fileName,
        options,
        stored.size,
      );
      await this.store.insertSourceFile({
        id: fileId,
        name: input.fileName,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: key,
        createdAt: isoNow(),
      });
      return await this.store.createJob({
        type: options.type,
        target: options.target,
        priority: options.priority ?? 'normal',
        file: {
          id: fileId,
          name: input.fileName,
          size: stored.size,
          sha256: stored.sha256,
          storageKey: key,
          createdAt: isoNow(),
        },
        columns,
        options,
        settings: this.settingsFor(options),
        createdBy: input.createdBy,
      });
    } catch (error) {
      await this.storage.delete(key);
      throw error;
    }
  }

  /**
   * Removes the stored sources whose jobs all ended (succeeded or
   * cancelled) more than `retentionMs` ago, keeping each file's row with
   * when it went, and the half-written files a dead process left. The
   * source of a job that may still run or be recovered is never touched.
   */
  async removeExpiredSources(
    retentionMs: number,
  ): Promise<{ removed: number; bytes: number; partials: number }> {
    const finishedBefore = isoIn(-retentionMs);
    const counts = { removed: 0, bytes: 0, partials: 0 };
    const pageSize = 100;
    for (;;) {
      const files = await this.store.listExpiredSourceFiles(
        finishedBefore,
        pageSize,
      );
      for (const file of files) {
        // File first, then the mark: a pass cut short in between deletes
        // nothing twice and marks the file on the next pass.
        await this.storage.delete(file.storageKey);
        await this.store.markSourceFileRemoved(file.id, isoNow());
        counts.removed += 1;
        counts.bytes += file.size;
      }
      if (files.length < pageSize) {
        break;
      }
    }
    counts.partials = (await this.storage.removeStalePartials?.()) ?? 0;
    return counts;
  }

  async cancel(id: string): Promise<Job> {
    const job = await this.store.getJob(id);
    if (!job) {
      throw notFound('job_not_found', `There is no job ${id}.`);
    }
    const cancellable = [
      'pending',
      'running',
      'failed',
      'manual_intervention_required',
    ];
    if (!cancellable.includes(job.status)) {
      throw conflict(
        'not_cancellable',
        `Job ${id} is ${job.status}; only pending, running, failed or waiting jobs can be cancelled.`,
      );
    }
    return this.store.transition(job, 'cancelled', { finishedAt: isoNow() });
  }

  /**
   * The configured targets with the batch size and timeout a new job on
   * each gets, for an upload form; URLs and headers stay on the server.
   */
  listTargets(): TargetInfo[] {
    return this.targets.ids().map(name => this.targetInfo(name));
  }

  private targetInfo(name: string): TargetInfo {
    const target = this.targets.get(name);
    return {
      name,
      type: target.type,
      batchSize: target.batchSize ?? this.defaults.batchSize,
      timeoutMs:
        (target.type === 'http' ? target.timeoutMs : undefined) ??
        this.defaults.timeoutMs,
    };
  }

  private settingsFor(options: JobOptions): JobSettings {
    const target = this.targetInfo(options.target);
    return {
      batchSize: options.batchSize ?? target.batchSize,
      timeoutMs: target.timeoutMs,
      maxInvalidShare: this.defaults.maxInvalidShare,
      maxInvalidRows: this.defaults.maxInvalidRows,
      isolateRejectedRows: false,
    };
  }

  /** The header, read now so a wrong file is refused before it is queued. */
  private async readHeader(
    key: string,
    fileName: string,
    options: JobOptions,
    size: number,
  ): Promise<string[]> {
    if (size === 0) {
      throw inputError(
        'empty_file',
        'The file is empty; upload a CSV whose first line names the columns.',
      );
    }
    const head = await readHead(await this.storage.read(key));
    const notCsv = whyNotCsv(head, fileName, options.encoding);
    if (notCsv) {
      throw inputError('not_csv', notCsv);
    }
    const notUtf8 = whyNotUtf8(head, fileName, options.encoding);
    if (notUtf8) {
      throw inputError('not_utf8', notUtf8);
    }

    let columns: string[] | undefined;
    try {
      const records = readRecords(await this.storage.read(key), {
        startOffset: 0,
        rowsBefore: 0,
        delimiter: options.delimiter,
        encoding:
          options.encoding === 'utf-16le'
            ? 'utf16le'
            : options.encoding === 'latin1'
            ? 'latin1'
            : 'utf8',
        maxRecordBytes: this.defaults.maxRecordBytes,
      });
      for await (const record of records) {
        columns = record.values;
        break;
      }
    } catch (error) {
      if (error instanceof PipelineError) {
        // The parser reads ahead: the bad record may be past the header.
        const inHeader = (error.evidence.rows?.[0] ?? 0) === 0;
        throw inputError(
          'not_csv',
          inHeader
            ? `The header row cannot be read: ${error.message}`
            : error.message,
        );
      }
      throw error;
    }
    if (!columns) {
      throw inputError(
        'empty_file',
        'The file has no header row: it holds only empty lines.',
      );
    }
    checkHeader(columns);
    const oneColumn =
      options.delimiter === undefined
        ? whyOneColumn(columns, fileName)
        : undefined;
    if (oneColumn) {
      throw inputError('delimiter_unclear', oneColumn);
    }
    if (options.schema) {
      checkSchemaAgainstHeader(options.schema, columns);
    }
    checkTransformsAgainstHeader(options.transforms ?? [], columns);
    return columns;
  }
}

function parseJson(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') {
    throw inputError(
      'missing_options',
      'The form field "options" is missing. Send it as JSON, e.g. ' +
        '{"type":"csv_import","target":"local"}.',
    );
  }
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      // curl -F ends a field's value at ';', which cuts off a delimiter.
      const cut =
        !raw.trimEnd().endsWith('}') && !raw.includes(';')
          ? ' If you sent it with curl -F and it holds a ";" (a ' +
            'delimiter, say), curl cut it there: send it with ' +
            '--form-string instead.'
          : '';
      throw inputError(
        'invalid_options',
        `The form field "options" is not valid JSON (${
          (error as Error).message
        }); ` + `send e.g. {"type":"csv_import","target":"local"}.${cut}`,
      );
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw inputError(
      'invalid_options',
      'The form field "options" must be a JSON object.',
    );
  }
  return value as Record<string, unknown>;
}

function checkRange(name: string, value: unknown, min: number, max: number) {
  if (
    value !== undefined &&
    (!Number.isInteger(value) ||
      (value as number) < min ||
      (value as number) > max)
  ) {
    throw inputError(
      'invalid_options',
      `options.${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(
        value,
      )}.`,
    );
  }
}
