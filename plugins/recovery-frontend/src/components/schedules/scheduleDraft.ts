import type {
  ExportDatasetInfo,
  ExportRequest,
  MissedRunPolicy,
  Schedule,
  ScheduleInput,
} from '@rebound/core/client';
import { browserTimeZone } from '../exports/ExportDefinitionFields';
import {
  newDeliveryDraft,
  toDelivery,
  toDeliveryDraft,
  type DeliveryDraft,
} from './deliveryDrafts';

/** A schedule as the form edits it. */
export interface ScheduleDraft {
  name: string;
  cron: string;
  timezone: string;
  export: ExportRequest;
  deliveries: DeliveryDraft[];
  missedRunPolicy: MissedRunPolicy;
  enabled: boolean;
}

/** What each missed-run policy does, in the words the form shows. */
export const MISSED_RUN_SENTENCES: Record<
  MissedRunPolicy,
  { label: string; sentence: string }
> = {
  latest: {
    label: 'Run the newest one',
    sentence:
      'After a downtime, one catch-up run for the newest missed slot; the older slots are recorded as missed.',
  },
  all: {
    label: 'Run every one',
    sentence:
      'After a downtime, every missed slot runs, each with its own export and deliveries.',
  },
  skip: {
    label: 'Skip them',
    sentence:
      'Slots that passed while no backend ran are recorded as missed and not run; a slot only minutes late (the grace period) still runs.',
  },
};

/** The policies in the order the form offers them, the default first. */
export const MISSED_RUN_POLICIES = Object.keys(
  MISSED_RUN_SENTENCES,
) as MissedRunPolicy[];

/** A first schedule: every Monday at 08:00 in the viewer's zone, to storage. */
export function newScheduleDraft(datasets: ExportDatasetInfo[]): ScheduleDraft {
  const timezone = browserTimeZone();
  return {
    name: '',
    cron: '0 8 * * 1',
    timezone,
    export: {
      dataset: datasets[0]?.name ?? '',
      format: 'csv',
      options: { timezone },
    },
    deliveries: [newDeliveryDraft('storage')],
    missedRunPolicy: 'latest',
    enabled: true,
  };
}

export function toScheduleDraft(schedule: Schedule): ScheduleDraft {
  return {
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    export: schedule.export,
    deliveries: schedule.deliveries.map(toDeliveryDraft),
    missedRunPolicy: schedule.missedRunPolicy,
    enabled: schedule.enabled,
  };
}

export function toScheduleInput(draft: ScheduleDraft): ScheduleInput {
  return {
    name: draft.name.trim(),
    cron: draft.cron.trim(),
    timezone: draft.timezone,
    export: draft.export,
    deliveries: draft.deliveries.map(toDelivery),
    missedRunPolicy: draft.missedRunPolicy,
    enabled: draft.enabled,
  };
}

/**
 * The fields of `next` that differ from `saved`, for a PATCH that leaves
 * alone what this form did not change (a pause made meanwhile, say).
 */
export function changedFields(
  saved: ScheduleInput,
  next: ScheduleInput,
): Partial<ScheduleInput> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof ScheduleInput)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(saved[key])) {
      changed[key] = next[key];
    }
  }
  return changed as Partial<ScheduleInput>;
}

/** The form's fields a backend message can be about. */
export type ScheduleField =
  | 'name'
  | 'cron'
  | 'timezone'
  | 'export'
  | 'deliveries'
  | 'missedRunPolicy'
  | { delivery: number };

/**
 * The field a 400 message names: the backend starts each with it, e.g.
 * `cron "0 25 * * 1" is not valid` or `deliveries[1].to[0] is "bob"`.
 */
export function fieldOfMessage(message: string): ScheduleField | undefined {
  const delivery = /^deliveries\[(\d+)\]/.exec(message);
  if (delivery) {
    return { delivery: Number(delivery[1]) };
  }
  const field =
    /^(name|cron|timezone|export|deliveries|missedRunPolicy)\b/.exec(message);
  return field ? (field[1] as ScheduleField) : undefined;
}
