import type { FailureEvidence, FailureType } from '../client/types';

/**
 * A failure of a job run, with what the classifier needs: the evidence
 * (status, code, rows) and, when the pipeline knows it, the type.
 *
 * @public
 */
export class PipelineError extends Error {
  readonly evidence: FailureEvidence;
  readonly type?: FailureType;

  constructor(
    message: string,
    evidence: FailureEvidence,
    options: { type?: FailureType; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PipelineError';
    this.evidence = evidence;
    this.type = options.type;
  }
}
