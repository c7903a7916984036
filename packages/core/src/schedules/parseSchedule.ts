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
          refuseRepeats(
            context.deliveries.validate(given.deliveries),
            context.deliveries,
          ),
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

/** How two deliveries to one recipient would clash, by type. */
function repeatOf(type: string, recipient: string): string {
  switch (type) {
    case 'storage':
      return `both write the file to "${recipient}", so the second would overwrite the first; remove one, or give it another path`;
    case 'email':
      return `both send the file to ${recipient}, who would get it twice; remove the address from one`;
    case 'webhook':
      return `both call ${recipient}, which would get every file twice; remove one`;
    case 'slack':
      return `both post to the Slack channel ${recipient}, which would get every file twice; remove one`;
    default:
      return `both deliver by ${type} to ${recipient}; remove one`;
  }
}

/** One recipient as deliveries are compared: addresses ignore case. */
function recipientKey(type: string, recipient: string): string {
  if (type === 'email') {
    return recipient.toLowerCase();
  }
  return type === 'storage' ? recipient.replace(/[\\/]+/g, '/') : recipient;
}

/**
 * Refuses a delivery that repeats another (same type, same recipient):
 * both would be sent, and two storage deliveries would write one file.
 */
function refuseRepeats(
  deliveries: Delivery[],
  registry: DeliveryRegistry,
): Delivery[] {
  const seen = new Map<string, number>();
  deliveries.forEach((delivery, index) => {
    if (!registry.has(delivery.type)) {
      return;
    }
    for (const recipient of registry.get(delivery.type).recipients(delivery)) {
      const key = `${delivery.type} ${recipientKey(delivery.type, recipient)}`;
      const first = seen.get(key);
      if (first === index) {
        throw inputError(
          'duplicate_delivery',
          `deliveries[${index}] lists ${recipient} twice; list each recipient once.`,
        );
      }
      if (first !== undefined) {
        throw inputError(
          'duplicate_delivery',
          `deliveries[${index}] repeats deliveries[${first}]: ${repeatOf(
            delivery.type,
            recipient,
          )}.`,
        );
      }
      seen.set(key, index);
    }
  });
  return deliveries;
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
