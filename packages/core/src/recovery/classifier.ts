import type {
  Failure,
  FailureEvidence,
  FailureType,
  Recoverability,
} from '../client/types';
import { PipelineError } from '../pipeline/PipelineError';
import { isoNow } from '../time';

/** DESIGN.md's table: how likely each type is to recover. @public */
export const RECOVERABILITY: Record<FailureType, Recoverability> = {
  timeout: 'high',
  network_error: 'high',
  temporary_resource: 'high',
  interrupted: 'high',
  memory: 'medium',
  data_quality: 'medium',
  validation_error: 'medium',
  security: 'low',
  configuration_error: 'low',
  data_loss: 'low',
  unknown: 'unknown',
};

const BY_STATUS: Record<number, FailureType> = {
  400: 'validation_error',
  401: 'security',
  403: 'security',
  404: 'configuration_error',
  405: 'configuration_error',
  408: 'timeout',
  410: 'configuration_error',
  413: 'memory',
  422: 'validation_error',
  429: 'temporary_resource',
  502: 'temporary_resource',
  503: 'temporary_resource',
  504: 'temporary_resource',
};

const BY_CODE: Record<string, FailureType> = {
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNREFUSED: 'network_error',
  ECONNRESET: 'network_error',
  EPIPE: 'network_error',
  ENOTFOUND: 'network_error',
  EAI_AGAIN: 'network_error',
  EHOSTUNREACH: 'network_error',
  ENETUNREACH: 'network_error',
  UND_ERR_SOCKET: 'network_error',
  UND_ERR_CLOSED: 'network_error',
  ENOSPC: 'temporary_resource',
  EMFILE: 'temporary_resource',
  ENOMEM: 'memory',
  ERR_OUT_OF_MEMORY: 'memory',
  ERR_STRING_TOO_LONG: 'memory',
};

const BY_MESSAGE: [RegExp, FailureType][] = [
  [/heap out of memory|allocation failed|out of memory/i, 'memory'],
  [/timed? ?out|timeout/i, 'timeout'],
  [
    /socket hang up|connection (reset|refused|closed)|fetch failed/i,
    'network_error',
  ],
  [/no space left|too many open files|rate limit/i, 'temporary_resource'],
  [/unauthori[sz]ed|forbidden|permission denied/i, 'security'],
];

/**
 * Names the type of a failure with a confidence: the pipeline's own
 * word first, then the HTTP status, the error code, and last the text.
 *
 * @public
 */
export function classifyFailure(error: unknown, at = isoNow()): Failure {
  const message = error instanceof Error ? error.message : String(error);
  const evidence: FailureEvidence =
    error instanceof PipelineError ? { ...error.evidence } : codeOf(error);
  const { type, confidence } = decide(error, evidence, message);
  return {
    type,
    message,
    recoverability: RECOVERABILITY[type],
    confidence,
    evidence,
    at,
  };
}

function decide(
  error: unknown,
  evidence: FailureEvidence,
  message: string,
): { type: FailureType; confidence: number } {
  if (error instanceof PipelineError && error.type) {
    return { type: error.type, confidence: 0.95 };
  }
  if (evidence.httpStatus !== undefined) {
    const type = BY_STATUS[evidence.httpStatus];
    if (type) {
      return { type, confidence: 0.95 };
    }
    if (evidence.httpStatus >= 500) {
      return { type: 'temporary_resource', confidence: 0.6 };
    }
  }
  if (evidence.code && BY_CODE[evidence.code]) {
    return { type: BY_CODE[evidence.code], confidence: 0.9 };
  }
  for (const [pattern, type] of BY_MESSAGE) {
    if (pattern.test(message)) {
      return { type, confidence: 0.6 };
    }
  }
  return { type: 'unknown', confidence: 0.3 };
}

function codeOf(error: unknown): FailureEvidence {
  const code =
    (error as { code?: unknown })?.code ??
    (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? { code } : {};
}
