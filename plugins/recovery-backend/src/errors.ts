import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { ReboundError } from '@rebound/core';
import type { ErrorRequestHandler } from 'express';

/**
 * Core errors become the Backstage error types, which set the status. The
 * cause is left off: its message is the same and would show twice.
 */
export function toBackstageError(error: unknown): unknown {
  const body = error as { type?: string; message?: string };
  if (body?.type === 'entity.parse.failed') {
    return new InputError(
      `The request body is not valid JSON (${body.message}); send a JSON object.`,
    );
  }
  if (!(error instanceof ReboundError)) {
    return error;
  }
  switch (error.kind) {
    case 'input':
      return new InputError(error.message);
    case 'not_found':
      return new NotFoundError(error.message);
    case 'conflict':
      return new ConflictError(error.message);
    default:
      return error;
  }
}

export const translateErrors: ErrorRequestHandler = (error, _req, _res, next) =>
  next(toBackstageError(error));
