import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import {
  DEFAULT_JOB_DEFAULTS,
  DEFAULT_RECOVERY_POLICY,
  DEFAULT_WORKER_OPTIONS,
  RECOVERABILITY,
  type FailureType,
  type JobDefaults,
  type RecoveryPolicy,
  type TargetConfig,
  type WorkerOptions,
} from '@rebound/core';

/** Everything the plugin reads from `recovery.*`, read once at start. */
export interface RecoveryConfig {
  storageDir: string;
  /** How long a source is kept after its jobs succeeded or were cancelled. */
  sourceRetentionMs: number;
  /** How often expired sources and stale partial files are removed. */
  storageCleanupFrequency: HumanDuration;
  targets: Record<string, TargetConfig>;
  autoRecovery: { enabled: boolean; frequency: HumanDuration };
  reaperFrequency: HumanDuration;
  worker: WorkerOptions;
  jobDefaults: JobDefaults;
  maxFileBytes: number;
  policy: RecoveryPolicy;
}

/** A bad value fails the start with the key's name and the fix. */
export function readRecoveryConfig(root: Config): RecoveryConfig {
  const config = root.getOptionalConfig('recovery');
  const get = <T>(read: () => T | undefined, fallback: T): T =>
    read() ?? fallback;

  const pipeline = config?.getOptionalConfig('pipeline');
  const retry = config?.getOptionalConfig('retry');
  const workers = config?.getOptionalConfig('workers');
  const ms = (c: Config | undefined, key: string, fallback: number) =>
    c?.has(key)
      ? durationToMilliseconds(readDurationFromConfig(c, { key }))
      : fallback;

  const result: RecoveryConfig = {
    storageDir: get(
      () => config?.getOptionalString('storage.dir'),
      './storage',
    ),
    sourceRetentionMs: ms(
      config,
      'storage.sourceRetention',
      DEFAULT_SOURCE_RETENTION_MS,
    ),
    storageCleanupFrequency: config?.has('storage.cleanupFrequency')
      ? readDurationFromConfig(config, { key: 'storage.cleanupFrequency' })
      : { hours: 1 },
    targets: readTargets(config),
    autoRecovery: {
      enabled: get(
        () => config?.getOptionalBoolean('autoRecovery.enabled'),
        true,
      ),
      frequency: config?.has('autoRecovery.frequency')
        ? readDurationFromConfig(config, { key: 'autoRecovery.frequency' })
        : { seconds: 30 },
    },
    reaperFrequency: config?.has('reaper.frequency')
      ? readDurationFromConfig(config, { key: 'reaper.frequency' })
      : { seconds: 15 },
    worker: {
      concurrency: get(
        () => workers?.getOptionalNumber('concurrency'),
        DEFAULT_WORKER_OPTIONS.concurrency,
      ),
      leaseMs: ms(workers, 'lease', DEFAULT_WORKER_OPTIONS.leaseMs),
      pollMs: ms(workers, 'pollInterval', DEFAULT_WORKER_OPTIONS.pollMs),
      maxRecordBytes: get(
        () => pipeline?.getOptionalNumber('maxRecordBytes'),
        DEFAULT_WORKER_OPTIONS.maxRecordBytes,
      ),
    },
    jobDefaults: {
      batchSize: get(
        () => pipeline?.getOptionalNumber('batchSize'),
        DEFAULT_JOB_DEFAULTS.batchSize,
      ),
      timeoutMs: ms(pipeline, 'timeout', DEFAULT_JOB_DEFAULTS.timeoutMs),
      maxInvalidShare: get(
        () => pipeline?.getOptionalNumber('maxInvalidShare'),
        DEFAULT_JOB_DEFAULTS.maxInvalidShare,
      ),
      maxInvalidRows: get(
        () => pipeline?.getOptionalNumber('maxInvalidRows'),
        DEFAULT_JOB_DEFAULTS.maxInvalidRows,
      ),
      maxRecordBytes: get(
        () => pipeline?.getOptionalNumber('maxRecordBytes'),
        DEFAULT_JOB_DEFAULTS.maxRecordBytes,
      ),
    },
    maxFileBytes: get(
      () => pipeline?.getOptionalNumber('maxFileBytes'),
      2 * 1024 ** 3,
    ),
    policy: {
      maxAttempts: get(
        () => retry?.getOptionalNumber('maxAttempts'),
        DEFAULT_RECOVERY_POLICY.maxAttempts,
      ),
      maxTotalAttempts: get(
        () => retry?.getOptionalNumber('maxTotalAttempts'),
        DEFAULT_RECOVERY_POLICY.maxTotalAttempts,
      ),
      backoff: {
        baseMs: ms(
          retry,
          'backoff.base',
          DEFAULT_RECOVERY_POLICY.backoff.baseMs,
        ),
        capMs: ms(retry, 'backoff.cap', DEFAULT_RECOVERY_POLICY.backoff.capMs),
      },
      targetBudget: {
        retries: get(
          () => retry?.getOptionalNumber('targetBudget.retries'),
          DEFAULT_RECOVERY_POLICY.targetBudget.retries,
        ),
        windowMs: ms(
          retry,
          'targetBudget.window',
          DEFAULT_RECOVERY_POLICY.targetBudget.windowMs,
        ),
      },
      quarantineMaxShare: get(
        () => config?.getOptionalNumber('quarantine.maxShare'),
        DEFAULT_RECOVERY_POLICY.quarantineMaxShare,
      ),
      maxTimeoutMs: ms(
        retry,
        'maxTimeout',
        DEFAULT_RECOVERY_POLICY.maxTimeoutMs,
      ),
      minBatchSize: get(
        () => retry?.getOptionalNumber('minBatchSize'),
        DEFAULT_RECOVERY_POLICY.minBatchSize,
      ),
      manualFailureTypes: readFailureTypes(retry),
    },
  };
  checkValues(result);
  return result;
}

