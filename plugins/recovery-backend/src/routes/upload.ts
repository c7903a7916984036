import { InputError } from '@backstage/errors';
import type { JobOptions } from '@rebound/core';
import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough, type Readable } from 'node:stream';

/** What a multipart POST /jobs carries once its parts are read. */
export interface Upload {
  fileName: string;
  body: Readable;
  options: () => JobOptions;
}

/**
 * Reads the multipart body: `options` (JSON) and `file` (the CSV). The
 * file streams on to storage as it arrives and is never held in memory;
 * options checked before the file arrives fail the upload at once.
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
    let failed = false;
    const fail = (error: unknown) => {
      if (!failed) {
        failed = true;
        req.unpipe(parser);
        req.resume();
        reject(error);
      }
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
      const body = new PassThrough();
      stream.on('limit', () =>
        body.destroy(
          new InputError(
            `The file is larger than ${maxFileBytes} bytes (recovery.pipeline.maxFileBytes); split it or raise the limit.`,
          ),
        ),
      );
      stream.pipe(body);
      work = consume({
        fileName: info.filename || 'upload.csv',
        body,
        options: () => parsed ?? parseOptions(rawOptions),
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
      work.then(resolve, fail);
    });
    req.pipe(parser);
  });
}
