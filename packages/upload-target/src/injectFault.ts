import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type Answer, errorAnswer, sendAnswer } from './http';
import type { FaultTemplate } from './types';

const DEFAULT_SLOW_MS = 1000;
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Fails one request the way `fault` says. `answerBatch` stores the batch and
 * returns the answer it would have sent; it runs first when the fault is
 * `processBeforeFailing`, and not at all for a plain failure.
 */
export async function injectFault(
  fault: FaultTemplate,
  req: IncomingMessage,
  res: ServerResponse,
  answerBatch: () => Answer,
): Promise<void> {
  const early = fault.processBeforeFailing ? answerBatch() : undefined;
  const socket = req.socket;

  switch (fault.mode) {
    case 'status':
      sendAnswer(res, statusAnswer(fault));
      return;
    case 'reset':
      socket.destroy();
      return;
    case 'timeout':
      await waitUnlessHungUp(socket, fault.delayMs ?? DEFAULT_TIMEOUT_MS);
      socket.destroy();
      return;
    case 'slow':
      await waitUnlessHungUp(socket, fault.delayMs ?? DEFAULT_SLOW_MS);
      // A client that gave up never sees a late answer; without an early
      // answer the batch is then not stored, as a server that noticed.
      if (socket.destroyed) return;
      sendAnswer(res, early ?? answerBatch());
  }
}

function statusAnswer(fault: FaultTemplate): Answer {
  const status = fault.status ?? 503;
  const answer = errorAnswer(status, `injected fault: status ${status}`);
  if (fault.retryAfter !== undefined) {
    answer.headers = { 'retry-after': String(fault.retryAfter) };
  }
  return answer;
}

/** Resolves after `ms`, or earlier when the connection closes. */
function waitUnlessHungUp(socket: Socket, ms: number): Promise<void> {
  return new Promise(resolve => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('close', done);
  });
}
