import type { JobType } from '../client/types';
import { inputError } from '../errors';

/** @public */
export interface HttpTargetConfig {
  type: 'http';
  url: string;
  batchSize?: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** @public */
export interface TableTargetConfig {
  type: 'table';
  /** Table in Rebound's database; created on first use. */
  table: string;
  batchSize?: number;
}

/** @public */
export type TargetConfig = HttpTargetConfig | TableTargetConfig;

const JOB_TYPE_FOR: Record<TargetConfig['type'], JobType> = {
  http: 'api_upload',
  table: 'csv_import',
};

/** The configured upload targets; a request can only name one. @public */
export class TargetRegistry {
  private readonly targets: Map<string, TargetConfig>;

  constructor(targets: Record<string, TargetConfig>) {
    this.targets = new Map(Object.entries(targets));
  }

  ids(): string[] {
    return [...this.targets.keys()];
  }

  get(id: string): TargetConfig {
    const target = this.targets.get(id);
    if (!target) {
      throw inputError(
        'unknown_target',
        `There is no upload target '${id}'. Configured targets: ` +
          `${
            this.ids().join(', ') || 'none'
          } (recovery.targets in app-config).`,
      );
    }
    return target;
  }

  /** The target for a job type, refusing a table target for an upload. */
  forJob(type: JobType, id: string): TargetConfig {
    const target = this.get(id);
    if (JOB_TYPE_FOR[target.type] !== type) {
      throw inputError(
        'target_type_mismatch',
        `Target '${id}' is a ${target.type} target, which takes jobs of type ` +
          `'${JOB_TYPE_FOR[target.type]}', not '${type}'.`,
      );
    }
    return target;
  }
}
