import { inputError } from '../errors';
import type { DeliveryRegistry } from '../delivery/DeliveryChannel';
import type { DatasetRegistry } from '../exports/DatasetRegistry';
import { parseExportRequest } from '../exports/parseRequest';
import { checkScheduleTimeZone, parseCron } from './cron';
import type { StoredSchedule } from './DatabaseScheduleStore';
import {
  MISSED_RUN_POLICIES,
  type Delivery,
  type MissedRunPolicy,
  type WebhookDelivery,
} from './wire';

const KEYS = [
  'name',
  'cron',
  'timezone',
  'export',
  'deliveries',
  'missedRunPolicy',
  'enabled',
];

/** The fields of a schedule a caller may set. */
export type ScheduleFields = Pick<
  StoredSchedule,
  | 'name'
  | 'cron'
  | 'timezone'
  | 'export'
  | 'deliveries'
  | 'missedRunPolicy'
  | 'enabled'
>;

/**
 * Checks a POST /schedules body, or a PATCH body over the current
 * schedule; every refusal names the field. The export definition is
 * checked by the export service's own request check.
 */
export function parseScheduleBody(
  body: unknown,
  context: {
    datasets: DatasetRegistry;
    deliveries: DeliveryRegistry;
    current?: ScheduleFields;
  },
): ScheduleFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw inputError(
      'invalid_schedule',
      'The schedule must be a JSON object with name, cron, timezone, export and deliveries.',
    );
  }
  const given = body as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KEYS.includes(key)) {
      throw inputError(
        'invalid_schedule',
        `${key} is not a field of a schedule; allowed: ${KEYS.join(', ')}.`,
      );
    }
  }
  const current = context.current;
  const pick = (key: string) =>
    key in given ? given[key] : current?.[key as keyof ScheduleFields];

  const name = pick('name');
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    throw inputError(
      'invalid_schedule_name',
      'name must be text of 1 to 200 characters.',
    );
  }
  const timezone = checkScheduleTimeZone(pick('timezone'));
  const cron = pick('cron');
  parseCron(cron, timezone);

  const exportRequest = pick('export');
  if (exportRequest === undefined) {
    throw inputError(
      'invalid_schedule',
      'export is missing: give the body of POST /exports, ' +
        'e.g. { "dataset": "jobs", "format": "csv" }.',
    );
  }
  const plan = withPrefix('export', () =>
    parseExportRequest(context.datasets, exportRequest, new Date()),
  );

  const deliveries =
    'deliveries' in given
      ? keepSecrets(
          context.deliveries.validate(given.deliveries),
          current?.deliveries ?? [],
        )
      : current?.deliveries;
  if (!deliveries || deliveries.length === 0) {
    throw inputError(
      'invalid_deliveries',
      `deliveries must list at least one delivery, each with a "type" of ${context.deliveries
        .types()
        .join(', ')}.`,
    );
  }

  const policy = pick('missedRunPolicy') ?? 'latest';
  if (!MISSED_RUN_POLICIES.includes(policy as MissedRunPolicy)) {
    throw inputError(
      'invalid_missed_run_policy',
      `missedRunPolicy is ${JSON.stringify(
        policy,
      )}; allowed: ${MISSED_RUN_POLICIES.join(', ')}.`,
    );
  }
  const enabled = pick('enabled') ?? true;
  if (typeof enabled !== 'boolean') {
    throw inputError('invalid_schedule', 'enabled must be true or false.');
  }
  return {
    name: name.trim(),
    cron: (cron as string).trim().split(/\s+/).join(' '),
    timezone,
    export: plan.request,
    deliveries,
    missedRunPolicy: policy as MissedRunPolicy,
    enabled,
  };
}

function withPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error && 'kind' in error) {
      error.message = `${prefix}: ${error.message}`;
    }
    throw error;
  }
}

/** Secrets are write-only: a webhook given again without one keeps it. */
function keepSecrets(next: Delivery[], previous: Delivery[]): Delivery[] {
  return next.map(delivery => {
    if (delivery.type !== 'webhook' || (delivery as WebhookDelivery).secret) {
      return delivery;
    }
    const same = previous.find(
      p =>
        p.type === 'webhook' &&
        (p as WebhookDelivery).url === (delivery as WebhookDelivery).url,
    ) as WebhookDelivery | undefined;
    return same?.secret ? { ...delivery, secret: same.secret } : delivery;
  });
}
