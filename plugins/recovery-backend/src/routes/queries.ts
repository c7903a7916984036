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

/** A query parameter of comma-separated values, each checked. */
export function queryValues<T extends string>(
  req: Request,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const text = queryValue(req, name);
  if (text === undefined) {
    return undefined;
  }
  const values = text.split(',').map(value => value.trim());
  const unknown = values.filter(value => !allowed.includes(value as T));
  if (unknown.length > 0) {
    throw new InputError(
      `Query parameter '${name}' has '${unknown.join(
        "', '",
      )}'; allowed: ${allowed.join(', ')}, or several joined by commas.`,
    );
  }
  return values as T[];
}

export function bodyObject(req: Request): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('The request body must be a JSON object.');
  }
  return body;
}