const FAILURE_TYPES = Object.keys(RECOVERABILITY);

const DEFAULT_SOURCE_RETENTION_MS = 30 * 24 * 3600_000;

function readFailureTypes(retry: Config | undefined): FailureType[] {
  const types = retry?.getOptionalStringArray('manualFailureTypes') ?? [];
  for (const type of types) {
    if (!FAILURE_TYPES.includes(type)) {
      throw new Error(
        `recovery.retry.manualFailureTypes names '${type}'; failure types are ${FAILURE_TYPES.join(
          ', ',
        )}.`,
      );
    }
  }
  return types as FailureType[];
}

function readTargets(config: Config | undefined): Record<string, TargetConfig> {
  const targets: Record<string, TargetConfig> = {};
  const section = config?.getOptionalConfig('targets');
  for (const id of section?.keys() ?? []) {
    const target = section!.getConfig(id);
    const key = `recovery.targets.${id}`;
    const type = target.getString('type');
    const batchSize = target.getOptionalNumber('batchSize');
    if (type === 'http') {
      const url = target.getString('url');
      try {
        new URL(url);
      } catch {
        throw new Error(
          `${key}.url is not a URL: '${url}'. Give the full address, e.g. http://127.0.0.1:7100/bulk.`,
        );
      }
      targets[id] = {
        type,
        url,
        batchSize,
        timeoutMs: target.has('timeout')
          ? durationToMilliseconds(
              readDurationFromConfig(target, { key: 'timeout' }),
            )
          : undefined,
        headers: target.getOptional<Record<string, string>>('headers'),
      };
    } else if (type === 'table') {
      const table = target.getString('table');
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
        throw new Error(
          `${key}.table '${table}' is not a plain table name; use letters, digits and underscores.`,
        );
      }
      targets[id] = { type, table, batchSize };
    } else {
      throw new Error(`${key}.type is '${type}'; use 'http' or 'table'.`);
    }
  }
  return targets;
}

function checkValues(config: RecoveryConfig) {
  const positive: [string, number][] = [
    ['recovery.workers.concurrency', config.worker.concurrency],
    ['recovery.pipeline.batchSize', config.jobDefaults.batchSize],
    ['recovery.pipeline.maxRecordBytes', config.worker.maxRecordBytes],
    ['recovery.retry.maxAttempts', config.policy.maxAttempts],
    ['recovery.retry.maxTotalAttempts', config.policy.maxTotalAttempts],
    ['recovery.retry.targetBudget.retries', config.policy.targetBudget.retries],
  ];
  for (const [key, value] of positive) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `${key} must be a whole number of at least 1, got ${value}.`,
      );
    }
  }
  if (config.policy.maxTotalAttempts < config.policy.maxAttempts) {
    throw new Error(
      `recovery.retry.maxTotalAttempts (${config.policy.maxTotalAttempts}) ` +
        'is below recovery.retry.maxAttempts ' +
        `(${config.policy.maxAttempts}); it bounds all recoveries of a job, ` +
        'so raise it to at least maxAttempts.',
    );
  }
  if (config.sourceRetentionMs < 60_000) {
    throw new Error(
      'recovery.storage.sourceRetention must be at least one minute, ' +
        `got ${config.sourceRetentionMs} ms; e.g. { days: 30 }.`,
    );
  }
  const shares: [string, number][] = [
    ['recovery.pipeline.maxInvalidShare', config.jobDefaults.maxInvalidShare],
    ['recovery.quarantine.maxShare', config.policy.quarantineMaxShare],
  ];
  for (const [key, value] of shares) {
    if (!(value >= 0 && value <= 1)) {
      throw new Error(`${key} must be a share from 0 to 1, got ${value}.`);
    }
  }
}
