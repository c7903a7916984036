import { InputError } from '@backstage/errors';
import type { Request } from 'express';

/** One optional query parameter, checked against allowed values. */
export function queryValue<T extends string>(
  req: Request,
  name: string,
  allowed?: readonly T[],
): T | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`Query parameter '${name}' must be given once.`);
  }
  if (allowed && !allowed.includes(value as T)) {
    throw new InputError(
      `Query parameter '${name}' is '${value}'; allowed: ${allowed.join(
        ', ',
      )}.`,
    );
  }
  return value as T;
}

export function bodyObject(req: Request): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('The request body must be a JSON object.');
  }
  return body;
}
