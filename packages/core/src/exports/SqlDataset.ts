import type { Knex } from 'knex';
import { ReboundError } from '../errors';
import type {
  CellValue,
  Dataset,
  DatasetColumn,
  DatasetFilter,
  DatasetQuery,
  DatasetSort,
} from './Dataset';
import { toCellValue } from './values';
import type { ExportSortKey } from './wire';

/** How a SQL dataset is put together from tables. @public */
export interface SqlDatasetDefinition {
  name: string;
  title: string;
  /** The tables and joins; the dataset adds the rest. */
  from: (knex: Knex) => Knex.QueryBuilder;
  /** A unique, never-NULL column that breaks ties between equal sort keys. */
  key: DatasetColumn;
  columns: DatasetColumn[];
  defaultColumns: string[];
  defaultSort: ExportSortKey[];
}

interface Sql {
  sql: string;
  bindings: readonly Knex.Value[];
}

interface SortPart {
  expr: Sql;
  direction: 'asc' | 'desc';
  nullable: boolean;
}

/**
 * A dataset read with keyset pagination: each page asks for the rows
 * after the last one seen, in the sort order plus the key, so memory
 * stays one page whatever the size of the table, and no page is slower
 * than the first when the sort has an index.
 *
 * @public
 */
export class SqlDataset implements Dataset {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly DatasetColumn[];
  readonly defaultColumns: readonly string[];
  readonly defaultSort: readonly ExportSortKey[];

  constructor(private readonly definition: SqlDatasetDefinition) {
    this.name = definition.name;
    this.title = definition.title;
    this.columns = definition.columns;
    this.defaultColumns = definition.defaultColumns;
    this.defaultSort = definition.defaultSort;
  }

  async count(knex: Knex, query: DatasetQuery): Promise<number> {
    const builder = this.definition.from(knex);
    applyFilters(knex, builder, query.filters);
    const row = await builder.count({ n: '*' }).first();
    return Number((row as { n?: unknown } | undefined)?.n ?? 0);
  }

  async *read(knex: Knex, query: DatasetQuery): AsyncIterable<CellValue[][]> {
    const parts = sortParts(knex, query.sort, this.definition.key);
    let after: unknown[] | undefined;
    for (;;) {
      if (query.signal?.aborted) {
        throw new ReboundError(
          'internal',
          'export_aborted',
          'The export was stopped before it finished; retry it.',
        );
      }
      const builder = this.definition.from(knex);
      select(knex, builder, query.columns, parts);
      applyFilters(knex, builder, query.filters);
      if (after) {
        applyAfter(builder, parts, after);
      }
      for (const part of parts) {
        orderBy(builder, part);
      }
      const rows: Record<string, unknown>[] = await builder.limit(
        query.pageSize,
      );
      if (rows.length === 0) {
        return;
      }
      yield rows.map(row => toCells(row, query.columns));
      if (rows.length < query.pageSize) {
        return;
      }
      const last = rows[rows.length - 1];
      after = parts.map((_, i) => last[`k${i}`]);
    }
  }
}

/** The SQL of a column's source: a quoted column reference or an expression. */
export function sourceSql(
  knex: Knex,
  source: NonNullable<DatasetColumn['source']>,
): Sql {
  const raw =
    typeof source === 'string' ? knex.raw('??', [source]) : source(knex);
  const { sql, bindings } = raw.toSQL();
  return { sql, bindings };
}

function sortParts(
  knex: Knex,
  sort: DatasetSort[],
  key: DatasetColumn,
): SortPart[] {
  const parts: SortPart[] = sort.map(s => ({
    expr: sourceSql(knex, s.column.source!),
    direction: s.direction,
    nullable: s.column.nullable !== false,
  }));
  if (!sort.some(s => s.column.name === key.name)) {
    parts.push({
      expr: sourceSql(knex, key.source!),
      direction: sort.length > 0 ? sort[sort.length - 1].direction : 'asc',
      nullable: false,
    });
  }
  return parts;
}

function select(
  knex: Knex,
  builder: Knex.QueryBuilder,
  columns: DatasetColumn[],
  parts: SortPart[],
) {
  const selections: Knex.Raw[] = [];
  columns.forEach((column, i) => {
    if (column.source) {
      const { sql, bindings } = sourceSql(knex, column.source);
      selections.push(knex.raw(`${sql} as ??`, [...bindings, `c${i}`]));
    }
    for (const [name, source] of Object.entries(column.reads ?? {})) {
      const { sql, bindings } = sourceSql(knex, source);
      selections.push(knex.raw(`${sql} as ??`, [...bindings, `r${i}_${name}`]));
    }
  });
  parts.forEach((part, i) => {
    selections.push(
      knex.raw(`${part.expr.sql} as ??`, [...part.expr.bindings, `k${i}`]),
    );
  });
  builder.select(selections);
}

