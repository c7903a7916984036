import { mockCredentials } from '@backstage/backend-test-utils';
import type { Job } from '@rebound/core';
import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import request from 'supertest';
import {
  DATABASE_KINDS,
  type DatabaseKind,
} from '../../../../packages/core/src/testing/databases';
import { startRecoveryTestBackend, type Server } from './testBackend';

const MAX_RECORD_BYTES = 2048;
const MAX_FILE_BYTES = 256 * 1024;
const USER = mockCredentials.user.header();

interface Rebound {
  server: Server;
  target: UploadTarget;
  stop(): Promise<void>;
}

async function startRebound(
  kind: DatabaseKind,
  target: UploadTarget,
): Promise<Rebound> {
  const backend = await startRecoveryTestBackend(kind, {
    targets: {
      api: { type: 'http', url: target.url, timeout: { seconds: 5 } },
    },
    recovery: {
      workers: { pollInterval: { milliseconds: 50 } },
      pipeline: {
        maxRecordBytes: MAX_RECORD_BYTES,
        maxFileBytes: MAX_FILE_BYTES,
        // These tests look at what happens to bad rows, in files
        // too small for the default share; the share has its own
        // tests in the core.
        maxInvalidShare: 1,
      },
      retry: {
        backoff: {
          base: { milliseconds: 10 },
          cap: { milliseconds: 20 },
        },
      },
    },
  });
  return { server: backend.server, target, stop: backend.stop };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function csvOf(rows: number): string {
  const lines = ['id,name,amount'];
  for (let i = 1; i <= rows; i++) {
    lines.push(`${i},"Name, ${i}",${i}.5`);
  }
  return `${lines.join('\n')}\n`;
}

describe.each(DATABASE_KINDS)('recovery routes on %s', kind => {
  let target: UploadTarget;
  let rebound: Rebound;

  beforeAll(async () => {
    target = await startUploadTarget({ port: 0 });
  });

  afterAll(async () => {
    await target.close();
  });

  beforeEach(async () => {
    target.clearFaults();
    target.reset();
    target.configure({ maxRecordsPerRequest: null, rejectWhen: null });
    rebound = await startRebound(kind, target);
  });

  afterEach(async () => {
    await rebound.stop();
  });

  const api = () => request(rebound.server);
  const get = (url: string) =>
    api().get(`/api/recovery${url}`).set('Authorization', USER);
  const post = (url: string, body?: object) =>
    api()
      .post(`/api/recovery${url}`)
      .set('Authorization', USER)
      .send(body ?? {});

  function upload(
    file: Buffer | string | undefined,
    options: object | string | undefined,
    fileName = 'x.csv',
  ) {
    const req = api().post('/api/recovery/jobs').set('Authorization', USER);
    if (options !== undefined) {
      req.field(
        'options',
        typeof options === 'string' ? options : JSON.stringify(options),
      );
    }
    if (file !== undefined) {
      req.attach('file', Buffer.from(file), fileName);
    }
    return req;
  }

  async function submit(
    file: Buffer | string,
    options: object = { type: 'csv_import', target: 'local' },
  ): Promise<Job> {
    const res = await upload(file, options);
    expect(res.status).toBe(201);
    return res.body;
  }

  async function waitFor(
    jobId: string,
    statuses: Job['status'][],
    timeoutMs = 20_000,
  ): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await get(`/jobs/${jobId}`);
      expect(res.status).toBe(200);
      if (statuses.includes(res.body.status)) {
        return res.body;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Job ${jobId} is ${res.body.status}, not ${statuses.join('/')}: ` +
            JSON.stringify(res.body.failure),
        );
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  }

  /** The recovery history of a job once its last attempt has ended. */
  async function historyOf(jobId: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await get(`/recoveries?jobId=${jobId}`);
      expect(res.status).toBe(200);
      const last = res.body.items[0];
      if (!['scheduled', 'running'].includes(last?.status)) {
        return res.body.items;
      }
      if (Date.now() > deadline) {
        throw new Error(`The last attempt of job ${jobId} is ${last.status}`);
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  }

  /** A job of the api target that failed on a 503. */
  async function failedJob(priority = 'normal'): Promise<Job> {
    target.addFault({ mode: 'status', status: 503 });
    const job = await submit(csvOf(5), {
      type: 'api_upload',
      target: 'api',
      priority,
    });
    const failed = await waitFor(job.id, ['failed']);
    expect(failed.failure?.type).toBe('temporary_resource');
    return failed;
  }

  function expectInputError(res: request.Response, message: RegExp) {
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
    expect(res.body.response).toEqual({ statusCode: 400 });
  }

  describe('POST /jobs', () => {
    it('creates a job from a multipart upload and runs it to success', async () => {
      const csv = csvOf(25);

      const res = await upload(csv, {
        type: 'csv_import',
        target: 'local',
        batchSize: 10,
        priority: 'high',
      });

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        type: 'csv_import',
        target: 'local',
        priority: 'high',
        fileName: 'x.csv',
        fileSha256: createHash('sha256').update(csv).digest('hex'),
        columns: ['id', 'name', 'amount'],
        attempts: 0,
        failure: null,
        createdBy: 'user:default/mock',
      });
      expect(['pending', 'running', 'succeeded']).toContain(res.body.status);
      const done = await waitFor(res.body.id, ['succeeded']);
      expect(done.progress).toMatchObject({
        rowsDone: 25,
        rowsAccepted: 25,
        rowsRejected: 0,
        rowsQuarantined: 0,
        percent: 100,
      });
      expect(done.checkpoint).toMatchObject({ rowsDone: 25, batchSeq: 3 });
      expect(done.finishedAt).not.toBeNull();
    });

    it('uploads to an http target, each row once and exactly as the file has it', async () => {
      const csv =
        'id,text,zip\n' +
        '1,"a, b",02134\n' +
        '2,"she said ""hi""",00001\n' +
        '3,"two\nlines",10000000000000000001\n' +
        '4,"crlf\r\ninside",\n' +
        '5,"Zoë ✓ 日本",x\n';

      const job = await submit(csv, { type: 'api_upload', target: 'api' });
      const done = await waitFor(job.id, ['succeeded']);

      expect(done.progress.rowsAccepted).toBe(5);
      expect(target.records(job.id)).toEqual(parse(csv, { columns: true }));
      expect(target.records(job.id)[2]).toEqual({
        id: '3',
        text: 'two\nlines',
        zip: '10000000000000000001',
      });
      expect(target.stats().duplicateRows).toBe(0);
    });

    it('keeps a UTF-8 BOM out of the first column name', async () => {
      const job = await submit(
        Buffer.concat([BOM, Buffer.from('id,name\n1,Ada\n')]),
        { type: 'api_upload', target: 'api' },
      );

      expect(job.columns).toEqual(['id', 'name']);
      expect(job.columns![0]).toHaveLength(2);
      await waitFor(job.id, ['succeeded']);
      expect(target.records(job.id)).toEqual([{ id: '1', name: 'Ada' }]);
    });

    it('sets rows with too many or too few fields aside and loads the rest', async () => {
      const job = await submit('a,b\n1,2\n3\n4,5,6\n7,8\n', {
        type: 'api_upload',
        target: 'api',
      });

      const done = await waitFor(job.id, ['succeeded']);

      expect(done.progress).toMatchObject({
        rowsDone: 4,
        rowsAccepted: 2,
        rowsQuarantined: 2,
      });
      expect(target.records(job.id)).toEqual([
        { a: '1', b: '2' },
        { a: '7', b: '8' },
      ]);
      const errors = await get(`/jobs/${job.id}/errors`);
      expect(errors.status).toBe(200);
      expect(errors.body.items).toEqual([
        expect.objectContaining({
          jobId: job.id,
          row: 2,
          code: 'field_count',
          kind: 'quarantined',
          message: expect.stringContaining('1 field but the header has 2'),
        }),
        expect.objectContaining({
          row: 3,
          code: 'field_count',
          message: expect.stringContaining('3 fields but the header has 2'),
        }),
      ]);
      expect(errors.body.nextCursor).toBeNull();
    });

    it('fails an unclosed quote at the end as data_quality naming the row', async () => {
      const job = await submit('a,b\n1,2\n3,4\n5,"never closed\n');

      const failed = await waitFor(job.id, ['failed']);

      expect(failed.failure).toMatchObject({
        type: 'data_quality',
        recoverability: 'medium',
      });
      expect(failed.failure?.message).toMatch(/data row 3/);
      expect(failed.failure?.message).toMatch(/quoted field is never closed/);
      const analysis = await get(`/jobs/${job.id}/analysis`);
      expect(analysis.body.plan.strategy).toBe('manual_intervention');
    });

    it('reads a latin1 file when options.encoding says so', async () => {
      const file = Buffer.from('name,city\nJosé,Zürich\n', 'latin1');

      const job = await submit(file, {
        type: 'api_upload',
        target: 'api',
        encoding: 'latin1',
      });
      await waitFor(job.id, ['succeeded']);

      expect(target.records(job.id)).toEqual([
        { name: 'José', city: 'Zürich' },
      ]);
    });

    it('refuses a latin1 file sent as UTF-8, naming the line and the setting', async () => {
      const file = Buffer.from('name,city\nAda,Oslo\nJosé,Zürich\n', 'latin1');

      const res = await upload(file, { type: 'api_upload', target: 'api' });

      expectInputError(
        res,
        /^The file 'x\.csv' is not UTF-8: line 3 holds bytes that are not UTF-8 text \("Jos\uFFFD,Z\uFFFDrich", where \uFFFD stands for them\)\. If it is Latin-1 or Windows-1252 .* upload it again with "encoding": "latin1" in the options/,
      );
      expect((await get('/jobs')).body.items).toEqual([]);
    });

    it('quarantines bytes that are not UTF-8 past the first 64 KiB, naming the setting', async () => {
      const rows = Array.from({ length: 8000 }, (_, i) => `row ${i + 1}`);
      const file = Buffer.concat([
        Buffer.from(`name\n${rows.join('\n')}\n`),
        Buffer.from('José\nAda\n', 'latin1'),
      ]);
      expect(file.length).toBeGreaterThan(64 * 1024);

      const job = await submit(file, { type: 'api_upload', target: 'api' });
      await waitFor(job.id, ['succeeded']);

      expect(target.records(job.id)).toHaveLength(8001);
      expect(target.records(job.id).at(-1)).toEqual({ name: 'Ada' });
      const errors = await get(`/jobs/${job.id}/errors`);
      expect(errors.body.items).toEqual([
        expect.objectContaining({
          row: 8001,
          column: 'name',
          code: 'invalid_encoding',
          message: expect.stringContaining('`encoding` in the options'),
        }),
      ]);
    });

    it.each([
      [
        'a;b;c\n1;2;3\n',
        `The header of 'x.csv' reads as one column, "a;b;c", when split at commas; split at ';' it names 3 columns (a, b, c). Upload it again with "delimiter": ";" in the options, or with "delimiter": "," to load it as one column.`,
      ],
      [
        'a\tb\n1\t2\n',
        `The header of 'x.csv' reads as one column, "a\\tb", when split at commas; split at a tab ("\\t") it names 2 columns (a, b). Upload it again with "delimiter": "\\t" in the options, or with "delimiter": "," to load it as one column.`,
      ],
    ])(
      'refuses a header that reads as one column when another delimiter splits it: %j',
      async (csv, message) => {
        const res = await upload(Buffer.from(csv), {
          type: 'api_upload',
          target: 'api',
        });

        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(message);
        expect((await get('/jobs')).body.items).toEqual([]);
      },
    );

    it('loads a one-column file whose header holds a semicolon when told the delimiter is a comma', async () => {
      const job = await submit('a;b\n1;2\n', {
        type: 'api_upload',
        target: 'api',
        delimiter: ',',
      });
      await waitFor(job.id, ['succeeded']);

      expect(target.records(job.id)).toEqual([{ 'a;b': '1;2' }]);
    });

    it('reads another delimiter', async () => {
      const job = await submit('a;b\n"1;2";3\n', {
        type: 'api_upload',
        target: 'api',
        delimiter: ';',
      });
      await waitFor(job.id, ['succeeded']);

      expect(target.records(job.id)).toEqual([{ a: '1;2', b: '3' }]);
    });

    it('casts by the schema and quarantines rows that fail it', async () => {
      const job = await submit(
        'id,zip,born,vip\n1,02134,2024-02-29,yes\nx,1,2024-02-30,maybe\n',
        {
          type: 'api_upload',
          target: 'api',
          schema: {
            columns: {
              id: { type: 'integer', required: true },
              zip: { type: 'string', pattern: '^\\d{5}$' },
              born: { type: 'date' },
              vip: { type: 'boolean' },
            },
          },
        },
      );
      await waitFor(job.id, ['succeeded']);

      expect(target.records(job.id)).toEqual([
        { id: 1, zip: '02134', born: '2024-02-29', vip: true },
      ]);
      const errors = await get(`/jobs/${job.id}/errors`);
      expect(
        errors.body.items.map(
          (e: { row: number; column: string; code: string }) => [
            e.row,
            e.column,
            e.code,
          ],
        ),
      ).toEqual([
        [2, 'id', 'integer'],
        [2, 'zip', 'pattern'],
        [2, 'born', 'date'],
        [2, 'vip', 'boolean'],
      ]);
    });

    it('takes the options after the file too', async () => {
      const res = await api()
        .post('/api/recovery/jobs')
        .set('Authorization', USER)
        .attach('file', Buffer.from('a\n1\n'), 'late.csv')
        .field(
          'options',
          JSON.stringify({ type: 'csv_import', target: 'local' }),
        );

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ fileName: 'late.csv', columns: ['a'] });
    });

    describe('refuses bad input with a 400 that names the problem', () => {
      it('an empty file', async () => {
        expectInputError(
          await upload('', { type: 'csv_import', target: 'local' }),
          /The file is empty/,
        );
      });

      it('a file of empty lines only', async () => {
        expectInputError(
          await upload('\n\r\n\n', { type: 'csv_import', target: 'local' }),
          /no header row/,
        );
      });

      it('a binary file with NUL bytes', async () => {
        const zip = Buffer.from([
          0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00,
        ]);

        expectInputError(
          await upload(zip, { type: 'csv_import', target: 'local' }, 'x.zip'),
          /NUL bytes, so it is not a CSV/,
        );
      });

      it('duplicate header names', async () => {
        expectInputError(
          await upload('id,name,id\n1,2,3\n', {
            type: 'csv_import',
            target: 'local',
          }),
          /'id' twice \(columns 1 and 3\)/,
        );
      });

      it('an empty header name', async () => {
        expectInputError(
          await upload('id,,name\n1,2,3\n', {
            type: 'csv_import',
            target: 'local',
          }),
          /Column 2 of the header row has no name/,
        );
      });

      it('a record larger than recovery.pipeline.maxRecordBytes', async () => {
        const csv = `a,b\n1,2\n3,${'x'.repeat(MAX_RECORD_BYTES * 2)}\n`;

        const res = await upload(csv, { type: 'csv_import', target: 'local' });

        expectInputError(
          res,
          new RegExp(
            `larger than recovery\\.pipeline\\.maxRecordBytes, ${MAX_RECORD_BYTES} bytes; check for an unclosed quote`,
          ),
        );
        expect(res.body.error.message).toMatch(/data row 2/);
        expect(res.body.error.message).not.toMatch(/header/);
      });

      it('a header larger than recovery.pipeline.maxRecordBytes', async () => {
        const csv = `${'h'.repeat(MAX_RECORD_BYTES * 2)}\n1\n`;

        const res = await upload(csv, { type: 'csv_import', target: 'local' });

        expectInputError(res, /^The header row cannot be read/);
        expect(res.body.error.message).toMatch(/maxRecordBytes/);
      });

      it('a file larger than recovery.pipeline.maxFileBytes', async () => {
        const csv = `a\n${'1234567\n'.repeat(MAX_FILE_BYTES / 8 + 10)}`;

        const res = await upload(csv, { type: 'csv_import', target: 'local' });

        expectInputError(
          res,
          /larger than 262144 bytes \(recovery\.pipeline\.maxFileBytes\)/,
        );
        expect((await get('/jobs')).body.items).toEqual([]);
      });

      it('a schema that requires a column the file lacks', async () => {
        expectInputError(
          await upload('id,name\n1,Ada\n', {
            type: 'csv_import',
            target: 'local',
            schema: { columns: { email: { required: true } } },
          }),
          /no column 'email'.*header has: id, name/,
        );
      });

      it('an unknown target, listing the configured ones', async () => {
        expectInputError(
          await upload('a\n1\n', { type: 'csv_import', target: 'nowhere' }),
          /no upload target 'nowhere'\. Configured targets: local, api/,
        );
      });

      it('a target of the other job type', async () => {
        expectInputError(
          await upload('a\n1\n', { type: 'csv_import', target: 'api' }),
          /Target 'api' is a http target, which takes jobs of type 'api_upload'/,
        );
      });

      it('a missing options field', async () => {
        expectInputError(
          await upload('a\n1\n', undefined),
          /The form field "options" is missing/,
        );
      });

      it('malformed options JSON', async () => {
        expectInputError(
          await upload('a\n1\n', '{"type": "csv_import",'),
          /The form field "options" is not valid JSON/,
        );
      });

      it('options cut at a ";" as curl -F does, saying to use --form-string', async () => {
        const res = await upload(
          'a;b\n1;2\n',
          '{"type":"csv_import","target":"local","delimiter":"',
        );

        expectInputError(
          res,
          /not valid JSON .* If you sent it with curl -F and it holds a ";" \(a delimiter, say\), curl cut it there: send it with --form-string instead\.$/,
        );
      });

      it('options that are not an object', async () => {
        expectInputError(
          await upload('a\n1\n', '["csv_import"]'),
          /"options" must be a JSON object/,
        );
      });

      it('an unknown options key', async () => {
        expectInputError(
          await upload('a\n1\n', {
            type: 'csv_import',
            target: 'local',
            batchsize: 10,
          }),
          /options\.batchsize is not known; allowed: type, target, batchSize/,
        );
      });

      it('a bad option value', async () => {
        expectInputError(
          await upload('a\n1\n', {
            type: 'csv_import',
            target: 'local',
            priority: 'urgent',
          }),
          /options\.priority must be one of critical, high, normal, low, got "urgent"/,
        );
      });

      it('a schema rule that is not an object', async () => {
        expectInputError(
          await upload('a\n1\n', {
            type: 'csv_import',
            target: 'local',
            schema: { columns: { a: null } },
          }),
          /options\.schema\.columns\.a must be an object/,
        );
      });

      it('a body that is not multipart', async () => {
        const res = await api()
          .post('/api/recovery/jobs')
          .set('Authorization', USER)
          .send({ type: 'csv_import', target: 'local' });

        expectInputError(res, /takes multipart\/form-data/);
        expect(res.body.error.message).toContain("'application/json'");
      });

      it('a form without a file part', async () => {
        expectInputError(
          await upload(undefined, { type: 'csv_import', target: 'local' }),
          /The form has no "file" field/,
        );
      });

      it('leaves no job behind', async () => {
        await upload('', { type: 'csv_import', target: 'local' });
        await upload('id,id\n', { type: 'csv_import', target: 'local' });

        expect((await get('/jobs')).body.items).toEqual([]);
      });
    });

    it('refuses a request without credentials with a 401', async () => {
      const res = await api()
        .post('/api/recovery/jobs')
        .field(
          'options',
          JSON.stringify({ type: 'csv_import', target: 'local' }),
        )
        .attach('file', Buffer.from('a\n1\n'), 'x.csv');

      expect(res.status).toBe(401);
      expect(res.body.error.name).toBe('AuthenticationError');
      expect((await get('/jobs')).body.items).toEqual([]);
    });
  });

  it.each([
    ['GET', '/jobs'],
    ['GET', '/jobs/some-id'],
    ['POST', '/jobs/some-id/recover'],
    ['POST', '/recoveries'],
    ['GET', '/recoveries'],
  ])('refuses %s %s without credentials with a 401', async (method, url) => {
    const res =
      method === 'GET'
        ? await api().get(`/api/recovery${url}`)
        : await api().post(`/api/recovery${url}`).send({});

    expect(res.status).toBe(401);
  });

  describe('GET /jobs', () => {
    it('filters by status, type and target and pages without gaps', async () => {
      const local: Job[] = [];
      for (let i = 0; i < 5; i++) {
        local.push(await submit(`a\n${i}\n`));
      }
      const uploaded = await submit('a\n1\n', {
        type: 'api_upload',
        target: 'api',
      });
      for (const job of [...local, uploaded]) {
        await waitFor(job.id, ['succeeded']);
      }

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(
          `/jobs?target=local&status=succeeded&limit=2${
            cursor ? `&cursor=${cursor}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((j: Job) => j.id));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor);

      expect(pages).toBe(3);
      expect(seen).toEqual(local.map(j => j.id).reverse());
      const byType = await get('/jobs?type=api_upload');
      expect(byType.body.items.map((j: Job) => j.id)).toEqual([uploaded.id]);
      expect((await get('/jobs?status=failed')).body).toEqual({
        items: [],
        nextCursor: null,
      });
      const sameFile = await get(
        `/jobs?fileSha256=${local[2].fileSha256.toUpperCase()}`,
      );
      expect(sameFile.body.items.map((j: Job) => j.id)).toEqual([local[2].id]);
      const several = await get('/jobs?status=failed,succeeded&target=local');
      expect(several.body.items.map((j: Job) => j.id)).toEqual(
        local.map(j => j.id).reverse(),
      );
    });

    it.each([
      ['?status=broken', /'status' has 'broken'; allowed: pending, running/],
      [
        '?status=failed,nope',
        /'status' has 'nope'; allowed: .*joined by commas/,
      ],
      ['?type=excel', /'type' is 'excel'; allowed: csv_import, api_upload/],
      ['?limit=0', /limit must be a whole number from 1 to 500, got '0'/],
      ['?limit=abc', /limit must be a whole number/],
      ['?cursor=garbage', /The cursor 'garbage' is not one this API returned/],
      ['?status=failed&status=pending', /'status' must be given once/],
      ['?fileSha256=abc', /'fileSha256' is 'abc'; give the file's SHA-256/],
    ])('refuses %s with a 400', async (query, message) => {
      expectInputError(await get(`/jobs${query}`), message);
    });
  });

  describe('GET /jobs/:id', () => {
    it('answers 404 for an unknown job, naming it', async () => {
      const res = await get('/jobs/00000000-0000-0000-0000-000000000000');

      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'There is no job 00000000-0000-0000-0000-000000000000.',
      });
    });
  });

  describe('GET /jobs/:id/errors', () => {
    it('pages the row errors of a job', async () => {
      const job = await submit('a,b\n1\n2\n3,4\n5\n6,7,8\n', {
        type: 'csv_import',
        target: 'local',
      });
      await waitFor(job.id, ['succeeded']);

      const first = await get(`/jobs/${job.id}/errors?limit=2`);
      const second = await get(
        `/jobs/${job.id}/errors?limit=2&cursor=${first.body.nextCursor}`,
      );

      expect(first.body.items.map((e: { row: number }) => e.row)).toEqual([
        1, 2,
      ]);
      expect(second.body.items.map((e: { row: number }) => e.row)).toEqual([
        4, 5,
      ]);
      expect(second.body.nextCursor).toBeNull();
      // The raw record is kept for the quarantine file, not in this listing.
      expect(first.body.items[0]).not.toHaveProperty('raw');
    });

    it('answers 404 for an unknown job and 400 for a bad cursor', async () => {
      expect((await get('/jobs/nope/errors')).status).toBe(404);
      const job = await submit('a\n1\n');
      expectInputError(
        await get(`/jobs/${job.id}/errors?cursor=bad`),
        /cursor 'bad'/,
      );
    });
  });

  describe('GET /jobs/:id/analysis', () => {
    it('shows the failure and the plan without executing it', async () => {
      const job = await failedJob();

      const res = await get(`/jobs/${job.id}/analysis`);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        jobId: job.id,
        status: 'failed',
        recoverable: true,
        failure: {
          type: 'temporary_resource',
          evidence: { httpStatus: 503 },
        },
        plan: {
          strategy: 'automatic_retry',
          automatic: true,
          resumeFrom: { row: 0 },
        },
        history: { attempts: 0, lastOutcome: null },
      });
      expect((await get(`/jobs/${job.id}`)).body).toMatchObject({
        status: 'failed',
        attempts: 0,
      });
      expect((await get(`/recoveries?jobId=${job.id}`)).body.items).toEqual([]);
    });

    it('says why a succeeded job is not recoverable', async () => {
      const job = await submit('a\n1\n');
      await waitFor(job.id, ['succeeded']);

      const res = await get(`/jobs/${job.id}/analysis`);

      expect(res.body).toMatchObject({
        recoverable: false,
        plan: null,
        reason: expect.stringMatching(/succeeded; there is nothing to recover/),
      });
    });

    it("shows a person's plan by default and a batch's when asked", async () => {
      target.addFault({ mode: 'status', status: 418 });
      const job = await submit(csvOf(5), { type: 'api_upload', target: 'api' });
      const failed = await waitFor(job.id, ['failed']);
      expect(failed.failure?.type).toBe('unknown');

      const byHand = await get(`/jobs/${job.id}/analysis`);
      const byBatch = await get(`/jobs/${job.id}/analysis?trigger=batch`);

      expect(byHand.body.plan).toMatchObject({
        strategy: 'automatic_retry',
        automatic: true,
        reason: expect.stringMatching(/Recovering it by hand retries it/),
      });
      expect(byBatch.body.plan).toMatchObject({
        strategy: 'investigation_required',
        automatic: false,
      });
      expectInputError(
        await get(`/jobs/${job.id}/analysis?trigger=sometimes`),
        /'trigger' is 'sometimes'; allowed: manual, automatic, batch/,
      );
    });

    it('answers 404 for an unknown job', async () => {
      expect((await get('/jobs/nope/analysis')).status).toBe(404);
    });
  });

  describe('POST /jobs/:id/recover', () => {
    it('recovers a failed job and records who asked', async () => {
      const job = await failedJob();

      const res = await post(`/jobs/${job.id}/recover`, {
        priority: 'critical',
      });

      expect(res.status).toBe(200);
      expect(res.body.plan).toMatchObject({
        strategy: 'automatic_retry',
        attempt: 1,
      });
      expect(res.body.job).toMatchObject({
        id: job.id,
        status: 'pending',
        priority: 'critical',
        attempts: 1,
      });
      const done = await waitFor(job.id, ['succeeded']);
      expect(done.progress.rowsAccepted).toBe(5);
      expect(target.records(job.id)).toHaveLength(5);
      expect(await historyOf(job.id)).toEqual([
        expect.objectContaining({
          jobId: job.id,
          trigger: 'manual',
          status: 'succeeded',
          requestedBy: 'user:default/mock',
          startedAt: expect.any(String),
          rowsProcessed: 5,
        }),
      ]);
    });

    it('answers 409 for a job that succeeded', async () => {
      const job = await submit('a\n1\n');
      await waitFor(job.id, ['succeeded']);

      const res = await post(`/jobs/${job.id}/recover`);

      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /succeeded; there is nothing to recover/,
        ),
      });
    });

    it('answers 409 for a cancelled job, saying which rows to send instead of the whole file', async () => {
      target.addFault({
        afterRequests: 2,
        mode: 'status',
        status: 503,
        count: 1,
      });
      const job = await submit(csvOf(20), {
        type: 'api_upload',
        target: 'api',
        batchSize: 5,
      });
      await waitFor(job.id, ['failed']);
      expect((await post(`/jobs/${job.id}/cancel`)).status).toBe(200);

      const res = await post(`/jobs/${job.id}/recover`);

      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        `Job ${job.id} was cancelled, and a cancelled job is not run or ` +
          "recovered again. Rows 1-10 were handled (10 loaded into target 'api'); " +
          'rows 11-15 were in flight and may or may not have reached it. ' +
          'To load the rest, upload a file of the rows after row 10 only, ' +
          'leaving out those of rows 11-15 that the target has: the whole ' +
          'file again would load rows 1-10 a second time.',
      );
    });

    it('lets one of two simultaneous recoveries win and answers 409 to the other', async () => {
      const job = await failedJob();

      const answers = await Promise.all([
        post(`/jobs/${job.id}/recover`),
        post(`/jobs/${job.id}/recover`),
      ]);

      expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
      const lost = answers.find(a => a.status === 409)!;
      expect(lost.body.error.name).toBe('ConflictError');
      await waitFor(job.id, ['succeeded']);
      expect(target.stats().duplicateRows).toBe(0);
      // The losing request leaves no attempt behind.
      expect(await historyOf(job.id)).toEqual([
        expect.objectContaining({ status: 'succeeded' }),
      ]);
    });

    it('applies adjustments and refuses bad ones naming the key', async () => {
      const job = await failedJob();

      expectInputError(
        await post(`/jobs/${job.id}/recover`, {
          adjustments: { batchSize: 0 },
        }),
        /adjustments\.batchSize must be a whole number from 1 to 100000, got 0/,
      );
      expectInputError(
        await post(`/jobs/${job.id}/recover`, { priority: 'asap' }),
        /priority must be one of critical, high, normal, low, got "asap"/,
      );

      const res = await post(`/jobs/${job.id}/recover`, {
        adjustments: { batchSize: 2 },
      });

      expect(res.status).toBe(200);
      expect(res.body.job.settings.batchSize).toBe(2);
      await waitFor(job.id, ['succeeded']);
      expect(target.records(job.id)).toHaveLength(5);
    });

    it('answers 404 for an unknown job', async () => {
      expect((await post('/jobs/nope/recover')).status).toBe(404);
    });
  });

  describe('POST /recoveries', () => {
    it('returns the plans of a dry run and executes nothing', async () => {
      const job = await failedJob();
      const requestsBefore = target.stats().requests;

      const res = await post('/recoveries', { dryRun: true });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        dryRun: true,
        failed: [],
        skipped: [],
        successful: [
          {
            jobId: job.id,
            reason: expect.stringMatching(/^Would automatic retry/),
            plan: { strategy: 'automatic_retry', jobId: job.id },
          },
        ],
      });
      expect((await get(`/jobs/${job.id}`)).body).toMatchObject({
        status: 'failed',
        attempts: 0,
        version: job.version,
      });
      expect((await get('/recoveries')).body.items).toEqual([]);
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(target.stats().requests).toBe(requestsBefore);
    });

    it('recovers the jobs named and skips an unknown id with a reason', async () => {
      const job = await failedJob();
      const done = await submit('a\n1\n');
      await waitFor(done.id, ['succeeded']);

      const res = await post('/recoveries', {
        jobIds: [job.id, 'no-such-job', done.id],
      });

      expect(res.status).toBe(200);
      expect(res.body.successful).toEqual([
        expect.objectContaining({
          jobId: job.id,
          status: 'pending',
          reason: expect.stringMatching(/^Recovery scheduled/),
        }),
      ]);
      expect(res.body.skipped).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            jobId: 'no-such-job',
            reason: 'No job no-such-job.',
          }),
          expect.objectContaining({
            jobId: done.id,
            reason: expect.stringMatching(/nothing to recover/),
          }),
        ]),
      );
      expect(res.body.skipped).toHaveLength(2);
      expect(res.body.failed).toEqual([]);
      await waitFor(job.id, ['succeeded']);
    });

    it('recovers by priority, then age', async () => {
      const low = await failedJob('low');
      const normal = await failedJob('normal');
      const critical = await failedJob('critical');
      const high = await failedJob('high');
      const oldCriticalFirst = [critical, high, normal, low].map(j => j.id);

      const res = await post('/recoveries', {
        filter: { status: 'failed', target: 'api' },
        concurrency: 1,
      });

      expect(res.status).toBe(200);
      expect(
        res.body.successful.map((i: { jobId: string }) => i.jobId),
      ).toEqual(oldCriticalFirst);
      const history = await get('/recoveries?limit=10');
      expect(
        history.body.items.map((a: { jobId: string }) => a.jobId).reverse(),
      ).toEqual(oldCriticalFirst);
      for (const job of [low, normal, critical, high]) {
        await waitFor(job.id, ['succeeded']);
      }
    });

    it('orders jobs of one priority oldest first', async () => {
      const first = await failedJob('high');
      const second = await failedJob('high');

      const res = await post('/recoveries', { dryRun: true, concurrency: 1 });

      expect(
        res.body.successful.map((i: { jobId: string }) => i.jobId),
      ).toEqual([first.id, second.id]);
    });

    it.each([
      [{ jobs: [] }, /'jobs' is not known; allowed: jobIds, filter/],
      [{ jobIds: 'abc' }, /jobIds must be an array of job id strings/],
      [{ filter: { state: 'failed' } }, /filter\.state is not known/],
      [{ filter: { status: 'broken' } }, /filter\.status is 'broken'/],
      [{ dryRun: 'yes' }, /dryRun must be true or false/],
      [{ autoRetry: 'no' }, /autoRetry must be true or false, got "no"/],
      [{ includeManual: 1 }, /includeManual must be true or false, got 1/],
      [{ concurrency: 0 }, /concurrency must be a whole number from 1 to 64/],
      [{ priority: 'top' }, /priority must be one of critical/],
    ])('refuses %j with a 400', async (body, message) => {
      expectInputError(await post('/recoveries', body), message);
    });
  });

  describe('GET /recoveries', () => {
    it('lists the history newest first, by job, in pages', async () => {
      const a = await failedJob();
      const b = await failedJob();
      await post(`/jobs/${a.id}/recover`).expect(200);
      await waitFor(a.id, ['succeeded']);
      await post(`/jobs/${b.id}/recover`).expect(200);
      await waitFor(b.id, ['succeeded']);

      const first = await get('/recoveries?limit=1');
      const second = await get(
        `/recoveries?limit=1&cursor=${first.body.nextCursor}`,
      );

      expect(first.body.items.map((i: { jobId: string }) => i.jobId)).toEqual([
        b.id,
      ]);
      expect(second.body.items.map((i: { jobId: string }) => i.jobId)).toEqual([
        a.id,
      ]);
      expect(second.body.nextCursor).toBeNull();
      expect(await historyOf(a.id)).toEqual([
        expect.objectContaining({
          jobId: a.id,
          attempt: 1,
          failureType: 'temporary_resource',
          strategy: 'automatic_retry',
          status: 'succeeded',
          outcome: expect.stringMatching(/^Recovered: 5 rows/),
          durationMs: expect.any(Number),
        }),
      ]);
    });

    it('refuses a bad cursor with a 400', async () => {
      expectInputError(await get('/recoveries?cursor=bad'), /cursor 'bad'/);
    });
  });
});
