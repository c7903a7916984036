import { inputError } from '../errors';
import type { Delivery, SlackDelivery } from '../schedules/wire';
import {
  checkDeliveryKeys,
  DeliveryError,
  readAll,
  type DeliveryChannel,
  type DeliveryContext,
  type DeliveryMessage,
} from './DeliveryChannel';

/** `recovery.delivery.slack`. @public */
export interface SlackChannelOptions {
  /** A bot token (xoxb-...) with files:write and chat:write. */
  token: string;
  /** The Web API's base URL. Default https://slack.com/api. */
  baseUrl?: string;
  /** Larger files are posted as a download link. Default 50 MiB. */
  maxFileBytes?: number;
  timeoutMs?: number;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
// The Web API methods in the words of a delivery's steps.
const STEPS: Record<string, string> = {
  'chat.postMessage': 'the message',
  'files.getUploadURLExternal': 'the start of the file upload',
  'files.completeUploadExternal': 'sharing the file in the channel',
};
// Slack errors that the same call later can get past.
const TEMPORARY = new Set([
  'ratelimited',
  'rate_limited',
  'service_unavailable',
  'internal_error',
  'fatal_error',
  'request_timeout',
]);

/**
 * The file posted to a channel with the summary as its message, through
 * the Web API's upload flow: files.getUploadURLExternal, the upload to
 * the URL it returns, files.completeUploadExternal.
 *
 * @public
 */
export class SlackChannel implements DeliveryChannel {
  readonly type = 'slack';
  private readonly baseUrl: string;

  constructor(private readonly options: SlackChannelOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://slack.com/api').replace(
      /\/+$/,
      '',
    );
  }

  validate(delivery: Record<string, unknown>, where: string): SlackDelivery {
    checkDeliveryKeys(delivery, ['channel'], where);
    const channel = delivery.channel;
    if (typeof channel !== 'string' || !CHANNEL_ID.test(channel)) {
      throw inputError(
        'invalid_slack_channel',
        `${where}.channel is ${JSON.stringify(channel)}; Slack needs the ` +
          'channel id, such as C0123456789, not its name (in Slack: open ' +
          'the channel details and copy the channel ID).',
      );
    }
    return { type: 'slack', channel };
  }

  recipients(delivery: Delivery): string[] {
    return [(delivery as SlackDelivery).channel];
  }

  async deliver(
    delivery: Delivery,
    _recipient: string,
    context: DeliveryContext,
  ): Promise<Record<string, unknown>> {
    const { channel } = delivery as SlackDelivery;
    const { record } = context.file;
    const max = this.options.maxFileBytes ?? 50 * 1024 * 1024;
    if ((record.size ?? 0) > max) {
      const posted = await this.call('chat.postMessage', {
        channel,
        text:
          `${context.summary}\nThe file is too large to post ` +
          `(${record.size} bytes); download it from ${record.downloadUrl}`,
      });
      return { linked: true, ts: posted.ts };
    }
    const content = await readAll(await context.file.open());
    const upload = await this.call(
      'files.getUploadURLExternal',
      { filename: record.fileName, length: String(content.length) },
      'form',
    );
    await this.upload(String(upload.upload_url), content, record.fileName);
    const completed = await this.call('files.completeUploadExternal', {
      files: [{ id: upload.file_id, title: record.fileName }],
      channel_id: channel,
      initial_comment: context.summary,
    });
    return { fileId: upload.file_id, ok: completed.ok };
  }

  async notify(
    delivery: Delivery,
    _recipient: string,
    message: DeliveryMessage,
  ): Promise<void> {
    await this.call('chat.postMessage', {
      channel: (delivery as SlackDelivery).channel,
      text: `*${message.subject}*\n${message.text}`,
    });
  }

  private async call(
    method: string,
    args: Record<string, unknown>,
    encoding: 'json' | 'form' = 'json',
  ): Promise<Record<string, unknown>> {
    const body =
      encoding === 'form'
        ? new URLSearchParams(args as Record<string, string>).toString()
        : JSON.stringify(args);
    const response = await this.fetch(`${this.baseUrl}/${method}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.options.token}`,
        'Content-Type':
          encoding === 'form'
            ? 'application/x-www-form-urlencoded'
            : 'application/json; charset=utf-8',
      },
      body,
    });
    const after = Number(response.headers.get('retry-after'));
    const retryAfter =
      Number.isFinite(after) && after > 0 ? { retryAfterSeconds: after } : {};
    if (response.status === 429 || response.status >= 500) {
      throw new DeliveryError(
        'slack_unavailable',
        `Slack is not available for now (it answered ${response.status} ` +
          `to ${STEPS[method] ?? method}).`,
        { retryable: true, ...retryAfter },
      );
    }
    const answer = (await response.json().catch(() => ({}))) as Record<
      string,
      unknown
    >;
    if (answer.ok !== true) {
      const error = String(answer.error ?? `http_${response.status}`);
      throw new DeliveryError(
        `slack_${error}`,
        `Slack refused ${STEPS[method] ?? method}: ${error}${hint(error)}`,
        { retryable: TEMPORARY.has(error), ...retryAfter },
      );
    }
    return answer;
  }

  private async upload(url: string, content: Buffer, fileName: string) {
    const response = await this.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: content,
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status !== 200) {
      throw new DeliveryError(
        'slack_upload_failed',
        `Slack did not take the upload of ${fileName} (it answered ` +
          `${response.status}).`,
        { retryable: response.status === 429 || response.status >= 500 },
      );
    }
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      // The address and the network's error stay in the cause, for the log.
      throw new DeliveryError(
        'slack_unreachable',
        'Slack could not be reached; if this persists, ask an ' +
          'administrator to check that the backend can reach Slack ' +
          '(recovery.delivery.slack.baseUrl), then resend.',
        { retryable: true, cause: error },
      );
    }
  }
}

function hint(error: string): string {
  switch (error) {
    case 'not_in_channel':
      return '; invite the Rebound bot to the channel (/invite @Rebound).';
    case 'channel_not_found':
      return '; check the channel id and that the bot can see the channel.';
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
      return '; ask an administrator to check the bot token (recovery.delivery.slack.token), then resend.';
    case 'ratelimited':
      return '; Slack asked to slow down (a retry waits as long as it asks).';
    default:
      return '.';
  }
}
