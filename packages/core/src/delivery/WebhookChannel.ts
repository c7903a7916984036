import { createHmac } from 'node:crypto';
import { inputError } from '../errors';
import type { Delivery, WebhookDelivery } from '../schedules/wire';
import {
  checkDeliveryKeys,
  DeliveryError,
  type DeliveryChannel,
  type DeliveryContext,
  type DeliveryMessage,
} from './DeliveryChannel';

/** `recovery.delivery.webhook`. @public */
export interface WebhookChannelOptions {
  /** Host names, or host:port, that a webhook may call. */
  allowedHosts: string[];
  timeoutMs?: number;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. @public */
export function signWebhook(
  secret: string,
  timestamp: string,
  body: string,
): string {
  return `sha256=${createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex')}`;
}

/** Why fetch got no answer, without the stack of the network layer. */
function unreachable(error: unknown): string {
  const e = error as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return 'did not answer in time';
  }
  const code = e.cause?.code;
  return code ? `could not be reached (${code})` : 'could not be reached';
}

/** A JSON manifest POSTed to a URL, signed when there is a secret. @public */
export class WebhookChannel implements DeliveryChannel {
  readonly type = 'webhook';
  /** Without an allowed host every webhook URL is refused. */
  readonly missingConfig?: string;

  constructor(private readonly options: WebhookChannelOptions) {
    if (options.allowedHosts.length === 0) {
      this.missingConfig = 'recovery.delivery.webhook.allowedHosts';
    }
  }

  validate(delivery: Record<string, unknown>, where: string): WebhookDelivery {
    checkDeliveryKeys(delivery, ['url', 'secret'], where);
    let url: URL;
    try {
      url = new URL(String(delivery.url));
    } catch {
      throw inputError(
        'invalid_webhook_url',
        `${where}.url is ${JSON.stringify(
          delivery.url,
        )}, which is not a URL; give the full address, e.g. https://hooks.example.com/rebound.`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw inputError(
        'invalid_webhook_url',
        `${where}.url must be http or https, got ${url.protocol}.`,
      );
    }
    if (!this.allowed(url)) {
      throw inputError(
        'webhook_host_not_allowed',
        `${where}.url calls ${url.host}, which is not in ` +
          `recovery.delivery.webhook.allowedHosts (${
            this.options.allowedHosts.join(', ') || 'empty'
          }); ask an administrator to add it.`,
      );
    }
    if (
      delivery.secret !== undefined &&
      (typeof delivery.secret !== 'string' || delivery.secret.length < 8)
    ) {
      throw inputError(
        'invalid_webhook_secret',
        `${where}.secret must be text of at least 8 characters.`,
      );
    }
    return {
      type: 'webhook',
      url: url.toString(),
      ...(delivery.secret ? { secret: delivery.secret as string } : {}),
    };
  }

  recipients(delivery: Delivery): string[] {
    return [(delivery as WebhookDelivery).url];
  }

  redact(delivery: Delivery): Delivery {
    const { secret, ...rest } = delivery as WebhookDelivery;
    return { ...rest, hasSecret: !!secret };
  }

  async deliver(
    delivery: Delivery,
    _recipient: string,
    context: DeliveryContext,
  ): Promise<Record<string, unknown>> {
    const { record } = context.file;
    const body = JSON.stringify({
      exportId: record.id,
      dataset: record.dataset,
      format: record.format,
      fileName: record.fileName,
      rowCount: record.rowCount,
      size: record.size,
      sha256: record.sha256,
      downloadUrl: record.downloadUrl,
      scheduleId: context.schedule.id,
      scheduleName: context.schedule.name,
      runId: context.run.id,
      scheduledFor: context.run.scheduledFor,
    });
    const status = await this.post(
      delivery as WebhookDelivery,
      body,
      context.deliveryId,
    );
    return { status };
  }

  async notify(
    delivery: Delivery,
    _recipient: string,
    message: DeliveryMessage,
  ): Promise<void> {
    await this.post(
      delivery as WebhookDelivery,
      JSON.stringify({ alert: message.subject, message: message.text }),
      crypto.randomUUID(),
    );
  }

  private allowed(url: URL): boolean {
    const hosts = this.options.allowedHosts.map(h => h.toLowerCase());
    return (
      hosts.includes(url.hostname.toLowerCase()) || hosts.includes(url.host)
    );
  }

  private async post(
    delivery: WebhookDelivery,
    body: string,
    deliveryId: string,
  ): Promise<number> {
    const url = new URL(delivery.url);
    if (!this.allowed(url)) {
      throw new DeliveryError(
        'webhook_host_not_allowed',
        `The webhook host ${url.host} is no longer allowed on this backend; ` +
          "change the delivery's URL, or ask an administrator to add the " +
          'host to recovery.delivery.webhook.allowedHosts.',
        { retryable: false },
      );
    }
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Rebound-Delivery': deliveryId,
      'X-Rebound-Timestamp': timestamp,
    };
    if (delivery.secret) {
      headers['X-Rebound-Signature'] = signWebhook(
        delivery.secret,
        timestamp,
        body,
      );
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      throw new DeliveryError(
        'webhook_unreachable',
        `The webhook ${url.origin}${url.pathname} ${unreachable(error)}; ` +
          'check that the receiver is running and reachable from Rebound.',
        { retryable: true, cause: error },
      );
    }
    if (response.status >= 200 && response.status < 300) {
      return response.status;
    }
    const retryable = response.status === 429 || response.status >= 500;
    const after = Number(response.headers.get('retry-after'));
    throw new DeliveryError(
      'webhook_status',
      `The webhook ${url.origin}${url.pathname} answered ${response.status}` +
        (retryable ? '.' : '; a webhook must answer 2xx to accept a delivery.'),
      {
        retryable,
        ...(Number.isFinite(after) && after > 0
          ? { retryAfterSeconds: after }
          : {}),
      },
    );
  }
}
