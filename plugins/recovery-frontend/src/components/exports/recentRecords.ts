import type { ExportRecord } from '@rebound/core/client';
import { useCallback, useState } from 'react';

/**
 * Records this page created or retried are shown at once, before the
 * list is loaded again; a load that started later knows better. A counter
 * orders the two, where two clock readings could tie.
 */
let clock = 0;

export function tick(): number {
  clock += 1;
  return clock;
}

export interface RecentRecord {
  record: ExportRecord;
  at: number;
  /** Created here, rather than changed (retried). */
  created: boolean;
}

export function useRecentRecords() {
  const [recent, setRecent] = useState<RecentRecord[]>([]);
  const remember = useCallback((record: ExportRecord, created: boolean) => {
    setRecent(previous => [
      { record, at: tick(), created },
      ...previous.filter(r => r.record.id !== record.id),
    ]);
  }, []);
  return { recent, remember };
}

/**
 * A loaded page with the records known since the load started: changed
 * ones in their place, new ones (on the first page) on top.
 */
export function withRecent(
  items: ExportRecord[],
  loadStartedAt: number,
  recent: RecentRecord[],
  firstPage: boolean,
): ExportRecord[] {
  const newer = recent.filter(r => r.at > loadStartedAt);
  const ids = new Set(items.map(item => item.id));
  const merged = items.map(
    item => newer.find(r => r.record.id === item.id)?.record ?? item,
  );
  if (!firstPage) {
    return merged;
  }
  const added = newer
    .filter(r => r.created && !ids.has(r.record.id))
    .map(r => r.record);
  return [...added, ...merged];
}
