import { BatchStore } from './BatchStore';
import { FaultPlan } from './FaultPlan';
import { parseConfigPatch, parseFaultRules } from './validate';
import type {
  RejectRule,
  UploadTargetConfig,
  UploadTargetOptions,
} from './types';

/**
 * What the bulk endpoint, the control API and the programmatic handle
 * share. Every change arrives through `configure` and `addFaults`, which
 * validate, so the HTTP and JavaScript paths accept exactly the same input.
 */
export class TargetState {
  readonly store = new BatchStore();
  readonly faults = new FaultPlan();
  rejectWhen: RejectRule | null = null;
  maxRecordsPerRequest: number | null = null;

  static create(options: UploadTargetOptions): TargetState {
    const state = new TargetState();
    state.configure({
      rejectWhen: options.rejectWhen,
      maxRecordsPerRequest: options.maxRecordsPerRequest,
      chaos: options.chaos,
    });
    if (options.faults) state.addFaults(options.faults);
    return state;
  }

  configure(patch: unknown): void {
    const parsed = parseConfigPatch(withoutUndefined(patch));

    if (parsed.rejectWhen !== undefined) this.rejectWhen = parsed.rejectWhen;
    if (parsed.maxRecordsPerRequest !== undefined) {
      this.maxRecordsPerRequest = parsed.maxRecordsPerRequest;
    }
    if (parsed.chaos !== undefined) this.faults.setChaos(parsed.chaos);
  }

  config(): UploadTargetConfig {
    return {
      rejectWhen: this.rejectWhen,
      maxRecordsPerRequest: this.maxRecordsPerRequest,
      chaos: this.faults.chaos(),
    };
  }

  addFaults(input: unknown): void {
    this.faults.add(parseFaultRules(input));
  }
}

/** `{ chaos: undefined }` from a JavaScript caller means "leave it". */
function withoutUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  );
}
