import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleBulkRequest } from './bulkEndpoint';
import { CONTROL_PREFIX, handleControlRequest } from './controlEndpoint';
import { UploadTargetConfigError } from './errors';
import { errorAnswer, sendAnswer } from './http';
import { TargetState } from './TargetState';
import type { UploadTarget, UploadTargetOptions } from './types';

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

interface ListenSettings {
  port: number;
  host: string;
  path: string;
  maxBodyBytes: number;
}

/**
 * Starts an upload target that speaks Rebound's bulk protocol and resolves
 * once it listens.
 *
 * @public
 */
export async function startUploadTarget(
  options: UploadTargetOptions = {},
): Promise<UploadTarget> {
  const settings = readListenSettings(options);
  const state = TargetState.create(options);

  const server = createServer((req, res) => {
    routeRequest(state, settings, req, res).catch(error =>
      answerUnexpected(res, error),
    );
  });
  const sockets = trackSockets(server);

  await listen(server, settings);
  const port = (server.address() as AddressInfo).port;
  return createHandle(state, server, sockets, settings, port);
}

function readListenSettings(options: UploadTargetOptions): ListenSettings {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UploadTargetConfigError(
      `port is ${port}; use a whole number from 0 to 65535`,
    );
  }

  const path = options.path ?? '/bulk';
  if (!path.startsWith('/') || path.startsWith(CONTROL_PREFIX)) {
    throw new UploadTargetConfigError(
      `path is ${JSON.stringify(path)}; use one that starts with / and ` +
        `not with ${CONTROL_PREFIX}`,
    );
  }

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new UploadTargetConfigError(
      `maxBodyBytes is ${maxBodyBytes}; use a positive whole number`,
    );
  }
  return { port, host: options.host ?? '127.0.0.1', path, maxBodyBytes };
}

async function routeRequest(
  state: TargetState,
  settings: ListenSettings,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://target').pathname;

  if (path === settings.path) {
    if (req.method === 'POST') {
      await handleBulkRequest(state, settings.maxBodyBytes, req, res);
      return;
    }
    const answer = errorAnswer(405, `use POST on ${settings.path}`);
    sendAnswer(res, { ...answer, headers: { allow: 'POST' } });
    return;
  }

  if (path.startsWith(`${CONTROL_PREFIX}/`)) {
    await handleControlRequest(state, path, req, res);
    return;
  }
  const message = `nothing at ${path}; batches go to POST ${settings.path}`;
  sendAnswer(res, errorAnswer(404, message));
}

/** A bug must not crash a shared test server; the client sees a 500. */
function answerUnexpected(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendAnswer(res, errorAnswer(500, `upload target failed: ${message}`));
}

/** Timeout faults hold sockets open; close() must not wait for them. */
function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: Server, settings: ListenSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function createHandle(
  state: TargetState,
  server: Server,
  sockets: Set<Socket>,
  settings: ListenSettings,
  port: number,
): UploadTarget {
  const host = settings.host.includes(':')
    ? `[${settings.host}]`
    : settings.host;
  const baseUrl = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: `${baseUrl}${settings.path}`,
    baseUrl,
    port,
    addFault: rule => state.addFaults(rule),
    clearFaults: () => state.faults.clear(),
    pendingFaults: () => state.faults.pending(),
    configure: patch => state.configure(patch),
    config: () => state.config(),
    stats: () => state.store.stats(),
    records: jobId => state.store.records(jobId),
    reset: () => state.store.reset(),
    close: () => {
      closing ??= new Promise(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
