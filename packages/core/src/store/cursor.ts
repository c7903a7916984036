import type { Knex } from 'knex';
import type { Page } from '../client/types';
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

/**
 * One page of a listing, newest first: ordered by (created_at, id)
 * descending, continued after the cursor's pair. `table` qualifies the
 * two columns when the query joins others.
 */
export async function newestFirst<
  Row,
  Item extends { createdAt: string; id: string },
>(
  query: Knex.QueryBuilder,
  options: {
    cursor?: string;
    limit: number;
    table?: string;
    map: (row: Row) => Item;
  },
): Promise<Page<Item>> {
  const column = (name: string) =>
    options.table ? `${options.table}.${name}` : name;
  query
    .orderBy([
      { column: column('created_at'), order: 'desc' },
      { column: column('id'), order: 'desc' },
    ])
    .limit(options.limit + 1);
  if (options.cursor) {
    const [createdAt, id] = decodeCursor(options.cursor);
    query.where(q =>
      q
        .where(column('created_at'), '<', createdAt)
        .orWhere(q2 =>
          q2
            .where(column('created_at'), createdAt)
            .andWhere(column('id'), '<', id),
        ),
    );
  }
  const rows: Row[] = await query;
  const items = rows.slice(0, options.limit).map(options.map);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > options.limit && last
        ? encodeCursor(last.createdAt, last.id)
        : null,
  };
}
