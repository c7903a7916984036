import { inputError } from '../errors';

/** Keyset cursors: opaque to callers, a (sort key, id) pair inside. */
export function encodeCursor(key: string | number, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/**
 * The (sort key, id) pair of a cursor. A pair whose types do not fit the
 * listing is refused here: in SQL it would fail or match the wrong rows.
 */
export function decodeCursor(
  cursor: string,
  fits: (key: unknown, id: string) => boolean = key => typeof key === 'string',
): [string | number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      fits(value[0], String(value[1]))
    ) {
      return [value[0], String(value[1])];
    }
  } catch {
    // fall through to the input error below
  }
  throw inputError(
    'invalid_cursor',
    `The cursor '${cursor}' is not one this API returned; ` +
      'pass the nextCursor of the previous page unchanged.',
  );
}

export function parseLimit(value: unknown, fallback = 50, max = 500): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw inputError(
      'invalid_limit',
      `limit must be a whole number from 1 to ${max}, got '${value}'.`,
    );
  }
  return limit;
}
