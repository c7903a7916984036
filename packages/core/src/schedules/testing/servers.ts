import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A request one of the stand-ins received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * An HTTP server on 127.0.0.1 that records every request and answers
 * with what `answer` returns.
 */
export async function startHttpServer(
  answer: (
    request: ReceivedRequest,
    index: number,
  ) => { status: number; body?: unknown; headers?: Record<string, string> },
) {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      res.writeHead(reply.status, {
        'Content-Type': 'application/json',
        ...reply.headers,
      });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A received mail, with its attachments decoded. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  text: string;
  attachments: { fileName: string; content: Buffer; sha256: string }[];
}

/**
 * A real SMTP server in the test process (smtp-server); `refuse` can
 * answer a message with an SMTP error code.
 */
export async function startSmtpServer(
  refuse?: (index: number) => { code: number; message: string } | undefined,
) {
  const mails: ReceivedMail[] = [];
  let index = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = refuse?.(index++);
        if (refusal) {
          const error = new Error(refusal.message) as Error & {
            responseCode: number;
          };
          error.responseCode = refusal.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push(parseMail(raw, session));
        callback();
      });
    },
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function parseMail(
  raw: string,
  session: {
    envelope: {
      mailFrom: false | { address: string };
      rcptTo: { address: string }[];
    };
  },
): ReceivedMail {
  const [head] = raw.split(/\r\n\r\n/);
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(unfolded)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  const attachments: ReceivedMail['attachments'] = [];
  let text = '';
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
    const body = part.slice(split + 4);
    const name = /filename\*?=(?:UTF-8'')?"?([^";\r\n]+)"?/i.exec(headers)?.[1];
    const base64 = /Content-Transfer-Encoding: base64/i.test(headers);
    const content = base64
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : Buffer.from(body.replace(/=\r\n/g, ''));
    if (/Content-Disposition: attachment/i.test(headers) && name) {
      attachments.push({
        fileName: decodeURIComponent(name),
        content,
        sha256: createHash('sha256').update(content).digest('hex'),
      });
    } else if (/text\/plain/i.test(headers)) {
      text = content.toString('utf8');
    }
  }
  return {
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    to: session.envelope.rcptTo.map(r => r.address),
    raw,
    subject,
    text,
    attachments,
  };
}
