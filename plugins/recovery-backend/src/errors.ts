import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { ReboundError } from '@rebound/core';
import type { ErrorRequestHandler } from 'express';

/** Core errors become the Backstage error types, which set the status. */
export function toBackstageError(error: unknown): unknown {
  if (!(error instanceof ReboundError)) {
    return error;
  }
  switch (error.kind) {
    case 'input':
      return new InputError(error.message, error);
    case 'not_found':
      return new NotFoundError(error.message, error);
    case 'conflict':
      return new ConflictError(error.message, error);
    default:
      return error;
  }
}

export const translateErrors: ErrorRequestHandler = (error, _req, _res, next) =>
  next(toBackstageError(error));
