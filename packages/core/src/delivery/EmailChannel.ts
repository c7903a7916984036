import nodemailer, { type Transporter } from 'nodemailer';
import { inputError } from '../errors';
import type { Delivery, EmailDelivery } from '../schedules/wire';
import {
  checkDeliveryKeys,
  DeliveryError,
  readAll,
  type DeliveryChannel,
  type DeliveryContext,
  type DeliveryMessage,
} from './DeliveryChannel';

/** `recovery.delivery.email`. @public */
export interface EmailChannelOptions {
  smtp: {
    host: string;
    port: number;
    secure?: boolean;
    auth?: { user: string; pass: string };
    from: string;
  };
  /** Largest message attachment after base64; larger files go as a link. */
  maxAttachmentBytes?: number;
  timeoutMs?: number;
}

const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+$/;
const DEFAULT_MAX_ATTACHMENT = 10 * 1024 * 1024;

/** Bytes a file takes in a message: base64 makes 4 of 3, plus line ends. */
export function base64Size(bytes: number): number {
  const encoded = 4 * Math.ceil(bytes / 3);
  return encoded + 2 * Math.ceil(encoded / 76);
}

/** Email over SMTP with nodemailer. @public */
export class EmailChannel implements DeliveryChannel {
  readonly type = 'email';
  private readonly transport: Transporter;

  constructor(private readonly options: EmailChannelOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    this.transport = nodemailer.createTransport({
      host: options.smtp.host,
      port: options.smtp.port,
      secure: options.smtp.secure ?? false,
      ...(options.smtp.auth ? { auth: options.smtp.auth } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  validate(delivery: Record<string, unknown>, where: string): EmailDelivery {
    checkDeliveryKeys(delivery, ['to'], where);
    const to = delivery.to;
    if (!Array.isArray(to) || to.length === 0) {
      throw inputError(
        'invalid_email_delivery',
        `${where}.to must be a non-empty array of email addresses.`,
      );
    }
    to.forEach((address, i) => {
      if (typeof address !== 'string' || !ADDRESS.test(address.trim())) {
        throw inputError(
          'invalid_email_address',
          `${where}.to[${i}] is ${JSON.stringify(
            address,
          )}, which is not an email address; write it as name@example.com.`,
        );
      }
    });
    return { type: 'email', to: to.map((a: string) => a.trim()) };
  }

  recipients(delivery: Delivery): string[] {
    return (delivery as EmailDelivery).to;
  }

  async deliver(
    _delivery: Delivery,
    recipient: string,
    context: DeliveryContext,
  ): Promise<Record<string, unknown>> {
    const { record } = context.file;
    const max = this.options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT;
    const attach = base64Size(record.size ?? 0) <= max;
    const content = attach ? await readAll(await context.file.open()) : null;
    const link = attach
      ? ''
      : `\n\nThe file is too large to attach (${record.size} bytes); ` +
        `download it from ${record.downloadUrl}`;
    const rows = record.rowCount ?? 0;
    const info = await this.send({
      to: recipient,
      subject: `${context.schedule.name}: ${rows} ${
        rows === 1 ? 'row' : 'rows'
      } of ${record.dataset} (${record.format})`,
      text: `${context.summary}${link}\n`,
      headers: { 'X-Rebound-Delivery': context.deliveryId },
      ...(content
        ? {
            attachments: [
              {
                filename: record.fileName,
                content,
                contentType: context.file.contentType,
              },
            ],
          }
        : {}),
    });
    return { messageId: info.messageId, attached: attach };
  }

  async notify(
    _delivery: Delivery,
    recipient: string,
    message: DeliveryMessage,
  ): Promise<void> {
    await this.send({
      to: recipient,
      subject: message.subject,
      text: message.text,
    });
  }

  private async send(
    mail: nodemailer.SendMailOptions,
  ): Promise<{ messageId: string }> {
    try {
      return await this.transport.sendMail({
        from: this.options.smtp.from,
        ...mail,
      });
    } catch (error) {
      throw smtpFailure(error, String(mail.to));
    }
  }
}

type SmtpError = Error & {
  responseCode?: number;
  response?: string;
  code?: string;
};

/**
 * A failed send in words a reader of the run can act on. The server's
 * address stays in the cause, for the log.
 */
function smtpFailure(error: unknown, to: string): DeliveryError {
  const e = error as SmtpError;
  const said = e.response ?? e.message;
  // 4xx answers are temporary in SMTP; 5xx are final.
  const permanent = e.responseCode !== undefined && e.responseCode >= 500;
  if (e.code === 'EAUTH') {
    return new DeliveryError(
      'smtp_auth_failed',
      `The mail server refused Rebound's sign-in (${said}); ask an ` +
        'administrator to check recovery.delivery.email.smtp.auth, then resend.',
      { retryable: !permanent, cause: error },
    );
  }
  if (permanent) {
    return new DeliveryError(
      'smtp_refused',
      `The mail server refused the message to ${to} (${said}); check the ` +
        'address, or remove it from the delivery.',
      { retryable: false, cause: error },
    );
  }
  if (e.responseCode !== undefined) {
    return new DeliveryError(
      'smtp_failed',
      `The mail server did not take the message to ${to} for now (${said}).`,
      { retryable: true, cause: error },
    );
  }
  return new DeliveryError(
    'smtp_unreachable',
    `The mail server could not be reached (${
      e.code === 'ETIMEDOUT'
        ? 'it did not answer in time'
        : e.code ?? 'no answer'
    }); if this persists, ask an administrator to check ` +
      'recovery.delivery.email.smtp, then resend.',
    { retryable: true, cause: error },
  );
}
