import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import {
  DEFAULT_SCHEDULE_SETTINGS,
  DeliveryRegistry,
  EmailChannel,
  SlackChannel,
  StorageChannel,
  unconfiguredChannel,
  WebhookChannel,
  type Delivery,
  type DeliveryChannel,
  type ScheduleSettings,
} from '@rebound/core';
import path from 'node:path';

/** `recovery.delivery.*` and `recovery.schedules.*`, read once at start. */
export interface DeliveryConfig {
  registry: DeliveryRegistry;
  /** Where failed runs and alerts are told; may be empty. */
  alertDeliveries: Delivery[];
  settings: ScheduleSettings;
  /** How often the runner looks for due runs. */
  frequency: HumanDuration;
}

/**
 * Builds the delivery channels that are configured, plus the channels
 * other plugins added. A bad value fails the start with the key's name.
 */
export function readDeliveryConfig(
  root: Config,
  storageDir: string,
  extraChannels: DeliveryChannel[] = [],
): DeliveryConfig {
  const config = root.getOptionalConfig('recovery.delivery');
  const ms = (c: Config | undefined, key: string, fallback: number) =>
    c?.has(key)
      ? durationToMilliseconds(readDurationFromConfig(c, { key }))
      : fallback;
  const registry = new DeliveryRegistry();

  const smtp = config?.getOptionalConfig('email.smtp');
  if (!smtp) {
    registry.register(
      unconfiguredChannel('email', 'recovery.delivery.email.smtp'),
    );
  } else {
    const port = smtp.getOptionalNumber('port') ?? 587;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(
        `recovery.delivery.email.smtp.port must be a port number, got ${port}.`,
      );
    }
    const auth = smtp.getOptionalConfig('auth');
    registry.register(
      new EmailChannel({
        smtp: {
          host: smtp.getString('host'),
          port,
          secure: smtp.getOptionalBoolean('secure') ?? port === 465,
          ...(auth
            ? {
                auth: {
                  user: auth.getString('user'),
                  pass: auth.getString('pass'),
                },
              }
            : {}),
          from: smtp.getString('from'),
        },
        maxAttachmentBytes: config?.getOptionalNumber(
          'email.maxAttachmentBytes',
        ),
      }),
    );
  }

  registry.register(
    new WebhookChannel({
      allowedHosts:
        config?.getOptionalStringArray('webhook.allowedHosts') ?? [],
      timeoutMs: ms(config, 'webhook.timeout', 30_000),
    }),
  );

  registry.register(
    new StorageChannel({
      root:
        config?.getOptionalString('storage.root') ??
        path.join(storageDir, 'deliveries'),
    }),
  );

  const slack = config?.getOptionalConfig('slack');
  if (!slack) {
    registry.register(
      unconfiguredChannel('slack', 'recovery.delivery.slack.token'),
    );
  } else {
    const baseUrl = slack.getOptionalString('baseUrl');
    if (baseUrl !== undefined) {
      try {
        new URL(baseUrl);
      } catch {
        throw new Error(
          `recovery.delivery.slack.baseUrl is not a URL: '${baseUrl}'; ` +
            'the default is https://slack.com/api.',
        );
      }
    }
    registry.register(
      new SlackChannel({
        token: slack.getString('token'),
        baseUrl,
        maxFileBytes: slack.getOptionalNumber('maxFileBytes'),
      }),
    );
  }

  for (const channel of extraChannels) {
    registry.register(channel);
  }

  const retry = config?.getOptionalConfig('retry');
  const maxAttempts =
    retry?.getOptionalNumber('maxAttempts') ??
    DEFAULT_SCHEDULE_SETTINGS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(
      'recovery.delivery.retry.maxAttempts must be a whole number of at ' +
        `least 1, got ${maxAttempts}.`,
    );
  }
  const schedules = root.getOptionalConfig('recovery.schedules');
  const alertDeliveries = readAlertDeliveries(config, registry);
  return {
    registry,
    alertDeliveries,
    settings: {
      ...DEFAULT_SCHEDULE_SETTINGS,
      maxAttempts,
      backoff: {
        baseMs: ms(
          retry,
          'backoff.base',
          DEFAULT_SCHEDULE_SETTINGS.backoff.baseMs,
        ),
        capMs: ms(
          retry,
          'backoff.cap',
          DEFAULT_SCHEDULE_SETTINGS.backoff.capMs,
        ),
      },
      graceMs: ms(schedules, 'grace', DEFAULT_SCHEDULE_SETTINGS.graceMs),
    },
    frequency: schedules?.has('frequency')
      ? readDurationFromConfig(schedules, { key: 'frequency' })
      : { seconds: 30 },
  };
}

function readAlertDeliveries(
  config: Config | undefined,
  registry: DeliveryRegistry,
): Delivery[] {
  const raw = config?.getOptional('alerts');
  if (raw === undefined) {
    return [];
  }
  try {
    return registry.validate(raw, 'recovery.delivery.alerts');
  } catch (error) {
    throw new Error(
      `${(error as Error).message} Fix recovery.delivery.alerts in app-config.`,
    );
  }
}
