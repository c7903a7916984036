/**
 * Errors that callers can act on. Each class has one stable `code`; the
 * backend maps `kind` onto the Backstage error types and HTTP statuses.
 */

/** @public */
export type ReboundErrorKind = 'input' | 'not_found' | 'conflict' | 'internal';

/** @public */
export class ReboundError extends Error {
  readonly code: string;
  readonly kind: ReboundErrorKind;

  constructor(
    kind: ReboundErrorKind,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReboundError';
    this.kind = kind;
    this.code = code;
  }
}

/** Bad input from a caller: what was wrong, where, and what is allowed. */
export function inputError(code: string, message: string): ReboundError {
  return new ReboundError('input', code, message);
}

export function notFound(code: string, message: string): ReboundError {
  return new ReboundError('not_found', code, message);
}

export function conflict(code: string, message: string): ReboundError {
  return new ReboundError('conflict', code, message);
}
