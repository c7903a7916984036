/**
 * A reference HTTP upload target for Rebound's end-to-end tests, benchmarks
 * and walkthrough: it speaks the bulk protocol of API.md and fails on
 * demand.
 */
export { startUploadTarget } from './server';
export { UploadTargetConfigError } from './errors';
export type {
  ChaosConfig,
  FaultMode,
  FaultRule,
  FaultTemplate,
  JobStats,
  RejectRule,
  UploadTarget,
  UploadTargetConfig,
  UploadTargetOptions,
  UploadTargetStats,
} from './types';
