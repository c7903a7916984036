import { mockCredentials } from '@backstage/backend-test-utils';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../../packages/core/src/testing/databases';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
} from './testBackend';

const BOUNDARY = 'rebound-test-boundary';
const OPTIONS = JSON.stringify({ type: 'csv_import', target: 'local' });

function part(name: string, fileName?: string): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"` +
    (fileName ? `; filename="${fileName}"\r\nContent-Type: text/csv` : '') +
    '\r\n\r\n'
  );
}

function rowsOf(count: number): string {
  return Array.from({ length: count }, (_, i) => `${i},value ${i}\n`).join('');
}

/** Every file under the storage folder, relative to it. */
async function storedFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(entry => entry.isFile())
    .map(entry =>
      path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)),
    );
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/** Uploads that stop half-way leave no file behind in storage. */
describe.each(DATABASE_KINDS)('an upload that stops on %s', kind => {
  let backend: RecoveryTestBackend;

  beforeEach(async () => {
    backend = await startRecoveryTestBackend(kind, {
      defaultCredentials: mockCredentials.user(),
    });
  });

  afterEach(async () => {
    await backend.stop();
  });

  function port(): number {
    return ((backend.server as http.Server).address() as AddressInfo).port;
  }

  async function jobCount(): Promise<number> {
    const jobs = await backend.db.knex('jobs').count({ n: '*' }).first();
    return Number(jobs?.n ?? 0);
  }

  it('removes the partial file when the client goes away mid-file', async () => {
    const req = http.request({
      host: '127.0.0.1',
      port: port(),
      method: 'POST',
      path: '/api/recovery/jobs',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
    });
    req.on('error', () => undefined);
    req.write(`${part('options')}${OPTIONS}\r\n${part('file', 'big.csv')}`);
    req.write(`a,b\n${rowsOf(20_000)}`);

    const partial = await eventually(
      () => storedFiles(backend.storageDir),
      files => files.some(file => file.endsWith('.partial')),
    );
    expect(partial.some(file => file.endsWith('.partial'))).toBe(true);
    req.destroy();

    const left = await eventually(
      () => storedFiles(backend.storageDir),
      files => files.length === 0,
    );
    expect(left).toEqual([]);
    expect(await jobCount()).toBe(0);
  });

  it('removes the partial file of a form that breaks off inside the file', async () => {
    // The body ends without the closing boundary of the file part.
    const body = `${part('options')}${OPTIONS}\r\n${part(
      'file',
      'cut.csv',
    )}a,b\n${rowsOf(5000)}`;

    const res = await request(backend.server)
      .post('/api/recovery/jobs')
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(body);

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /The multipart body cannot be read: Unexpected end of form/,
    );
    expect(await storedFiles(backend.storageDir)).toEqual([]);
    expect(await jobCount()).toBe(0);
  });

  it('creates no job and keeps no file when a second file follows the first', async () => {
    const res = await request(backend.server)
      .post('/api/recovery/jobs')
      .field('options', OPTIONS)
      .attach('file', Buffer.from(`a,b\n${rowsOf(2000)}`), 'one.csv')
      .attach('file', Buffer.from('a,b\n1,2\n'), 'two.csv');

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/two "file" fields/);
    expect(await jobCount()).toBe(0);
    expect(await storedFiles(backend.storageDir)).toEqual([]);
  });

  it('keeps no file when options after the file are refused', async () => {
    const res = await request(backend.server)
      .post('/api/recovery/jobs')
      .attach('file', Buffer.from(`a,b\n${rowsOf(2000)}`), 'late.csv')
      .field('options', JSON.stringify({ type: 'csv_import', target: 'nope' }));

    expect(res.status).toBe(400);
    expect(await jobCount()).toBe(0);
    expect(await storedFiles(backend.storageDir)).toEqual([]);
  });
});