function toCells(
  row: Record<string, unknown>,
  columns: DatasetColumn[],
): CellValue[] {
  return columns.map((column, i) => {
    if (column.compute) {
      const reads: Record<string, unknown> = {};
      for (const name of Object.keys(column.reads ?? {})) {
        reads[name] = row[`r${i}_${name}`];
      }
      return toCellValue(column.type, column.compute(reads));
    }
    return toCellValue(column.type, row[`c${i}`]);
  });
}

function applyFilters(
  knex: Knex,
  builder: Knex.QueryBuilder,
  filters: DatasetFilter[],
) {
  const postgres = String(knex.client.config.client).startsWith('p');
  for (const filter of filters) {
    const { sql, bindings } = sourceSql(knex, filter.column.source!);
    const value = filter.value;
    switch (filter.op) {
      case 'eq':
        if (value === null) {
          builder.whereRaw(`${sql} is null`, bindings);
        } else {
          builder.whereRaw(`${sql} = ?`, [...bindings, value as Knex.Value]);
        }
        break;
      case 'in': {
        const values = (value as Knex.Value[]).filter(v => v !== null);
        const withNull = (value as unknown[]).includes(null);
        builder.where(q => {
          if (values.length > 0) {
            q.orWhereRaw(`${sql} in (${values.map(() => '?').join(', ')})`, [
              ...bindings,
              ...values,
            ]);
          }
          if (withNull || values.length === 0) {
            // An empty list matches nothing; with null in it, NULLs match.
            q.orWhereRaw(
              withNull ? `${sql} is null` : '1 = 0',
              withNull ? bindings : [],
            );
          }
        });
        break;
      }
      case 'contains':
        // Case-sensitive on both databases: LIKE is not (SQLite) or is
        // (PostgreSQL) case-sensitive, and treats % and _ as wildcards.
        builder.whereRaw(
          postgres
            ? `strpos(cast(${sql} as text), ?) > 0`
            : `instr(cast(${sql} as text), ?) > 0`,
          [...bindings, value as string],
        );
        break;
      default: {
        const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[filter.op];
        builder.whereRaw(`${sql} ${op} ?`, [...bindings, value as Knex.Value]);
      }
    }
  }
}

function orderBy(builder: Knex.QueryBuilder, part: SortPart) {
  const { sql, bindings } = part.expr;
  if (part.nullable) {
    // NULLs last going up and first going down, the same on both
    // databases (their defaults differ), as the keyset below expects.
    builder.orderByRaw(
      `case when ${sql} is null then 1 else 0 end ${part.direction}`,
      bindings,
    );
  }
  builder.orderByRaw(`${sql} ${part.direction}`, bindings);
}

/** Rows strictly after the last one seen, in the order of the parts. */
function applyAfter(
  builder: Knex.QueryBuilder,
  parts: SortPart[],
  after: unknown[],
) {
  const uniform =
    parts.every(p => !p.nullable) &&
    parts.every(p => p.direction === parts[0].direction);
  if (uniform) {
    // A row-value comparison lets both databases walk the index.
    const op = parts[0].direction === 'asc' ? '>' : '<';
    builder.whereRaw(
      `(${parts.map(p => p.expr.sql).join(', ')}) ${op} (${parts
        .map(() => '?')
        .join(', ')})`,
      [...parts.flatMap(p => p.expr.bindings), ...(after as Knex.Value[])],
    );
    return;
  }
  builder.where(q => {
    parts.forEach((part, i) => {
      q.orWhere(branch => {
        for (let j = 0; j < i; j++) {
          equalTo(branch, parts[j], after[j]);
        }
        beyond(branch, part, after[i]);
      });
    });
  });
}

function equalTo(q: Knex.QueryBuilder, part: SortPart, value: unknown) {
  const { sql, bindings } = part.expr;
  if (value === null || value === undefined) {
    q.whereRaw(`${sql} is null`, bindings);
  } else {
    q.whereRaw(`${sql} = ?`, [...bindings, value as Knex.Value]);
  }
}

function beyond(q: Knex.QueryBuilder, part: SortPart, value: unknown) {
  const { sql, bindings } = part.expr;
  const isNull = value === null || value === undefined;
  if (part.direction === 'asc') {
    if (isNull) {
      // NULLs come last: nothing is beyond them in this part.
      q.whereRaw('1 = 0');
    } else if (part.nullable) {
      q.whereRaw(`(${sql} > ? or ${sql} is null)`, [
        ...bindings,
        value as Knex.Value,
        ...bindings,
      ]);
    } else {
      q.whereRaw(`${sql} > ?`, [...bindings, value as Knex.Value]);
    }
  } else if (isNull) {
    q.whereRaw(`${sql} is not null`, bindings);
  } else {
    q.whereRaw(`${sql} < ?`, [...bindings, value as Knex.Value]);
  }
}
