import { InputError } from '@backstage/errors';
import type { JobOptions } from '@rebound/core';
import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough, type Readable } from 'node:stream';

/** What a multipart POST /jobs carries once its parts are read. */
export interface Upload {
  fileName: string;
  body: Readable;
  /**
   * The checked options, once the whole form has been read: it rejects
   * when the form turns out wrong after the file, so that no job is
   * created for a refused request and the stored file is removed.
   */
  options: () => Promise<JobOptions>;
}

/**
 * Reads the multipart body: `options` (JSON) and `file` (the CSV). The
 * file streams on to storage as it arrives and is never held in memory;
 * options checked before the file arrives fail the upload at once.
 *
 * Whatever stops an upload (bad options, a second file, a broken form, a
 * file over the limit, a client that went away) also stops the file's
 * stream into storage, and the answer waits until `consume` has settled,
 * so no half-written or orphaned source file is left behind.
 */
export function readUpload(
  req: Request,
  parseOptions: (raw: unknown) => JobOptions,
  maxFileBytes: number,
  consume: (upload: Upload) => Promise<unknown>,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) {
      reject(
        new InputError(
          `POST /jobs takes multipart/form-data with the fields "options" and "file", not '${
            type || 'no content type'
          }'. ` +
            `With curl: -F 'options={"type":"csv_import","target":"local"}' -F file=@data.csv`,
        ),
      );
      return;
    }
    let rawOptions: string | undefined;
    let parsed: JobOptions | undefined;
    let work: Promise<unknown> | undefined;
    let body: PassThrough | undefined;
    let failed = false;
    const form = formCompletion();
    const fail = (error: unknown) => {
      if (failed) {
        return;
      }
      failed = true;
      req.unpipe(parser);
      req.resume();
      // Destroying the body makes storage drop the file it was writing.
      body?.destroy(error as Error);
      form.fail(error);
      // Answer once the stored file, if any, is gone again.
      (work ?? Promise.resolve()).then(
        () => reject(error),
        () => reject(error),
      );
    };

    const parser = busboy({
      headers: req.headers,
      // File names arrive as UTF-8 from browsers and curl.
      defParamCharset: 'utf8',
      limits: { fileSize: maxFileBytes, fields: 8 },
    });
    parser.on('field', (name, value) => {
      if (name === 'options') {
        if (rawOptions !== undefined) {
          fail(new InputError('The form has two "options" fields; send one.'));
          return;
        }
        rawOptions = value;
        try {
          parsed = parseOptions(value);
        } catch (error) {
          fail(error);
        }
      }
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || failed) {
        stream.resume();
        return;
      }
      if (work) {
        stream.resume();
        fail(
          new InputError(
            'The form has two "file" fields; send one CSV per job.',
          ),
        );
        return;
      }
      const file = new PassThrough();
      body = file;
      // Its errors reach the caller through consume and fail; storage may
      // not be reading it yet when it is destroyed.
      file.on('error', () => undefined);
      stream.on('limit', () =>
        file.destroy(
          new InputError(
            `The file is larger than ${maxFileBytes} bytes (recovery.pipeline.maxFileBytes); split it or raise the limit.`,
          ),
        ),
      );
      // pipe() does not pass errors on: a broken form must stop the file.
      stream.on('error', error => file.destroy(error));
      stream.pipe(file);
      work = consume({
        fileName: info.filename || 'upload.csv',
        body: file,
        options: async () => {
          await form.done;
          return parsed ?? parseOptions(rawOptions);
        },
      });
      work.catch(fail);
    });
    parser.on('error', error =>
      fail(
        new InputError(
          `The multipart body cannot be read: ${(error as Error).message}`,
        ),
      ),
    );
    parser.on('close', () => {
      if (failed) {
        return;
      }
      if (!work) {
        fail(
          new InputError(
            'The form has no "file" field; attach the CSV as file=@data.csv.',
          ),
        );
        return;
      }
      form.complete();
      work.then(resolve, fail);
    });
    req.on('close', () => {
      if (!req.complete) {
        fail(
          new InputError(
            'The upload was cut off before the whole form arrived; send it again.',
          ),
        );
      }
    });
    req.pipe(parser);
  });
}

/** Settles when busboy has read the whole form, or when the upload failed. */
function formCompletion() {
  let complete = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    complete = resolve;
    fail = reject;
  });
  // Nobody may be waiting yet when the upload fails early.
  done.catch(() => undefined);
  return { done, complete, fail };
}
