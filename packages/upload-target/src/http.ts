import type { IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP answer computed before it is sent, so it can be stored or held. */
export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A request the target refuses; the message goes to the client. */
export class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface RequestBody {
  /** null when the body was larger than the limit. */
  bytes: Buffer | null;
  size: number;
}

export function jsonAnswer(
  status: number,
  value: unknown,
  headers?: Record<string, string>,
): Answer {
  return { status, body: JSON.stringify(value), headers };
}

export function errorAnswer(status: number, message: string): Answer {
  return jsonAnswer(status, { error: message });
}

export function sendAnswer(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;

  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(answer.body),
    ...answer.headers,
  });
  res.end(answer.body);
}

/**
 * Reads the whole body. Past the limit it keeps reading but drops the bytes:
 * answering before the client has finished sending would break its write
 * and hide the 413 behind a connection error.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;

    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () =>
      resolve({ bytes: size <= limit ? Buffer.concat(chunks) : null, size }),
    );
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('client hung up mid-body'));
    });
  });
}

/** Parses a JSON body or refuses it with a 400 that quotes the parser. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new RequestError(
      400,
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
