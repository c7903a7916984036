import { mockCredentials } from '@backstage/backend-test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../../packages/core/src/testing/databases';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
} from './testBackend';

const OPTIONS = { type: 'csv_import', target: 'local' };

/** A file that is clearly not CSV is refused before any row loads. */
describe.each(DATABASE_KINDS)('uploads that are not CSV on %s', kind => {
  let backend: RecoveryTestBackend;

  beforeEach(async () => {
    backend = await startRecoveryTestBackend(kind, {
      defaultCredentials: mockCredentials.user(),
    });
  });

  afterEach(async () => {
    await backend.stop();
  });

  const upload = (content: string | Buffer, name: string) =>
    request(backend.server)
      .post('/api/recovery/jobs')
      .field('options', JSON.stringify(OPTIONS))
      .attach('file', Buffer.from(content), name);

  /** No job was created and no source file stayed in storage. */
  async function nothingKept() {
    expect(await backend.db.knex('jobs').select('id')).toEqual([]);
    const stored = await fs
      .readdir(path.join(backend.storageDir, 'sources'))
      .catch(() => []);
    expect(stored).toEqual([]);
  }

  it('refuses a JSON array uploaded as CSV, saying what to do', async () => {
    const json = JSON.stringify(
      Array.from({ length: 50 }, (_, i) => ({ id: i, name: `n${i}` })),
      null,
      2,
    );
    const res = await upload(json, 'customers.csv');

    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "The file 'customers.csv' is JSON, not CSV: it starts with '[' and " +
        'parses as JSON. Rebound imports CSV only: export the data as CSV (a ' +
        'header line naming the columns, then one line per row) and upload ' +
        'that file.',
    );
    await nothingKept();
  });

  it('refuses JSON Lines and a JSON object too', async () => {
    const lines = await upload('{"id":1}\n{"id":2}\n', 'lines.csv');
    expect(lines.status).toBe(400);
    expect(lines.body.error.message).toMatch(
      /^The file 'lines.csv' is JSON Lines, not CSV/,
    );

    const object = await upload('{ "rows": [] }', 'object.csv');
    expect(object.status).toBe(400);
    expect(object.body.error.message).toMatch(
      /^The file 'object.csv' is JSON, not CSV: it starts with '\{'/,
    );
    await nothingKept();
  });

  it('refuses a spreadsheet, naming the file', async () => {
    const xlsx = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      Buffer.alloc(64, 0),
    ]);

    const res = await upload(xlsx, 'report.xlsx');

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^The file 'report.xlsx' holds NUL bytes, so it is not a CSV text file.*Export it as CSV \(UTF-8\)/,
    );
    await nothingKept();
  });

  it('takes a CSV that only starts with a bracket or a brace as before', async () => {
    const bracketed = await upload('[id],[name]\n1,a\n', 'sql.csv');
    expect(bracketed.status).toBe(201);
    expect(bracketed.body.columns).toEqual(['[id]', '[name]']);

    const braced = await upload('{code},name\n{A},b\n', 'codes.csv');
    expect(braced.status).toBe(201);
  });
});
