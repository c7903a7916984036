import type { DatasetColumn } from '../Dataset';

/** A column read straight from a table column. */
export function sqlColumn(
  name: string,
  type: DatasetColumn['type'],
  label: string,
  source: string,
  options: { nullable?: boolean } = {},
): DatasetColumn {
  return { name, type, label, source, nullable: options.nullable ?? false };
}

/** One field of a JSON text column, or null when absent or unreadable. */
export function jsonField(text: unknown, field: string): unknown {
  if (typeof text !== 'string' || text === '') {
    return null;
  }
  try {
    return (JSON.parse(text) as Record<string, unknown>)?.[field] ?? null;
  } catch {
    return null;
  }
}
