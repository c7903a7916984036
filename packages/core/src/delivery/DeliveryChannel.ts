import type { Readable } from 'node:stream';
import { inputError } from '../errors';
import type { ExportRecord } from '../exports/wire';
import type { Delivery, DeliveryChannelInfo } from '../schedules/wire';

/** The finished export a run delivers. @public */
export interface DeliveryFile {
  record: ExportRecord;
  contentType: string;
  /** A fresh stream of the file for each call. */
  open(): Promise<Readable>;
}

/** Everything one delivery attempt needs to know. @public */
export interface DeliveryContext {
  /** Unique per attempt; a receiver can drop repeats by it. */
  deliveryId: string;
  schedule: { id: string; name: string; timezone: string };
  run: { id: string; scheduledFor: string };
  file: DeliveryFile;
  /** A few lines on the export, for subjects and messages. */
  summary: string;
}

/** A plain message, such as an alert, sent through a channel. @public */
export interface DeliveryMessage {
  subject: string;
  text: string;
}

/**
 * One way of delivering an export: email, webhook, storage, Slack, or
 * one a plugin adds through the registry.
 *
 * @public
 */
export interface DeliveryChannel {
  readonly type: string;
  /**
   * The config key this backend lacks for the channel to deliver at all,
   * e.g. `recovery.delivery.email.smtp`; absent when it can deliver.
   */
  readonly missingConfig?: string;
  /**
   * Checks a delivery as a caller gave it and returns it cleaned up; a
   * bad one is a 400 naming `where` (e.g. `deliveries[1].url`).
   */
  validate(delivery: Record<string, unknown>, where: string): Delivery;
  /** Each recipient is attempted and recorded on its own. */
  recipients(delivery: Delivery): string[];
  /** Delivers the file; what it returns is kept on the attempt. */
  deliver(
    delivery: Delivery,
    recipient: string,
    context: DeliveryContext,
  ): Promise<Record<string, unknown> | void>;
  /** Sends a message without a file, e.g. an alert. */
  notify?(
    delivery: Delivery,
    recipient: string,
    message: DeliveryMessage,
  ): Promise<void>;
  /** The delivery as answers show it: secrets removed. */
  redact?(delivery: Delivery): Delivery;
}

/**
 * A failed delivery attempt. `retryable` says whether the same attempt
 * later can succeed (a timeout, a 503) or not (a refused address).
 *
 * @public
 */
export class DeliveryError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  /** What the channel knows of the failed try, kept on the attempt. */
  readonly detail?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: {
      retryable: boolean;
      retryAfterSeconds?: number;
      cause?: unknown;
      detail?: Record<string, unknown>;
    },
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.code = code;
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.detail = options.detail;
  }
}

/** The delivery channels by type; plugins may register more. @public */
export class DeliveryRegistry {
  private readonly channels = new Map<string, DeliveryChannel>();

  register(channel: DeliveryChannel): this {
    if (this.channels.has(channel.type)) {
      throw new Error(
        `A delivery channel of type '${channel.type}' is already registered.`,
      );
    }
    this.channels.set(channel.type, channel);
    return this;
  }

  has(type: string): boolean {
    return this.channels.has(type);
  }

  types(): string[] {
    return [...this.channels.keys()];
  }

  /** Each channel's type and whether this backend can deliver by it. */
  describe(): DeliveryChannelInfo[] {
    return [...this.channels.values()].map(channel =>
      channel.missingConfig
        ? {
            type: channel.type,
            configured: false,
            missingConfig: channel.missingConfig,
          }
        : { type: channel.type, configured: true },
    );
  }

  get(type: string): DeliveryChannel {
    const channel = this.channels.get(type);
    if (!channel) {
      throw new Error(`No delivery channel of type '${type}' is registered.`);
    }
    return channel;
  }

  /** Checks a list of deliveries as given, naming the bad one. */
  validate(value: unknown, where = 'deliveries'): Delivery[] {
    if (!Array.isArray(value)) {
      throw inputError(
        'invalid_deliveries',
        `${where} must be an array of deliveries, each with a "type" of ` +
          `${this.types().join(', ')}.`,
      );
    }
    return value.map((item, i) => {
      const at = `${where}[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw inputError('invalid_delivery', `${at} must be an object.`);
      }
      const type = (item as { type?: unknown }).type;
      const channel =
        typeof type === 'string' ? this.channels.get(type) : undefined;
      if (!channel) {
        throw inputError(
          'unknown_delivery_type',
          `${at}.type is ${JSON.stringify(type)}, which is not a delivery ` +
            `type; allowed: ${this.types().join(', ')}.`,
        );
      }
      return channel.validate(item as Record<string, unknown>, at);
    });
  }

  redact(delivery: Delivery): Delivery {
    const channel = this.channels.get(delivery.type);
    return channel?.redact ? channel.redact(delivery) : delivery;
  }
}

/**
 * Stands for a built-in channel the backend has no config for: it is
 * listed as not configured, and a delivery by it is refused naming the
 * key an administrator sets.
 *
 * @public
 */
export function unconfiguredChannel(
  type: string,
  configKey: string,
): DeliveryChannel {
  const message =
    `${type} deliveries are not configured on this backend; an ` +
    `administrator sets ${configKey}, or choose another delivery type.`;
  return {
    type,
    missingConfig: configKey,
    validate(_delivery, where) {
      throw inputError('delivery_not_configured', `${where}: ${message}`);
    },
    recipients: () => [type],
    async deliver() {
      throw new DeliveryError('delivery_not_configured', message, {
        retryable: false,
      });
    },
  };
}

/** Refuses keys a delivery does not know, naming them. */
export function checkDeliveryKeys(
  delivery: Record<string, unknown>,
  allowed: string[],
  where: string,
): void {
  for (const key of Object.keys(delivery)) {
    if (!['type', ...allowed].includes(key)) {
      throw inputError(
        'invalid_delivery',
        `${where}.${key} is not known for ${delivery.type} deliveries; ` +
          `allowed: type, ${allowed.join(', ')}.`,
      );
    }
  }
}

/** Reads a whole stream; for files already known to be small. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** The export's summary lines, shared by the channels. */
export function summarise(
  schedule: { name: string },
  record: ExportRecord,
  scheduledFor: string,
): string {
  const size = record.size ?? 0;
  const sizeText =
    size >= 1024 * 1024
      ? `${(size / 1024 / 1024).toFixed(1)} MiB`
      : size >= 1024
      ? `${(size / 1024).toFixed(1)} KiB`
      : `${size} bytes`;
  return [
    `${schedule.name}: ${record.dataset} export, ${record.format}`,
    `Rows: ${record.rowCount ?? 0}`,
    `File: ${record.fileName} (${sizeText})`,
    `SHA-256: ${record.sha256 ?? ''}`,
    `Scheduled for: ${scheduledFor}`,
    ...(record.downloadUrl ? [`Download: ${record.downloadUrl}`] : []),
  ].join('\n');
}
