import type { Writable } from 'node:stream';

const closedEarly = (out: Writable) =>
  out.errored ?? new Error('The export output was closed before the end.');

/** Writes a chunk and, when the stream's buffer is full, waits for it. */
export async function writeChunk(
  out: Writable,
  chunk: string | Buffer,
): Promise<void> {
  if (out.destroyed) {
    throw closedEarly(out);
  }
  if (!out.write(chunk)) {
    await drained(out);
  }
}

/**
 * Resolves once the stream drains; rejects when it fails or closes first.
 * `full` says the caller knows the buffer is full, for streams that do
 * not tell.
 */
export function drained(out: Writable, full = false): Promise<void> {
  if (out.destroyed) {
    return Promise.reject(closedEarly(out));
  }
  if (!full && !out.writableNeedDrain) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
    };
    const onDrain = () => {
      done();
      resolve();
    };
    const onClose = () => {
      done();
      reject(closedEarly(out));
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onClose);
  });
}
