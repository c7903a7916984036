/**
 * Rebound's core: jobs and their store, the CSV pipeline, the failure
 * classifier and the recovery engine. No Backstage package is needed.
 *
 * @packageDocumentation
 */
export * from './client/types';
export { ReboundClient, ReboundApiError } from './client/ReboundClient';
export { ReboundError, inputError, notFound, conflict } from './errors';
export type { ReboundErrorKind } from './errors';
export type { Logger } from './logger';
export { silentLogger } from './logger';

export type * from './store/JobStore';
export {
  DatabaseJobStore,
  LeaseLostError,
  PRIORITY_RANK,
} from './store/DatabaseJobStore';
export { migrateUp, migrateDown, MIGRATIONS_DIR } from './store/migrate';

export type { StorageService, StoredObject } from './storage/StorageService';
export { LocalStorageService } from './storage/LocalStorageService';

export { TargetRegistry } from './targets/TargetRegistry';
export type {
  TargetConfig,
  HttpTargetConfig,
  TableTargetConfig,
} from './targets/TargetRegistry';

export { JobService, DEFAULT_JOB_DEFAULTS } from './jobs/JobService';
export type { JobDefaults } from './jobs/JobService';
export { runJob } from './pipeline/runJob';
export type { RunContext, RunResult } from './pipeline/runJob';
export { PipelineError } from './pipeline/PipelineError';
export { ensureTargetTable } from './pipeline/sinks/TableSink';

export { classifyFailure, RECOVERABILITY } from './recovery/classifier';
export { backoffDelay } from './recovery/backoff';
export type { BackoffPolicy } from './recovery/backoff';
export {
  buildPlan,
  adjustSettings,
  checkAdjustments,
  DEFAULT_RECOVERY_POLICY,
} from './recovery/planner';
export type { RecoveryPolicy } from './recovery/planner';
export { RecoveryEngine } from './recovery/RecoveryEngine';
export type { RecoverOptions } from './recovery/RecoveryEngine';

export {
  JobWorker,
  DEFAULT_WORKER_OPTIONS,
  interruptedFailure,
} from './worker/JobWorker';
export type { WorkerOptions } from './worker/JobWorker';
export { reapExpiredLeases } from './worker/reaper';

export * from './exports';
export * from './analytics';
export * from './schedules';
export * from './delivery';
